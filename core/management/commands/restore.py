"""`manage.py restore FILE --yes`: replace the whole database with a backup made by `backup`.

Everything written since the backup is lost, hence --yes. PostgreSQL: `pg_restore --clean
--if-exists --single-transaction` (all or nothing). SQLite: the online-backup API copies the file
over the live database in one step.
"""

import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.management.commands.backup import pg_env_and_args, pg_tool, sqlite_connection


class Command(BaseCommand):
    help = "Replace the whole database with a backup file written by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup file")
        parser.add_argument("--yes", action="store_true", help="really replace the database")

    def handle(self, *args, path, yes=False, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"{source} is not a file")
        if not yes:
            raise CommandError("This replaces the whole database with the backup: add --yes")
        vendor = connection.vendor
        if vendor == "postgresql":
            connection.close()  # our own session must not hold locks on the tables dropped
            env, args = pg_env_and_args(connection.settings_dict)
            command = [
                pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
            ]
            result = subprocess.run(
                command + args + [str(source)], env=env, capture_output=True, text=True
            )
            if result.returncode != 0:
                raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
        elif vendor == "sqlite":
            backup = sqlite3.connect(source)
            try:
                tables = backup.execute(
                    "SELECT count(*) FROM sqlite_master WHERE name = 'django_migrations'"
                ).fetchone()[0]
                if not tables:
                    raise CommandError(f"{source} is not a backup of this application")
                backup.backup(sqlite_connection())
            except sqlite3.DatabaseError as error:
                raise CommandError(f"{source} is not an SQLite backup: {error}") from error
            finally:
                backup.close()
        else:
            raise CommandError(f"no restore method for the {vendor} database")
        self.stdout.write(f"restored {source}")
