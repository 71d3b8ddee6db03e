# core/seed.cmake: the seed sets, the ledger and reset (see core/seed.h;
# included by the top CMakeLists.txt).
target_sources(dbwcore PRIVATE
  core/prng.c
  core/seed_request.c
  core/seed_schema.c
  core/seed_util.c
  core/seed_demo.c
  core/seed_scale.c
  core/seed_scale_rows.c
  core/seed_load.c
  core/seed_ledger.c
  core/seed_plan.c
  core/seed_run.c
  core/seed_files.c
  core/seed_reset.c
  core/seed_reset_refs.c
  core/seed_status.c
  core/seed_tables.c
  core/action_seed.c
)
