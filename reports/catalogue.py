"""The list of reports: slug, title, who may open it and the function that builds its tables."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from reports import credit_reports, field, followup, member_lists, payday
from reports.cache import (
    CARBON_TOPICS,
    FIELD_TOPICS,
    PAYMENT_TOPICS,
    PLANTED_TOPICS,
    REGISTRY_TOPICS,
    TOPICS,
)
from reports.filters import ReportFilter, ReportFilterForm
from reports.tables import Table

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
    form_class: type[ReportFilterForm] = ReportFilterForm  # a report may add its own filters
    # What its tables read: the page's cached tables, charts and downloads follow these topics'
    # generations (reports/cache.py); every topic unless narrowed.
    topics: tuple[str, ...] = TOPICS
    # The tables as the page shows them, when a long one is read in part (its first rows and
    # how many there are) rather than built whole as the downloads need it.
    page: Callable[[ReportFilter], list[Table]] | None = None


REPORTS = [
    Report(
        "plantings",
        _("Plantings"),
        field.plantings_report,
        intro=_("Trees planted by year against the target, by species and by community."),
        topics=PLANTED_TOPICS,
    ),
    Report(
        "survival",
        _("Survival"),
        field.survival_report,
        intro=_(
            "Trees alive against trees planted on the same plots and species by the visit date."
        ),
        topics=FIELD_TOPICS,
    ),
    Report(
        "members",
        _("Members"),
        member_lists.members_report,
        page=member_lists.members_page,
        intro=_("Every member with plots, hectares, trees planted and trees alive."),
        topics=FIELD_TOPICS,
    ),
    Report(
        "visit-list",
        _("Visit list"),
        member_lists.visit_list_report,
        page=member_lists.visit_list_page,
        permission=FIELD_STAFF,
        intro=_("Members whose plots had the lowest survival at their latest visits."),
        topics=FIELD_TOPICS,
    ),
    Report(
        "follow-up",
        _("Follow-up lists"),
        followup.followup_report,
        permission=FIELD_STAFF,
        intro=_(
            "Plots not visited in 12 months, plots whose survival fell below a threshold, and "
            "visits per technician."
        ),
        form_class=followup.FollowUpFilterForm,
        topics=FIELD_TOPICS,
    ),
    Report(
        "carbon",
        _("Carbon stock"),
        credit_reports.carbon_report,
        page=credit_reports.carbon_page,
        intro=_("Verified and projected tCO2e at the end date, by community, species and member."),
        topics=CARBON_TOPICS,
    ),
    Report(
        "carbon-over-time",
        _("Carbon over time"),
        credit_reports.carbon_over_time_report,
        intro=_("Projected against verified stock at year ends, and the target to date."),
        topics=CARBON_TOPICS,
    ),
    Report(
        "credits",
        _("Credits and money"),
        credit_reports.credits_report,
        intro=_("Per vintage: issued, buffer, sold, retired; per sale: producers' pool and paid."),
        topics=REGISTRY_TOPICS,
    ),
    Report(
        "payday",
        _("Payday sheet"),
        payday.payday_report,
        intro=_(
            "Members paid on a payday (the latest, or the dates chosen), per community, with "
            "their amount in soles and a column to sign; and the transfers to send."
        ),
        # A visit or a planting leaves the sheet cached (it was rendered again after every save).
        topics=PAYMENT_TOPICS,
    ),
    Report(
        "community",
        _("Community report"),
        credit_reports.community_report,
        intro=_("Choose a community: its members, survival and carbon, to print or as PDF."),
    ),
]


def get(slug: str) -> Report:
    for report in REPORTS:
        if report.slug == slug:
            return report
    raise KeyError(slug)
