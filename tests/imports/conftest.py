"""Fixtures and helpers for the import tests: files built in memory, in CSV or XLSX."""

import csv
import io

import pytest
from openpyxl import Workbook

from imports.readers import read_table
from imports.services import import_table
from tests.factories import CommunityFactory, PlotFactory, SpeciesFactory


def csv_bytes(rows, delimiter=",", encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(kind, rows, dry_run=False, user=None, **csv_options):
    return import_table(
        kind=kind, table=read_table(csv_bytes(rows, **csv_options)), user=user, dry_run=dry_run
    )


def messages(report):
    return [(e.row, e.column, e.message) for e in report.errors]


@pytest.fixture
def community(db):
    return CommunityFactory(name="Dos de Mayo")


@pytest.fixture
def caoba(db):
    return SpeciesFactory(scientific_name="Swietenia macrophylla", local_name="Caoba")


@pytest.fixture
def plot(db):
    return PlotFactory(code="AC-0001-P1")
