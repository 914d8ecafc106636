"""Hostile input: script in every text field, spreadsheet formulas in exports, SQL metacharacters
in search and filters, forged CSRF, oversized and mistyped uploads, random POSTs.

Pages, exports and forms are discovered (pages.py), so a new page is swept without being listed.
"""

import csv
import io

import pytest
from django.apps import apps
from django.db import models, transaction
from django.db.models import UniqueConstraint
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests.factories import MemberFactory
from tests.security.pages import app_urls, export_links, forms_of
from tests.security.world import build_world, model_named

pytestmark = pytest.mark.django_db

DOMAIN_APPS = ("members", "plantings", "credits")
SCRIPT = '<script>alert("xss")</script>'
SHORT = "<b>x</b>"
FORMULAS = ("=cmd|'/c calc'!A1", "+cmd|'/c calc'!A1", "-cmd|'/c calc'!A1", "@cmd|'/c calc'!A1")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def text_fields(model):
    for field in model._meta.concrete_fields:
        if (
            isinstance(field, models.CharField | models.TextField)
            and field.editable
            and not field.choices
            and not field.primary_key
        ):
            yield field


def poison(values):
    """Put hostile text in every free-text column of every domain row (bypassing validation, as
    an import or a direct database edit might). values(field, pk, index) gives the text."""
    for model in apps.get_models():
        if model._meta.app_label not in DOMAIN_APPS or model.__name__.startswith("Historical"):
            continue
        fields = list(text_fields(model))
        for index, pk in enumerate(model._default_manager.values_list("pk", flat=True)):
            changes = {}
            for number, field in enumerate(fields):
                text = values(field, pk, index + number)
                if text is not None:
                    changes[field.name] = text
            if changes:
                model._default_manager.filter(pk=pk).update(**changes)


def fitted(text, field, pk):
    """text, made unique with the row's key, or None when the column is too short for it."""
    in_unique_set = any(
        field.name in getattr(constraint, "fields", ())
        for constraint in field.model._meta.constraints
        if isinstance(constraint, UniqueConstraint)
    )
    value = f"{text}{pk}" if field.unique or in_unique_set else text
    limit = field.max_length or 10_000
    return value if len(value) <= limit else None


def fetch_everything(client, world):
    """Every application page, then every export linked from them: [(url, response)]."""
    seen, results, queue = set(), [], list(app_urls(world))
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        results.append((url, response))
        if response.get("Content-Type", "").startswith("text/html"):
            base = url.split("?")[0]
            for link in export_links(response.content.decode()):
                queue.append(base + link if link.startswith("?") else link)
    return results


@pytest.fixture
def populated(administrator):
    """The world, with the records most pages show made up front."""
    world = build_world()
    for name in ("member", "plot", "planting", "monitoringvisit", "species", "buyer", "sale"):
        world.get(model_named(name))
    return world


def test_script_in_every_text_field_is_escaped_on_every_page(populated, administrator):
    poison(lambda field, pk, i: fitted(SCRIPT, field, pk) or fitted(SHORT, field, pk))
    administrator.first_name = SCRIPT
    administrator.save()
    client = Client()
    client.force_login(administrator)
    pages = fetch_everything(client, populated)
    html_pages = [(url, r) for url, r in pages if r.get("Content-Type", "").startswith("text/html")]
    assert len(html_pages) >= 10, "the sweep reaches the application's pages"
    errors = [f"{url}: {r.status_code}" for url, r in pages if r.status_code >= 500]
    unescaped = [
        url for url, r in html_pages if SCRIPT.encode() in r.content or SHORT.encode() in r.content
    ]
    assert errors == [] and unescaped == []
    # The payload is there, escaped: the sweep really looked at poisoned data.
    assert any(b"&lt;script&gt;alert(" in r.content for _, r in html_pages)


def cells_of(response):
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "csv" in content_type:
        text = body.decode("utf-8-sig")
        # Only the delimiter varies; a sniffed dialect could take the apostrophe that guards a
        # cell for a quote character and strip it.
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        return [(cell, None) for row in reader for cell in row]
    if "spreadsheetml" in content_type:
        book = load_workbook(io.BytesIO(body))  # formulas kept as formulas (data_type "f")
        return [
            (cell.value, cell.data_type)
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        ]
    return None


def test_exports_neutralise_spreadsheet_formulas(populated, administrator):
    poison(lambda field, pk, i: fitted(FORMULAS[i % len(FORMULAS)], field, pk))
    client = Client()
    client.force_login(administrator)
    exports = []
    for url, response in fetch_everything(client, populated):
        cells = cells_of(response) if response.status_code == 200 else None
        if cells is not None:
            exports.append((url, cells))
    assert exports, "the sweep finds the CSV/XLSX exports linked from the pages"
    dangerous, payload_cells = [], 0
    for url, cells in exports:
        for value, data_type in cells:
            if not isinstance(value, str) or "cmd|" not in value:
                continue
            payload_cells += 1
            # CSV has no types: the first character decides. XLSX: only a formula cell runs.
            if data_type == "f" or (data_type is None and value.startswith(FORMULA_TRIGGERS)):
                dangerous.append(f"{url}: {value!r}")
    assert sorted({line.split(": ")[0] for line in dangerous}) == [], "; ".join(
        sorted({line.split(": ")[0] for line in dangerous})
    )
    assert payload_cells > 0, "some export carries the poisoned text (else this proves nothing)"


