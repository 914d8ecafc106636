"""Find every pair of overlapping plot boundaries again (after a migration or a bulk load)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from members.overlaps import recompute_overlaps


class Command(BaseCommand):
    help = "Recompute the overlaps between plot boundaries (Shapely STRtree)."

    def handle(self, *args, **options):
        count = recompute_overlaps()
        self.stdout.write(_("%(count)s overlapping pairs of plots.") % {"count": count})
