"""Imports as background jobs: the file kept in private storage, checked and imported by the
database worker (`manage.py db_worker`), progress on the page, a stalled job queued again, and
an import claimed once whoever confirms it."""

import datetime
import os
import stat
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from imports.models import ImportUpload
from members.models import Member
from tests.imports.conftest import csv_bytes
from tests.imports.test_views import HEADERS, ROW

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
Status = ImportUpload.Status


def upload(client, content, name="socios.csv"):
    return client.post(
        reverse("dataio:upload", args=["members"]), {"file": SimpleUploadedFile(name, content)}
    )


def run_worker():
    """What `make run` and the `worker` container run, until the queue is empty.

    The worker closes stale connections between jobs; here the test's own connection (and its
    transaction) must stay open, so that step alone is left out.
    """
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def status(client, url):
    return client.get(url + "status/").json()


# serialized_rollback: the flush after the test must not drop the migrations' reference rows.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_the_database_worker_checks_then_imports(staff_client, community):
    response = upload(staff_client, csv_bytes([HEADERS, ROW]))
    assert response.status_code == 302
    stored = ImportUpload.objects.get()
    assert stored.status == Status.QUEUED
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # waits for any worker

    page = staff_client.get(response.url).content.decode()
    assert 'data-job-status="' + response.url + 'status/"' in page
    assert "Refresh to see where it stands" in page  # without JavaScript
    assert status(staff_client, response.url) == {
        "status": "queued",
        "label": "waiting to be checked",
        "progress": 0,
        "running": True,
    }

    run_worker()
    assert status(staff_client, response.url)["status"] == "checked"
    preview = staff_client.get(response.url).content.decode()
    assert "Every row is valid." in preview and Member.objects.count() == 0

    assert staff_client.post(response.url, {"confirm": "1"}).status_code == 302
    assert status(staff_client, response.url)["status"] == "confirmed"
    assert Member.objects.count() == 0
    run_worker()
    assert Member.objects.get().dni == "44556677"
    result = staff_client.get(response.url).content.decode()
    assert "1 created, 0 updated, 0 unchanged" in result
    assert not storages["imports"].exists(stored.file.name)  # removed once imported
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_upload_is_kept_private_in_the_storage_then_removed_when_discarded(staff_client, community):
    response = upload(staff_client, csv_bytes([HEADERS, ROW]))
    stored = ImportUpload.objects.get()
    path = storages["imports"].path(stored.file.name)
    assert path.startswith(str(settings.MEDIA_ROOT))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600

    done = staff_client.post(response.url, {"discard": "1"}, follow=True)
    assert "nothing was imported" in done.content.decode()
    assert not os.path.exists(path)
    assert staff_client.get(response.url).status_code == 404


def test_a_file_refused_by_the_worker_shows_why_with_a_400(staff_client, client, manager):
    with override_settings(TASKS=DATABASE_TASKS):
        response = upload(staff_client, b"\x00\x01garbage")
        assert response.status_code == 302
        run_worker()
    page = staff_client.get(response.url)
    assert page.status_code == 400
    assert "This is not a CSV or XLSX file" in page.content.decode()
    assert storages["imports"].listdir("")[1] == []
    # Another user never sees it, nor its status.
    client.force_login(manager)
    assert client.get(response.url).status_code == 404
    assert client.get(response.url + "status/").status_code == 404


def test_a_stalled_import_is_queued_again_and_writes_once(staff_client, community):
    # A worker was killed while importing: its transaction rolled back, the row says importing.
    response = upload(staff_client, csv_bytes([HEADERS, ROW]))
    stale = timezone.now() - datetime.timedelta(minutes=settings.IMPORT_JOB_STALL_MINUTES + 1)
    ImportUpload.objects.update(status=Status.IMPORTING)
    ImportUpload.objects.update(updated_at=stale)  # auto_now does not apply to update()
    assert Member.objects.count() == 0

    staff_client.get(response.url)  # the page notices; the job runs again (inline in tests)
    assert ImportUpload.objects.get().status == Status.IMPORTED
    assert Member.objects.count() == 1
    staff_client.get(response.url)
    assert staff_client.post(response.url, {"confirm": "1"}).status_code == 302
    assert Member.objects.count() == 1


def test_a_job_run_twice_imports_once(staff_client, community):
    from imports import tasks, uploads

    upload(staff_client, csv_bytes([HEADERS, ROW]))
    stored = ImportUpload.objects.get()
    with override_settings(TASKS=DATABASE_TASKS):
        assert tasks.confirm_upload(upload=stored) is True
        assert tasks.confirm_upload(upload=stored) is False  # a second click claims nothing
    assert DBTaskResult.objects.count() == 1
    # The job delivered twice (say, queued again after a stall while the first still ran).
    assert uploads.apply(stored.pk) == Status.IMPORTED
    assert uploads.apply(stored.pk) == Status.IMPORTED
    assert Member.objects.count() == 1


def test_status_by_role(staff_client, community, client, outsider, manager, administrator):
    response = upload(staff_client, csv_bytes([HEADERS, ROW]))
    url = response.url + "status/"
    assert staff_client.get(url).json()["status"] == "checked"
    anonymous = client.__class__()
    assert anonymous.get(url).status_code == 302  # to the login page
    for other, code in ((outsider, 403), (manager, 404), (administrator, 404)):
        visitor = client.__class__()
        visitor.force_login(other)
        assert visitor.get(url).status_code == code  # an upload is its uploader's only