SQL = [
    "' OR '1'='1",
    "'; DROP TABLE members_member; --",
    '" OR ""="',
    "%",
    "_",
    "\\",
    "1; SELECT pg_sleep(5)",
    "ñ' UNION SELECT username, password FROM auth_user --",
]


def test_sql_metacharacters_in_every_search_and_filter(populated, administrator):
    client = Client()
    client.force_login(administrator)
    members_before = MemberFactory._meta.model.objects.count()
    problems, filters_tried = [], 0
    for url in app_urls(populated):
        response = client.get(url)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        for form in forms_of(response.content.decode()):
            if form.method != "get" or not form.fields:
                continue
            for payload in SQL:
                data = dict.fromkeys(form.fields, payload)
                filters_tried += 1
                answer = client.get(form.action or url.split("?")[0], data)
                if answer.status_code >= 500:
                    problems.append(f"{url} {payload!r}: {answer.status_code}")
    assert filters_tried > 0 and problems == []
    assert MemberFactory._meta.model.objects.count() == members_before


def test_member_search_treats_metacharacters_as_text(staff_client):
    obrien = MemberFactory(last_name="O'Brien")
    percent = MemberFactory(last_name="Cien%Por")
    other = MemberFactory(last_name="Vásquez")
    page = staff_client.get("/members/").content.decode()
    search = next(f for f in forms_of(page) if f.method == "get")
    field = next(name for name in search.fields if name in ("q", "search", "query"))

    def found(term):
        html = staff_client.get("/members/", {field: term}).content.decode()
        return {m.code for m in (obrien, percent, other) if m.code in html}

    assert found("O'Brien") == {obrien.code}
    assert found("%") == {percent.code}  # a literal %, not a wildcard matching everyone
    assert found("' OR '1'='1") == set()


def test_forged_csrf_is_refused_everywhere(populated, administrator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    urls = app_urls(populated) + ["/accounts/login/", "/accounts/logout/", "/i18n/setlang/"]
    # 403: refused by the CSRF check; 405: the URL takes no POST at all (the API schema); 401:
    # the URL ignores the session and takes only an API token header, which no forged cross-site
    # post can carry (the token revoke URLs).
    accepted = [
        url for url in urls if client.post(url, {"x": "1"}).status_code not in (401, 403, 405)
    ]
    assert accepted == []
    # With the token from the page the same kind of post goes through (the check is real).
    client.get("/members/add/")
    token = client.cookies["csrftoken"].value
    response = client.post("/members/add/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 200  # the form again, with its errors: not a CSRF refusal


_UPLOAD_PAGES = []


def upload_pages(client, world):
    """[(url, form)] of every page with a file upload form (found once, reused by each case)."""
    if not _UPLOAD_PAGES:
        for url in app_urls(world):
            response = client.get(url)
            if response.get("Content-Type", "").startswith("text/html"):
                for form in forms_of(response.content.decode()):
                    if form.multipart and form.files and form.method == "post":
                        _UPLOAD_PAGES.append((form.action or url, form))
    return _UPLOAD_PAGES


def domain_row_count():
    return sum(
        model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in DOMAIN_APPS
    )


BAD_UPLOADS = {
    "oversized": ("members.csv", b"dni,first_name\n" + b"12345678,Ana\n" * 1_200_000),
    "image named csv": ("members.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40),
    "executable": ("setup.exe", b"MZ\x90\x00" + b"\x00" * 4000),
    "empty": ("members.csv", b""),
    "xlsx that is not": ("members.xlsx", b"PK\x03\x04 not really a zip"),
}


@pytest.mark.parametrize("case", BAD_UPLOADS, ids=str)
def test_bad_uploads_are_refused_with_a_message(populated, administrator, case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    client.force_login(administrator)
    pages = list(upload_pages(client, populated))
    assert pages, "the import pages have upload forms"
    name, content = BAD_UPLOADS[case]
    before = domain_row_count()
    for url, form in pages:
        data = {**form.fields, form.files[0]: SimpleUploadedFile(name, content)}
        response = client.post(url, data)
        assert response.status_code in (200, 400, 413, 415), (url, response.status_code)
        html = response.content.decode()
        assert "invalid-feedback" in html or "alert-danger" in html or "errorlist" in html, url
    assert domain_row_count() == before


def test_random_posts_to_every_form_never_give_a_server_error(populated, administrator):
    client = Client()
    client.force_login(administrator)
    targets = set()
    for url in app_urls(populated):
        response = client.get(url)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            for form in forms_of(response.content.decode()):
                action = form.action or url
                if form.method == "post" and form.fields and not form.files:
                    if "logout" not in action:  # logging out would end the sweep
                        targets.add((action, tuple(sorted(form.fields))))
    targets = sorted(targets)
    assert targets, "the pages have forms to post"
    text = st.one_of(
        st.text(max_size=60),
        st.sampled_from(["", "0", "-1", "1e400", "NaN", "2026-13-45", "'--", "<x>", "9" * 30]),
    )

    @settings(
        max_examples=8,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.data())
    def post(data):
        for url, names in targets:
            values = data.draw(st.fixed_dictionaries({name: text for name in names}))
            with transaction.atomic():
                status = client.post(url, values).status_code
                transaction.set_rollback(True)
            assert status < 500, (url, values)

    post()
