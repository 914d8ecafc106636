"""On SQLite too, the database itself refuses two credit blocks whose serial ranges overlap.

PostgreSQL has the exclusion constraint of migration 0004; SQLite has no exclusion constraint, so
two triggers abort an insert or an update that would make a block's range meet another's.
"""

from django.db import migrations

CHECK = (
    "WHEN EXISTS (SELECT 1 FROM credits_creditblock AS other WHERE other.id IS NOT NEW.id "
    "AND other.serial_start <= NEW.serial_end AND other.serial_end >= NEW.serial_start) "
    "BEGIN SELECT RAISE(ABORT, 'credit block serials overlap'); END"
)
TRIGGERS = {
    "credits_block_no_overlap_insert": "BEFORE INSERT ON credits_creditblock",
    "credits_block_no_overlap_update": (
        "BEFORE UPDATE OF serial_start, serial_end ON credits_creditblock"
    ),
}


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name, event in TRIGGERS.items():
            schema_editor.execute(f"CREATE TRIGGER {name} {event} FOR EACH ROW {CHECK}")


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name in TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("credits", "0007_stored_serials_and_ledger_sums")]

    operations = [migrations.RunPython(add_triggers, drop_triggers)]
