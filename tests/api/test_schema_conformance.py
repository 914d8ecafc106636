"""Schemathesis against /api/schema/: for every operation, generated requests (valid and not)
never get a server error, and every response matches the schema it documents.

Driven through schemathesis's Python API with hypothesis's @given, one pytest test per
operation: its pytest plugin (`from_fixture`) relies on a private attribute of pytest < 9.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from knox.models import AuthToken
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from tests.factories import MonitoringVisitFactory, PlantingFactory, SurvivalCountFactory

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
METHODS = ("get", "post", "put", "patch", "delete")
OPERATIONS = [
    (method.upper(), path)
    for path, item in SchemaGenerator().get_schema(request=None, public=True)["paths"].items()
    for method in item
    if method in METHODS
]


@pytest.fixture
def api_schema(db, settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]  # schemathesis's WSGI calls use localhost
    # Django's test client keeps the test's connection open across requests; schemathesis calls
    # the WSGI app directly, where request_started/finished would close it mid-transaction
    # (PostgreSQL; SQLite's in-memory test database ignores the close).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def token(administrator):
    # Some data, so that lists, reads and nested rows are exercised, not only empty pages.
    visit = MonitoringVisitFactory()
    PlantingFactory(plot=visit.plot)
    SurvivalCountFactory(visit=visit, trees_alive=10)
    return AuthToken.objects.create(user=administrator)[1]


def test_every_operation_is_covered():
    assert ("POST", "/api/visits/") in OPERATIONS
    assert ("GET", "/api/credits/totals/") in OPERATIONS
    assert len(OPERATIONS) > 30


@pytest.mark.parametrize("method,path", OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_conforms_to_the_schema(api_schema, token, method, path):
    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=12,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)

    check()
