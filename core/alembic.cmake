# Alembic projects: alembic.ini, revision files read as text, the graph,
# the state in alembic_version, history as text, and running alembic.
target_sources(dbwcore PRIVATE
  core/alembic.c
  core/alembic_ini.c
  core/alembic_parse.c
  core/alembic_pysrc.c
  core/alembic_pylex.c
  core/alembic_pyeval.c
  core/alembic_pystmt.c
  core/alembic_pyblock.c
  core/alembic_graph.c
  core/alembic_history.c
  core/alembic_run.c
  core/alembic_url.c
  core/alembic_plan.c
  core/alembic_target.c
  core/alembic_exec.c
)
