"""The web upload of a 50,000-row file as background jobs: how long the request takes (it only
stores the file and queues the check), then the check and the import in the worker.

    .venv/bin/python bench/upload_job_bench.py [--rows 50000]

A fresh SQLite database in a temporary folder (or DATABASE_URL). The budget (issues 13 and 14):
no request of the upload comes near gunicorn's 60 s timeout, whatever the file's size.
"""

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def members_csv(rows: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["Código de socio", "DNI", "Nombres", "Apellidos", "Sexo", "Comunidad",
                     "Distrito", "Fecha de ingreso"])  # fmt: skip
    for i in range(rows):
        writer.writerow([f"B-{i:05d}", f"{50000000 + i:08d}", "Rosa", f"Núñez {i}", "F",
                         f"Comunidad {i % 40}", "Pachiza", "2010-01-01"])  # fmt: skip
    return buffer.getvalue().encode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="acopagro-upload-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}")
    os.environ.update(DEBUG="1", TASKS_BACKEND="database", MEDIA_ROOT=str(folder / "media"),
                      DJANGO_SETTINGS_MODULE="acopagro.settings")  # fmt: skip
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client

    from imports import uploads
    from imports.models import ImportUpload

    call_command("migrate", verbosity=0)
    user = User.objects.create_superuser("bench", "bench@example.org", "bench-only")
    client = Client()
    client.force_login(user)
    content = members_csv(options.rows)

    def timed(label, action):
        started = time.perf_counter()
        result = action()
        print(f"| {label} | {time.perf_counter() - started:.2f} s |")
        return result

    print(f"{options.rows:,} member rows, {len(content) / 1e6:.1f} MB\n")
    print("| step | time |\n|---|---|")
    response = timed(
        "upload request (stores the file, queues the check)",
        lambda: client.post(
            "/data/import/members/",
            {"file": SimpleUploadedFile("members.csv", content)},
            HTTP_HOST="127.0.0.1",
        ),
    )
    assert response.status_code == 302, response.status_code
    upload = ImportUpload.objects.get()
    timed("status request while queued", lambda: client.get(
        response["Location"] + "status/", HTTP_HOST="127.0.0.1"))  # fmt: skip
    timed("check job (read, validate every row, dry run)", lambda: uploads.check(upload.pk))
    timed("preview page", lambda: client.get(response["Location"], HTTP_HOST="127.0.0.1"))
    timed("confirm request (claims, queues the import)", lambda: client.post(
        response["Location"], {"confirm": "1"}, HTTP_HOST="127.0.0.1"))  # fmt: skip
    status = timed("import job (all rows in one transaction)", lambda: uploads.apply(upload.pk))
    upload.refresh_from_db()
    errors = (upload.report or {}).get("errors", [])[:3]
    print(f"\nstatus: {status}; first errors: {errors}")


if __name__ == "__main__":
    main()
