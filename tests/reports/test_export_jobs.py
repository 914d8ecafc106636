"""Big report exports as background jobs: the line between a download in the request and a
job, the job's page and download for its owner only, a job interrupted mid-way picked up again,
never a half-written file, and old files removed."""

import datetime
import io
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from reports import jobs
from reports.models import ExportJob
from tests.factories import UserFactory
from tests.reports.test_exports import csv_rows, get

Status = ExportJob.Status
TINY = {"csv": 1, "xlsx": 1, "pdf": 1}  # two rows of the known data are "big"
MEMBERS = reverse("reports:report", args=["members"])


@pytest.fixture(autouse=True)
def _export_storage(tmp_path, settings):
    """The `exports` storage in a folder of the test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "exports"},
        },
    }
    yield tmp_path / "exports"


def stored_files() -> list[str]:
    try:
        return sorted(storages["exports"].listdir("")[1])
    except FileNotFoundError:
        return []


def ask(client, query="format=csv"):
    return client.post(f"{MEMBERS}?{query}")


def test_a_small_export_is_downloaded_in_the_request(manager_client, known):
    response = get(manager_client, "members", "format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert [row[0] for row in csv_rows(response)[1:]] == ["K-001", "K-002", "K-003"]
    assert not ExportJob.objects.exists()


@override_settings(EXPORT_SYNC_MAX_ROWS=TINY)
def test_a_big_export_is_offered_as_a_job_then_built_whole(manager_client, manager, known):
    query = f"format=csv&community={known.a.pk}"
    page = get(manager_client, "members", query)
    assert page.status_code == 200 and not ExportJob.objects.exists()  # a GET queues nothing
    html = page.content.decode()
    assert "This download holds 2 rows" in html and 'method="post"' in html
    assert f'action="{MEMBERS}?{query.replace("&", "&amp;")}"' in html

    response = ask(manager_client, query)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/reports/exports/{job.token}/"
    assert (job.status, job.requested_by, job.progress_pct) == (Status.DONE, manager, 100)
    assert job.params == {
        "slug": "members", "query": {"community": [str(known.a.pk)]}, "fmt": "csv", "table": "",
    }  # fmt: skip
    assert job.filename == f"members-{timezone.localdate().isoformat()}.csv"
    assert "The file is ready." in manager_client.get(response.url).content.decode()

    download = manager_client.get(response.url + "download/")
    rows = csv_rows(mock.Mock(content=b"".join(download.streaming_content)))
    with override_settings(EXPORT_SYNC_MAX_ROWS={"csv": 100}):
        in_request = csv_rows(get(manager_client, "members", query))
    assert rows == in_request and [r[0] for r in rows[1:]] == ["K-001", "K-002"]
    assert stored_files() == [job.file.name]


@override_settings(EXPORT_SYNC_MAX_ROWS=TINY)
def test_an_xlsx_and_a_pdf_job(manager_client, known):
    for fmt, magic in (("xlsx", b"PK"), ("pdf", b"%PDF")):
        url = ask(manager_client, f"format={fmt}").url
        body = b"".join(manager_client.get(url + "download/").streaming_content)
        assert body.startswith(magic)


@override_settings(EXPORT_SYNC_MAX_ROWS=TINY)
def test_bad_filters_or_format_queue_nothing(manager_client, known):
    response = ask(manager_client, "format=csv&date_from=2020-01-01&date_to=2019-01-01")
    assert response.status_code == 400
    assert "The end date must be on or after the start date." in response.content.decode()
    assert ask(manager_client, "format=doc").status_code == 400
    assert ask(manager_client, "").status_code == 400
    assert not ExportJob.objects.exists()


@override_settings(EXPORT_SYNC_MAX_ROWS=TINY)
def test_an_unknown_table_fails_with_its_reason_and_no_file(manager_client, known):
    url = ask(manager_client, "format=csv&table=nope").url
    job = ExportJob.objects.get()
    assert (job.status, job.file.name) == (Status.FAILED, "")
    assert "This report has no such table." in manager_client.get(url).content.decode()
    assert manager_client.get(url + "download/").status_code == 404
    assert stored_files() == []


def test_the_job_writes_in_the_language_of_the_request(manager_client, known):
    manager_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    with override_settings(EXPORT_SYNC_MAX_ROWS={"csv": 100}):
        spanish = csv_rows(get(manager_client, "members", "format=csv"))[0]
    with override_settings(EXPORT_SYNC_MAX_ROWS=TINY):
        url = ask(manager_client).url
    assert ExportJob.objects.get().language == "es"
    body = b"".join(manager_client.get(url + "download/").streaming_content)
    header = csv_rows(mock.Mock(content=body))[0]
    assert header == spanish and "area (ha)" not in header


@override_settings(EXPORT_SYNC_MAX_ROWS=TINY)
def test_only_the_report_filters_are_kept_on_the_job(manager_client, known):
    ask(manager_client, f"format=xlsx&table=members&species={known.s1.pk}&junk=x&csrf=y")
    job = ExportJob.objects.get()
    assert job.params["query"] == {"species": [str(known.s1.pk)]}
    assert (job.params["fmt"], job.params["table"], job.status) == ("xlsx", "members", "done")


def queued_job(user, **fields) -> ExportJob:
    params = {"slug": "members", "query": {}, "fmt": "csv", "table": ""}
    return ExportJob.objects.create(
        kind="report", params=params, title="Members (CSV)", permission="plantings.view_reports",
        requested_by=user, **fields,
    )  # fmt: skip


def test_a_second_click_while_the_job_runs_queues_nothing_more(manager_client, manager, known):
    waiting = queued_job(manager)
    with override_settings(EXPORT_SYNC_MAX_ROWS=TINY):
        response = ask(manager_client)
    assert response.url == f"/reports/exports/{waiting.token}/"
    assert ExportJob.objects.count() == 1


def test_a_job_interrupted_mid_way_is_picked_up_again_and_finishes(manager_client, manager, known):
    """A worker killed while building: the row says "running" at 50 %, no file is named. Once
    it has not moved for EXPORT_JOB_STALL_MINUTES, the next look at it queues it again."""
    job = queued_job(manager, status=Status.RUNNING, progress_pct=50, attempts=1)
    url = reverse("reports:export_job", args=[job.token])
    assert "Being prepared" in manager_client.get(url).content.decode()  # not stalled yet
    assert ExportJob.objects.get().status == Status.RUNNING

    long_ago = timezone.now() - datetime.timedelta(minutes=settings.EXPORT_JOB_STALL_MINUTES + 1)
    ExportJob.objects.filter(pk=job.pk).update(updated_at=long_ago)
    status = manager_client.get(url + "status/").json()
    assert status == {"status": "done", "label": "ready to download", "progress": 100,
                      "running": False}  # fmt: skip
    job.refresh_from_db()
    assert job.attempts == 2 and stored_files() == [job.file.name]
    rows = csv_rows(mock.Mock(content=b"".join(manager_client.get(url + "download/"))))
    assert [r[0] for r in rows[1:]] == ["K-001", "K-002", "K-003"]


def test_clean_exports_resumes_stalled_jobs_without_anyone_looking(manager, known):
    job = queued_job(manager)  # queued, but its queue entry was lost
    long_ago = timezone.now() - datetime.timedelta(minutes=settings.EXPORT_JOB_STALL_MINUTES + 1)
    ExportJob.objects.filter(pk=job.pk).update(updated_at=long_ago)
    out = io.StringIO()
    call_command("clean_exports", stdout=out)
    assert "1 stalled job(s) queued" in out.getvalue()
    assert ExportJob.objects.get().status == Status.DONE


def test_a_job_that_fails_mid_way_keeps_no_file(manager, known):
    job = queued_job(manager)
    with mock.patch("reports.jobs.export_file", side_effect=RuntimeError("disk full")):
        with pytest.raises(RuntimeError):
            jobs.run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.file.name, stored_files()) == (Status.FAILED, "", [])
    assert "error on the server" in job.message


def test_a_second_run_of_a_finished_job_changes_nothing(manager, known):
    job = queued_job(manager)
    assert jobs.run(job.pk) == Status.DONE
    first = ExportJob.objects.get().file.name
    assert jobs.run(job.pk) == "skipped"
    assert ExportJob.objects.get().file.name == first and stored_files() == [first]


def test_the_slower_of_two_runs_deletes_its_own_file(manager, known):
    """A stalled job queued again while its first run still works: both build, one file stays."""
    job = queued_job(manager)
    real_save = storages["exports"].save

    def finish_other_run_first(name, content):
        ExportJob.objects.filter(pk=job.pk).update(status=Status.DONE, file="other.csv")
        return real_save(name, content)

    with mock.patch.object(storages["exports"], "save", finish_other_run_first):
        assert jobs.run(job.pk) == "skipped"
    assert ExportJob.objects.get().file.name == "other.csv" and stored_files() == []


def test_old_files_and_orphans_are_removed(manager, known):
    old = queued_job(manager)
    jobs.run(old.pk)
    young = queued_job(manager, status=Status.RUNNING)
    storages["exports"].save("orphan.csv", ContentFile(b"half"))
    later = timezone.now() + datetime.timedelta(hours=settings.EXPORT_KEEP_HOURS, minutes=1)
    ExportJob.objects.filter(pk=old.pk).update(updated_at=timezone.now() - (later - timezone.now()))
    assert jobs.remove_old_exports(moment=later) == 2
    assert list(ExportJob.objects.all()) == [young]  # a running job is never removed
    assert stored_files() == []


# --- who may see a job --------------------------------------------------------------------------
@pytest.mark.parametrize("page", ["", "status/", "download/"])
def test_only_the_user_who_asked_sees_the_job(client, users, manager, known, page):
    job = queued_job(manager)
    jobs.run(job.pk)
    url = reverse("reports:export_job", args=[job.token]) + page
    assert client.get(url).status_code == 302  # anonymous: to the login page
    expected = {"outsider": 403, "staff": 404, "admin": 404, "manager": 200}
    for role, status in expected.items():
        client.force_login(users[role])
        assert (role, client.get(url).status_code) == (role, status)


def test_a_user_who_lost_the_permission_cannot_download(client, manager, known):
    job = queued_job(manager)
    jobs.run(job.pk)
    manager.groups.clear()
    manager.user_permissions.add(*UserFactory(groups=["Staff"]).groups.get().permissions.all())
    client.force_login(manager)  # staff now: may open job pages, not the report's export
    assert client.get(reverse("reports:export_job_download", args=[job.token])).status_code == 403


def test_a_staff_report_job_for_staff(staff_client, staff, known):
    with override_settings(EXPORT_SYNC_MAX_ROWS=TINY):
        response = staff_client.post(reverse("reports:report", args=["visit-list"]) + "?format=csv")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.requested_by == staff
    assert job.permission == "plantings.view_monitoringvisit"
    assert staff_client.get(response.url + "download/").status_code == 200
    with override_settings(EXPORT_SYNC_MAX_ROWS=TINY):
        assert staff_client.post(MEMBERS + "?format=csv").status_code == 403  # a managers' report


# --- with the real database worker ---------------------------------------------------------------
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


# serialized_rollback: the flush after the test must not drop the migrations' reference rows.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(TASKS=DATABASE_TASKS, EXPORT_SYNC_MAX_ROWS=TINY)
def test_the_database_worker_builds_the_job_even_after_a_worker_died(manager_client, known):
    from django_tasks_db.models import DBTaskResult

    from tests.imports.test_jobs import run_worker

    response = ask(manager_client)
    job = ExportJob.objects.get()
    assert job.status == Status.QUEUED and DBTaskResult.objects.get().status == "READY"
    page = manager_client.get(response.url).content.decode()
    assert f'data-job-status="{response.url}status/"' in page
    assert "Refresh to see where it stands" in page  # without JavaScript

    # A worker takes the job and is killed mid-way: its queue entry stays RUNNING for ever.
    DBTaskResult.objects.update(status="RUNNING")
    ExportJob.objects.filter(pk=job.pk).update(status=Status.RUNNING, progress_pct=50)
    run_worker()
    assert ExportJob.objects.get().status == Status.RUNNING  # no worker takes it again by itself
    long_ago = timezone.now() - datetime.timedelta(minutes=settings.EXPORT_JOB_STALL_MINUTES + 1)
    ExportJob.objects.filter(pk=job.pk).update(updated_at=long_ago)
    assert manager_client.get(response.url + "status/").json()["status"] == "running"
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # queued again
    run_worker()
    assert manager_client.get(response.url + "status/").json()["status"] == "done"
    body = b"".join(manager_client.get(response.url + "download/").streaming_content)
    assert [r[0] for r in csv_rows(mock.Mock(content=body))[1:]] == ["K-001", "K-002", "K-003"]
