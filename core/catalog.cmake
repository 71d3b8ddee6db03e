# core/catalog.cmake: the full catalog of PostgreSQL and SQLite (see
# core/catalog.h; core/catalog.c itself is listed in the top CMakeLists.txt),
# and the job that reads it for the console (core/job_catalog.h).
target_sources(dbwcore PRIVATE
  core/catalog_list.c
  core/catalog_pg.c
  core/catalog_sqlite.c
  core/catalog_sqlparse.c
  core/catalog_ddl.c
  core/job_catalog.c
)
