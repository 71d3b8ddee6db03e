# core/backup.cmake: backups and restore (see core/backup.h).
target_sources(dbwcore PRIVATE
  core/backup.c
  core/backup_sqlite.c
  core/backup_pg.c
  core/backup_tool.c
  core/backup_child.c
  core/backup_pgrestore.c
)
