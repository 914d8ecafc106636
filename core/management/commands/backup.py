"""`manage.py backup [--output FILE]`: a consistent copy of the whole database in one file.

PostgreSQL: `pg_dump --format=custom` (one snapshot, restorable with `manage.py restore`; the
client must be of the server's major version, 15). SQLite: the sqlite3 online-backup API, which
copies a consistent image even while the application writes.
"""

import datetime
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

PG_BIN_DIRS = ("/usr/lib/postgresql/15/bin",)


def pg_tool(name: str) -> str:
    """The PostgreSQL 15 client tool, preferred over whatever version PATH offers."""
    for folder in (os.environ.get("PG_BIN", ""), *PG_BIN_DIRS):
        candidate = Path(folder, name)
        if folder and candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise CommandError(f"{name} not found: install the PostgreSQL 15 client")
    return found


def pg_env_and_args(settings_dict) -> tuple[dict, list[str]]:
    """Connection arguments for pg_dump / pg_restore; the password goes in the environment."""
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    args = ["--dbname", settings_dict["NAME"]]
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    return env, args


def default_path(vendor: str) -> Path:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = "dump" if vendor == "postgresql" else "sqlite3"
    folder = Path(os.environ.get("BACKUP_DIR", settings.BASE_DIR / "backups"))
    return folder / f"acopagro-{stamp}.{suffix}"


def sqlite_connection():
    connection.ensure_connection()
    return connection.connection


class Command(BaseCommand):
    help = "Write a backup of the whole database to one file (pg_dump or SQLite backup)."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="file to write (default: backups/acopagro-<time>)")

    def handle(self, *args, output=None, **options):
        vendor = connection.vendor
        path = Path(output) if output else default_path(vendor)
        path.parent.mkdir(parents=True, exist_ok=True)
        if vendor == "postgresql":
            env, args = pg_env_and_args(connection.settings_dict)
            command = [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(path)]
            result = subprocess.run(command + args, env=env, capture_output=True, text=True)
            if result.returncode != 0:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        elif vendor == "sqlite":
            target = sqlite3.connect(path)
            try:
                sqlite_connection().backup(target)
            finally:
                target.close()
        else:
            raise CommandError(f"no backup method for the {vendor} database")
        self.stdout.write(str(path))
