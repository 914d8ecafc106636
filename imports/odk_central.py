"""Read an ODK Central export of the monitoring form: the zip of CSV files, or its main CSV.

Central's zip holds `<form id>.csv` (one row per submission, columns named by the form's paths
joined with `-`: `visit-plot`, `sp3-sp3_alive`, `meta-instanceID`, and `KEY`) and one CSV per
repeat, `<form id>-trees.csv`, whose columns are the paths inside the repeat (`dbh_cm`, a geopoint
split into `location-Latitude`, `location-Longitude`...) with `PARENT_KEY` = the submission's KEY.
"""

from django.utils.translation import gettext as _

from imports.fieldform import FieldExport, cell, last_segment, open_archive
from imports.readers import MAX_UPLOAD_BYTES, DataFileError, read_table


def is_central_zip(names: list[str]) -> bool:
    return any(name.lower().endswith(".csv") for name in names)


def read_central(content: bytes) -> FieldExport:
    archive = open_archive(content)
    tables = {}
    with archive:
        for info in archive.infolist():
            if info.is_dir() or not info.filename.lower().endswith(".csv"):
                continue  # media attachments
            if info.file_size > MAX_UPLOAD_BYTES:
                raise DataFileError(_("%(name)s is too large to import.") % {"name": info.filename})
            tables[info.filename] = read_table(archive.read(info), info.filename)
    main = [n for n, t in tables.items() if "parent_key" not in map(_lower, t.headers)]
    if len(main) != 1:
        raise DataFileError(
            _("An ODK Central export holds one CSV of submissions; this zip holds %(count)s.")
            % {"count": len(main)}
        )
    main_name = main[0]
    submissions = tables[main_name]
    trees_name = next(
        (
            name
            for name, table in tables.items()
            if name != main_name and "dbh_cm" in map(last_segment, table.headers)
        ),
        None,
    )
    if trees_name is None:
        return FieldExport(submissions, submissions_name=main_name)
    trees = tables[trees_name]
    key_at = _position(submissions.headers, "key")
    by_key = {str(cell(v, key_at) or "").strip(): i for i, v in enumerate(submissions.rows)}
    parent_at = _position(trees.headers, "parent_key")
    parents = [by_key.get(str(cell(v, parent_at) or "").strip()) for v in trees.rows]
    return FieldExport(submissions, trees, parents, main_name, trees_name)


def _lower(header) -> str:
    return str(header or "").strip().lower()


def _position(headers, name) -> int | None:
    return next((i for i, h in enumerate(headers) if _lower(h) == name), None)
