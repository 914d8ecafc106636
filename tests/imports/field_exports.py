"""Exports of the monitoring form as KoboToolbox and ODK Central make them, built from the
converted form's own field paths (pyxform's output), not from hard-coded column names."""

import csv
import io
import zipfile

from openpyxl import Workbook
from pyxform.xls2xform import convert

FORM_ID = "acopagro_monitoring"


def form_fields(xlsform: bytes) -> tuple[list, list]:
    """(path, type) of every data field outside the `trees` repeat, and inside it."""
    survey = convert(xlsform, form_name="acopagro")._pyxform
    main, trees = [], []

    def walk(children, path, target):
        for child in children:
            child_path = (*path, child["name"])
            if child["type"] == "group":
                walk(child["children"], child_path, target)
            elif child["type"] == "repeat":
                walk(child["children"], child_path, trees)
            else:
                target.append((child_path, child["type"]))

    walk(survey["children"], (), main)
    return main, trees


def _value(path, values):
    return values.get(path[-1], "")


def kobo_xlsx(xlsform: bytes, submissions: list[dict]) -> bytes:
    """Kobo's XLSX export ("XML values and headers", group separator "/"): the submissions on
    the first sheet, the trees on a sheet named after the repeat, joined by _index/_parent_index."""
    main_fields, tree_fields = form_fields(xlsform)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Acopagro – monitoreo de plantac"  # Kobo cuts the title to 31 characters
    sheet.append([*("/".join(p) for p, _t in main_fields), "_id", "_uuid", "_index"])
    trees = workbook.create_sheet("trees")
    tree_headers = []
    for path, kind in tree_fields:
        tree_headers.append("/".join(path))
        if kind == "geopoint":
            joined = "/".join(path)
            tree_headers += [f"_{joined}_{p}" for p in ("latitude", "longitude", "altitude")]
            tree_headers.append(f"_{joined}_precision")
    trees.append([*tree_headers, "_index", "_parent_table_name", "_parent_index"])
    tree_index = 0
    for index, submission in enumerate(submissions, start=1):
        uuid = submission["instanceID"].removeprefix("uuid:")
        sheet.append([*(_value(p, submission) for p, _t in main_fields), 1000 + index, uuid, index])
        for tree in submission.get("trees", []):
            tree_index += 1
            row = []
            for path, kind in tree_fields:
                row.append(_value(path, tree))
                if kind == "geopoint":
                    row += (tree.get("location") or "   ").split(" ")[:4]
            trees.append([*row, tree_index, sheet.title, index])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def central_zip(xlsform: bytes, submissions: list[dict]) -> bytes:
    """ODK Central's export zip: <form>.csv (paths joined by "-", KEY) and <form>-trees.csv
    (paths inside the repeat, geopoints split in four columns, PARENT_KEY and KEY)."""
    main_fields, tree_fields = form_fields(xlsform)
    main = [["SubmissionDate", *("-".join(p) for p, _t in main_fields), "KEY", "SubmitterID"]]
    tree_headers = []
    for path, kind in tree_fields:
        inner = "-".join(path[1:])  # Central names repeat columns from inside the repeat
        if kind == "geopoint":
            tree_headers += [f"{inner}-{p}" for p in ("Latitude", "Longitude", "Altitude")]
            tree_headers.append(f"{inner}-Accuracy")
        else:
            tree_headers.append(inner)
    trees = [[*tree_headers, "PARENT_KEY", "KEY"]]
    for submission in submissions:
        key = submission["instanceID"]
        main.append(
            ["2026-06-02T10:00:00.000Z", *(_value(p, submission) for p, _t in main_fields), key, 7]
        )
        for number, tree in enumerate(submission.get("trees", []), start=1):
            row = []
            for path, kind in tree_fields:
                if kind == "geopoint":
                    row += (tree.get("location") or "   ").split(" ")[:4]
                else:
                    row.append(_value(path, tree))
            trees.append([*row, key, f"{key}/trees[{number}]"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in ((f"{FORM_ID}.csv", main), (f"{FORM_ID}-trees.csv", trees)):
            text = io.StringIO()
            csv.writer(text, lineterminator="\n").writerows(rows)
            archive.writestr(name, text.getvalue())
    return buffer.getvalue()
