# core/integrity.cmake: the integrity checks (core/integrity.h): the model,
# the checks built from the catalog, the counts, lints and engine checks,
# acceptances, the rows of a check and their export, the fixes and their
# inverse files, the migration of an inferred key, the action rows and the
# job the console runs them in.
target_sources(dbwcore PRIVATE
  core/integrity.c
  core/integrity_build.c
  core/integrity_lint.c
  core/integrity_lintq.c
  core/integrity_count.c
  core/integrity_engine.c
  core/integrity_judge.c
  core/integrity_accept.c
  core/integrity_run.c
  core/integrity_rows.c
  core/integrity_export.c
  core/integrity_fix.c
  core/integrity_inverse.c
  core/integrity_fkmig.c
  core/action_integrity.c
  core/job_integrity.c
)
