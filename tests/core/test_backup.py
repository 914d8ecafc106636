"""Backup and restore round trip: the restored database holds exactly the data of the backup.

Runs on whichever database the suite uses (SQLite locally, PostgreSQL 15 in the second CI pass),
so both methods (sqlite3 backup API, pg_dump/pg_restore) are proven.
"""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import CommandError, call_command

from members.models import Member
from plantings.models import Planting
from tests.factories import (
    MemberFactory,
    MonitoringVisitFactory,
    PlantingFactory,
    SurvivalCountFactory,
    UserFactory,
)

# serialized_rollback, like every other transactional test: its flush then skips post_migrate, so
# the role groups are not made again before the next test restores its own copy of them.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def snapshot():
    """Every row of every model, serialised in primary-key order."""
    rows = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        rows.append(serializers.serialize("json", model._default_manager.order_by("pk")))
    return rows


def test_round_trip_restores_identical_data(tmp_path):
    planting = PlantingFactory(trees_planted=750)
    visit = MonitoringVisitFactory(plot=planting.plot, notes="Núñez: «sequía» 2015")
    SurvivalCountFactory(visit=visit, species=planting.species, trees_alive=600, trees_dead=150)
    UserFactory(username="tecnico")
    before = snapshot()

    out = StringIO()
    call_command("backup", output=str(tmp_path / "acopagro.backup"), stdout=out)
    path = out.getvalue().strip()
    assert path.endswith("acopagro.backup")

    # Damage after the backup: a deletion, an edit and a new record.
    Planting.objects.all().delete()
    Member.objects.update(last_name="Borrado")
    MemberFactory(code="T-NEW")
    assert snapshot() != before

    call_command("restore", path, yes=True, stdout=StringIO())
    assert snapshot() == before
    # The restored database takes new records (PostgreSQL sequences came back too).
    MemberFactory(code="T-AFTER", birth_date=datetime.date(1980, 1, 1))
    assert Member.objects.filter(code="T-AFTER").exists()


def test_restore_needs_yes_and_a_backup_file(tmp_path):
    bogus = tmp_path / "not-a-backup"
    bogus.write_bytes(b"hello")
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(bogus))
    with pytest.raises(CommandError):
        call_command("restore", str(bogus), yes=True)
    with pytest.raises(CommandError, match="not a file"):
        call_command("restore", str(tmp_path / "missing"), yes=True)
