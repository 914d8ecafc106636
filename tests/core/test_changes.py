"""Every write says what it changed (core/changes.py): the topic generations that key cached
reports move with the data they concern and only with it, bulk paths included, and no app code
writes with raw SQL behind their back."""

import ast
import datetime
import pathlib

import pytest
from django.apps import apps

from core import changes
from core.changes import TrackedQuerySet
from credits.models import Buyer, CarbonProject
from members.models import Member
from plantings.models import Planting
from tests.factories import (
    MemberFactory,
    MonitoringVisitFactory,
    PlantingFactory,
    PlotFactory,
    SpeciesFactory,
)

pytestmark = pytest.mark.django_db

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOMAIN_APPS = ("members", "plantings", "credits")


def moved(action, dated=False) -> set[str]:
    """The topics whose generation `action` moved; the "since" counters of dated rows only with
    `dated` (tests/reports/test_stock_history_cache.py tests them)."""
    before = changes.generations()
    action()
    after = changes.generations()
    return {
        topic
        for topic in after
        if after[topic] != before.get(topic, 0) and (dated or not topic.startswith(changes.SINCE))
    }


def test_a_planting_moves_the_plantings_generation_only():
    plot, species = PlotFactory(), SpeciesFactory()
    assert moved(lambda: PlantingFactory(plot=plot, species=species)) == {"plantings"}
    plant = lambda: PlantingFactory(  # noqa: E731
        plot=plot, species=species, planted_on=datetime.date(2019, 5, 1)
    )
    assert moved(plant, dated=True) == {"plantings", "since-plantings-2019"}


def test_a_visit_moves_the_visits_generation_only():
    plot = PlotFactory()
    visit = lambda: MonitoringVisitFactory(plot=plot)  # noqa: E731
    assert moved(visit) == {"visits"}


def test_a_buyer_moves_the_credits_generation_only():
    assert moved(lambda: Buyer.objects.create(name="Chocolats Suisses", country="CH")) == {
        "credits"
    }


def test_the_carbon_parameters_move_their_own_generation():
    project = CarbonProject.current()
    project.buffer_share = project.buffer_share  # a save, even without a new value
    assert moved(project.save) == {"parameters"}


def test_bulk_paths_move_generations_too():
    member = MemberFactory()
    assert moved(lambda: Member.objects.filter(pk=member.pk).update(phone="900")) == {"members"}
    plot, species = PlotFactory(), SpeciesFactory()
    new = Planting(
        plot=plot, species=species, planted_on=datetime.date(2020, 1, 1), trees_planted=9
    )
    assert moved(lambda: Planting.objects.bulk_create([new])) == {"plantings"}


def test_a_batch_moves_each_topic_once_at_its_end():
    plot, species = PlotFactory(), SpeciesFactory()
    before = changes.generations()
    with changes.batch():
        for day in (1, 2, 3):
            PlantingFactory(plot=plot, species=species, planted_on=datetime.date(2020, 1, day))
        assert changes.generations() == before  # nothing moves before the end
    assert changes.generations()["plantings"] == before.get("plantings", 0) + 1


def test_a_batch_that_fails_moves_nothing():
    plot, species = PlotFactory(), SpeciesFactory()
    before = changes.generations()
    with pytest.raises(RuntimeError), changes.batch():
        PlantingFactory(plot=plot, species=species)
        raise RuntimeError("refused")
    assert changes.generations() == before


def test_every_domain_model_writes_through_a_tracked_queryset():
    """A new model whose manager is a plain QuerySet would let update() bypass the summaries
    and the cache: this fails first."""
    untracked = [
        model._meta.label
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
        and not issubclass(model._default_manager._queryset_class, TrackedQuerySet)
        and changes.topic_of(model) is not None
    ]
    assert untracked == []
    tracked = {model for model in changes._topic_of}
    assert Planting in tracked and Member in tracked and Buyer in tracked


RAW_SQL_CALLS = {"execute", "executemany", "raw", "RawSQL", "extra"}
# Each raw statement outside migrations, and why it may stay.
ALLOWED_RAW_SQL = {
    "core/availability.py",  # SELECT 1: the health check
    "core/locks.py",  # pg_advisory_xact_lock: writes nothing, orders writers of shared summaries
    "core/management/commands/restore.py",  # SQLite's backup API on a whole database file
    "demo/management/commands/seed_demo.py",  # ANALYZE after the bulk load
    "demo/boundaries.py",  # one executemany for the seed's boundaries; it touches "members"
}


def raw_sql_calls(path: pathlib.Path) -> list[int]:
    tree = ast.parse(path.read_text(), filename=str(path))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in RAW_SQL_CALLS:
                lines.append(node.lineno)
    return lines


def app_modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        top = relative.split("/")[0]
        # Hidden folders hold virtualenvs (.venv, and .venv-load from `make bench-load`).
        hidden = top.startswith(".")
        if hidden or top in ("tests", "bench", "node_modules") or "/migrations/" in relative:
            continue
        yield relative, path


def test_no_app_code_writes_with_raw_sql():
    found = {relative: lines for relative, path in app_modules() if (lines := raw_sql_calls(path))}
    assert set(found) == ALLOWED_RAW_SQL, found


def test_the_raw_sql_check_finds_a_raw_update(tmp_path):
    module = tmp_path / "sneaky.py"
    module.write_text("def f(cursor):\n    cursor.execute('UPDATE plantings_planting SET x=1')\n")
    assert raw_sql_calls(module) == [2]
