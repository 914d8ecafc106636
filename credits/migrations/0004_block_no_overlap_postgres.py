"""On PostgreSQL, the database itself refuses two credit blocks whose serial ranges overlap.

An exclusion constraint on int8range needs no extension (range types have a GiST operator class).
SQLite has no equivalent: there the unique first/last serials and the service's check, made while
holding the project's row lock, keep ranges apart.
"""

from django.db import migrations

ADD = (
    "ALTER TABLE credits_creditblock ADD CONSTRAINT block_serials_never_overlap "
    "EXCLUDE USING gist (int8range(serial_start, serial_end, '[]') WITH &&)"
)
DROP = "ALTER TABLE credits_creditblock DROP CONSTRAINT IF EXISTS block_serials_never_overlap"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD)


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("credits", "0003_periods_and_registry")]

    operations = [migrations.RunPython(add_constraint, drop_constraint)]
