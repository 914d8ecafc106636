"""The list of reports: slug, title, who may open it and the function that builds its tables."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from acopagro.reports import field
from acopagro.reports.filters import ReportFilter
from acopagro.reports.tables import Table

MANAGERS = "plantings.view_reports"
# The visit list is the technicians' work plan: staff who record visits may read it too.
FIELD_STAFF = "plantings.view_monitoringvisit"


@dataclass(frozen=True)
class Report:
    slug: str
    title: str
    build: Callable[[ReportFilter], list[Table]]
    permission: str = MANAGERS
    intro: str = ""


REPORTS = [
    Report(
        "plantings",
        _("Plantings"),
        field.plantings_report,
        intro=_("Trees planted by year against the target, by species and by community."),
    ),
    Report(
        "survival",
        _("Survival"),
        field.survival_report,
        intro=_(
            "Trees alive against trees planted on the same plots and species by the visit date."
        ),
    ),
    Report(
        "members",
        _("Members"),
        field.members_report,
        intro=_("Every member with plots, hectares, trees planted and trees alive."),
    ),
    Report(
        "visit-list",
        _("Visit list"),
        field.visit_list_report,
        permission=FIELD_STAFF,
        intro=_("Members whose plots had the lowest survival at their latest visits."),
    ),
]


def register(report: Report) -> None:
    """Add a report (carbon and credits reports register themselves in their own module)."""
    REPORTS.append(report)


def get(slug: str) -> Report:
    for report in REPORTS:
        if report.slug == slug:
            return report
    raise KeyError(slug)
