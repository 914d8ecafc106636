"""Request bodies above DATA_UPLOAD_MAX_MEMORY_SIZE are refused with a 4xx before they are
parsed, for forms and the API's JSON alike (issue 17, hardening)."""

import json

import pytest
from django.conf import settings
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def oversized_json() -> str:
    return json.dumps({"notes": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})


def test_an_oversized_json_body_to_the_api_is_refused(staff):
    api = APIClient()
    api.force_authenticate(staff)
    response = api.post("/api/visits/", oversized_json(), content_type="application/json")
    assert response.status_code in (400, 413)


def test_an_oversized_json_body_to_the_token_url_is_refused():
    response = APIClient().post("/api/token/", oversized_json(), content_type="application/json")
    assert response.status_code in (400, 413)


def test_an_oversized_form_is_refused(staff_client):
    body = "q=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = staff_client.post(
        "/members/add/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
