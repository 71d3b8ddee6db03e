# core/job.cmake: jobs: long work on a worker thread with its own
# connection, and the tasks the console runs as jobs (see core/job.h).
target_sources(dbwcore PRIVATE
  core/job.c
  core/job_tasks.c
  core/worker.c
  core/clock.c
)
