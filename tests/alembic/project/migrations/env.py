"""Alembic environment for dbwarden's test project, written the way
dbwarden's README advises: the URL comes from DATABASE_URL (dbwarden sets
it to the database it works on), else from sqlalchemy.url in alembic.ini."""
import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, pool

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

url = os.environ.get("DATABASE_URL") or config.get_main_option("sqlalchemy.url")
if not url:
    raise SystemExit("no database: set DATABASE_URL, or sqlalchemy.url in alembic.ini")


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
