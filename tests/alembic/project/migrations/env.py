"""Alembic environment for dbwarden's test project: the URL comes from
the DBW_ALEMBIC_URL environment variable."""
import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, pool

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

url = os.environ.get("DBW_ALEMBIC_URL")
if not url:
    raise SystemExit("DBW_ALEMBIC_URL is not set: the database for this test project")


def run_migrations_offline():
    context.configure(url=url, target_metadata=None, literal_binds=True,
                      dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=None)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
