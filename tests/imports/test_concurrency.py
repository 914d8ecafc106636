"""An import confirmed by a double click writes once (issue 17, finding 1), on PostgreSQL.

Four requests of one session confirm the same preview at the same moment, each on its own
connection: one claims the upload (a conditional UPDATE of its row), the job it queues writes the
rows and the "imported" status in one transaction, and the other three see that one import.
SQLite serializes every write on the whole database, so the race cannot be staged there.
"""

import threading

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from imports.models import ImportUpload
from plantings.models import Planting, TreeMeasurement
from tests.factories import MonitoringVisitFactory
from tests.helpers import RACES_ON_POSTGRESQL
from tests.imports.conftest import csv_bytes

pytestmark = RACES_ON_POSTGRESQL
CLICKS = 4


def confirm_at_once(staff_client, kind, content):
    response = staff_client.post(
        reverse("dataio:upload", args=[kind]), {"file": SimpleUploadedFile("f.csv", content)}
    )
    assert response.status_code == 302, response.content.decode()
    barrier = threading.Barrier(CLICKS)
    statuses = []

    def click():
        client = Client()
        client.cookies = staff_client.cookies  # the same session, as a double click sends
        try:
            barrier.wait(timeout=10)
            statuses.append(client.post(response.url, {"confirm": "1"}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(CLICKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302] * CLICKS
    assert ImportUpload.objects.get().status == ImportUpload.Status.IMPORTED
    return staff_client.get(response.url).content.decode()


def test_four_confirmations_of_three_plantings_create_three(staff_client, plot, caoba):
    rows = [
        ["plot_code", "species", "planted_on", "trees_planted"],
        [plot.code, "Caoba", "2010-01-01", "100"],
        [plot.code, "Caoba", "2011-01-01", "100"],
        [plot.code, "Caoba", "2012-01-01", "100"],
    ]
    page = confirm_at_once(staff_client, "plantings", csv_bytes(rows))
    assert Planting.objects.count() == 3
    assert "3 created, 0 updated, 0 unchanged" in page


def test_four_confirmations_of_three_untagged_trees_add_three(staff_client, plot, caoba):
    MonitoringVisitFactory(plot=plot)
    rows = [["plot_code", "visited_on", "technician", "species", "dbh_cm", "height_m"]] + [
        [plot.code, "2015-06-01", "Edwin Ríos", "Caoba", str(8 + i), "6"] for i in range(3)
    ]
    confirm_at_once(staff_client, "measurements", csv_bytes(rows))
    assert TreeMeasurement.objects.count() == 3
