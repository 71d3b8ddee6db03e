# core/othertools.cmake: other migration tools' version tables, read-only
# (included by the top CMakeLists.txt).
target_sources(dbwcore PRIVATE
  core/othertools.c
  core/othertools_catalog.c
  core/othertools_logs.c
  core/othertools_versions.c
)
