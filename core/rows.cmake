# core/rows.cmake: a table's rows paged by key (see core/rows.h; included
# by the top CMakeLists.txt).
target_sources(dbwcore PRIVATE
  core/rows.c
  core/rows_fetch.c
  core/rows_key.c
  core/rows_place.c
  core/rows_sql.c
)
