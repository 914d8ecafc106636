"""Benchmark of the spreadsheet import: 50,000 planting rows through `manage.py import_data`.

Builds a fresh database (SQLite file in a temporary folder unless DATABASE_URL is set), imports
1,000 members and 5,000 plots, then times the import of a 50,000-row planting CSV and its
re-import (which must change nothing). Usage:

    .venv/bin/python bench/import_bench.py [--rows 50000]

The target (issue 6) is under 60 s for the 50,000-row planting import on the project's machine.
"""

import argparse
import csv
import datetime
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECIES = ["Caoba", "Cedro", "Capirona", "Bolaina", "Tornillo", "Shaina", "Pinochuncho",
           "Estoraque"]  # fmt: skip


def write_csv(path: Path, rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)


def manage(env, *args) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one command (CPU tells the work apart from a busy machine)."""
    started = time.perf_counter()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    return time.perf_counter() - started, cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    options = parser.parse_args()
    rows = options.rows
    plots = max(rows // 10, 1)
    members = max(plots // 5, 1)

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        env = {**os.environ, "DEBUG": "1"}
        env.setdefault("DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}")
        manage(env, "migrate", "-v0")

        write_csv(folder / "members.csv", [
            ["Código de socio", "DNI", "Nombres", "Apellidos", "Sexo", "Comunidad", "Distrito",
             "Fecha de ingreso"],
            *([f"B-{i:05d}", f"{50000000 + i:08d}", "Rosa", f"Núñez {i}", "F",
               f"Comité {i % 24}", "juanjui", "2005-01-01"] for i in range(members)),
        ])  # fmt: skip
        write_csv(folder / "plots.csv", [
            ["Código de parcela", "Código de socio", "Uso de suelo", "Área (ha)"],
            *([f"BP-{i:06d}", f"B-{i % members:05d}", "cacao", "2,5"] for i in range(plots)),
        ])  # fmt: skip
        start = datetime.date(2008, 3, 1)
        write_csv(folder / "plantings.csv", [
            ["Código de parcela", "Especie", "Fecha de siembra", "Árboles plantados",
             "Lote de vivero", "Disposición"],
            *([f"BP-{i % plots:06d}", SPECIES[i % len(SPECIES)],
               (start + datetime.timedelta(days=i // plots)).strftime("%d/%m/%Y"),
               str(20 + i % 50), f"V-{i // plots}", "disperso"] for i in range(rows)),
        ])  # fmt: skip

        timings = {
            f"{members} members": manage(env, "import_data", "members", folder / "members.csv"),
            f"{plots} plots": manage(env, "import_data", "plots", folder / "plots.csv"),
            f"{rows} plantings": manage(env, "import_data", "plantings", folder / "plantings.csv"),
            f"{rows} plantings again (no change)": manage(
                env, "import_data", "plantings", folder / "plantings.csv"
            ),
        }
    database = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    print(f"\nImport benchmark on {database} (whole command incl. start-up, seconds):")
    print(f"  {'':<40} {'wall':>6} {'CPU':>6}")
    for label, (wall, cpu) in timings.items():
        print(f"  {label:<40} {wall:6.1f} {cpu:6.1f}")


if __name__ == "__main__":
    main()
