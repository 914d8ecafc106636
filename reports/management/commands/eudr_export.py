"""`manage.py eudr_export --out FOLDER [--community NAME] [--members CODE,CODE...]`.

Writes the EUDR GeoJSON file(s) of the selection (split under EUDR_EXPORT_MAX_BYTES), or exits
non-zero listing the plots to fix when TRACES would refuse any of them.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.text import slugify

from members.models import Community
from reports import eudr


class Command(BaseCommand):
    help = "Write the EUDR geolocation GeoJSON (TRACES) of a community or a list of members."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, type=Path, help="Folder for the files.")
        parser.add_argument("--community", default="", help="Community name.")
        parser.add_argument("--members", default="", help="Member codes, comma separated.")
        parser.add_argument(
            "--certified",
            choices=["", "active", "organic", "fairtrade"],
            default="",
            help="Only active, organic or fair-trade certified members.",
        )

    def handle(self, *args, out, community, members, certified, **options):
        data = {"member_codes": members, "certified": certified}
        if community:
            found = Community.objects.filter(name__iexact=community).first()
            if found is None:
                raise CommandError(f"No community named {community!r}.")
            data["community"] = found.pk
        form = eudr.EudrSelectionForm(data)
        if not form.is_valid():
            raise CommandError("; ".join(m for ms in form.errors.values() for m in ms))
        selection = form.selection()
        blocking = eudr.blocking_plots(selection)
        if blocking:
            for row in blocking:
                plot = row["plot"]
                self.stderr.write(
                    f"{plot.code}\t{plot.member.full_name} ({plot.member.code})\t"
                    + "; ".join(str(p) for p in row["blocking"])
                )
            raise CommandError(
                f"{len(blocking)} plots to fix before TRACES accepts the export; nothing written."
            )
        out.mkdir(parents=True, exist_ok=True)
        name = f"eudr-{slugify(community)}" if community else "eudr"
        stem = f"{name}-{timezone.localdate().isoformat()}"
        files = eudr.geojson_files(selection)
        for number, content in enumerate(files, start=1):
            suffix = f"-{number}" if len(files) > 1 else ""
            path = out / f"{stem}{suffix}.geojson"
            path.write_bytes(content)
            self.stdout.write(f"{path} ({len(content):,} bytes)")
        lacking = eudr.lacking_evidence_count(selection)
        if lacking:
            self.stdout.write(f"{lacking} plots lack deforestation evidence (see the CSV export).")
