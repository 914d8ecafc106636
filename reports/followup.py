"""Follow-up lists for the field team: plots not visited for a year, plots whose survival fell
below a threshold (`survival_below`, a GET parameter, 70 % unless chosen), visits per technician.

Each list is one grouped query; the community, species and land-use filters apply as elsewhere.
"""

import dataclasses
import datetime

from django import forms
from django.db.models import Count, Exists, Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Plot
from plantings.models import MonitoringVisit, Planting
from reports import latest
from reports.cache import FIELD_TOPICS, cached
from reports.filters import ReportFilter, ReportFilterForm
from reports.tables import Column, Table, pct

DEFAULT_SURVIVAL_BELOW_PCT = 70
NOT_VISITED_DAYS = 365


@dataclasses.dataclass(frozen=True)
class FollowUpFilter(ReportFilter):
    survival_below_pct: int = DEFAULT_SURVIVAL_BELOW_PCT

    def params(self) -> dict:
        return {**super().params(), "survival_below": self.survival_below_pct}


class FollowUpFilterForm(ReportFilterForm):
    survival_below = forms.IntegerField(
        label=gettext_lazy("survival below (%)"), min_value=1, max_value=100, required=False
    )

    @staticmethod
    def empty() -> FollowUpFilter:
        return FollowUpFilter()

    def report_filter(self) -> FollowUpFilter:
        base = super().report_filter()
        below = self.cleaned_data.get("survival_below") or DEFAULT_SURVIVAL_BELOW_PCT
        return FollowUpFilter(**dataclasses.asdict(base), survival_below_pct=below)


def _as_of(f: ReportFilter) -> datetime.date:
    return f.date_to or timezone.localdate()


def not_visited_rows(f: ReportFilter) -> list[dict]:
    """Plots with trees planted and no visit in the last year (or never visited)."""
    as_of = _as_of(f)
    cutoff = as_of - datetime.timedelta(days=NOT_VISITED_DAYS)
    visits = MonitoringVisit.objects.filter(plot_id=OuterRef("pk"), visited_on__lte=as_of)
    # No visit in the last year: one probe of the (plot, day) index per plot, not every visit of
    # every plot grouped (28 against 4 ms at full scale, read again after every saved visit).
    plots = (
        f.plots(Plot.objects.all())
        .filter(Exists(Planting.objects.filter(plot_id=OuterRef("pk"))))
        .exclude(Exists(visits.filter(visited_on__gte=cutoff)))
        .annotate(last_visit=Subquery(visits.order_by("-visited_on").values("visited_on")[:1]))
        .values(
            "pk",
            "code",
            "member__code",
            "member__last_name",
            "member__first_name",
            "member__community__name",
            "last_visit",
        )
    )
    rows = [
        {
            "plot_id": p["pk"],
            "plot": p["code"],
            "member": f"{p['member__last_name']}, {p['member__first_name']}",
            "community": p["member__community__name"],
            "last_visit": p["last_visit"],
            "days": (as_of - p["last_visit"]).days if p["last_visit"] else None,
        }
        for p in plots
    ]
    # Never visited first, then the longest without a visit.
    rows.sort(key=lambda r: (r["days"] is not None, -(r["days"] or 0), r["plot"]))
    return rows


def low_survival_rows(f: FollowUpFilter) -> list[dict]:
    """Plots whose latest visit found fewer trees alive than the threshold, lowest first."""
    rows = []
    for r in latest.survival_by(
        f,
        "plot_id",
        "plot__code",
        "plot__member__last_name",
        "plot__member__first_name",
        "plot__member__community__name",
    ):
        survival = pct(r["alive"], r["planted"])
        if survival is None or survival >= f.survival_below_pct:
            continue
        rows.append(
            {
                "plot_id": r["plot_id"],
                "plot": r["plot__code"],
                "member": f"{r['plot__member__last_name']}, {r['plot__member__first_name']}",
                "community": r["plot__member__community__name"],
                "alive": r["alive"],
                "planted": r["planted"],
                "survival_pct": survival,
                "last_visit": r["last_visit"],
            }
        )
    rows.sort(key=lambda r: (r["survival_pct"], r["plot"]))
    return rows


def technician_rows(f: ReportFilter) -> list[dict]:
    """Visits per technician in the date range (the last year unless dates are chosen)."""
    date_from = f.date_from or _as_of(f) - datetime.timedelta(days=NOT_VISITED_DAYS)
    visits = MonitoringVisit.objects.filter(visited_on__gte=date_from, visited_on__lte=_as_of(f))
    visits = visits.filter(plot__in=f.plots(Plot.objects.all()))
    return list(
        visits.values("technician")
        .annotate(visits=Count("pk"), plots=Count("plot", distinct=True), last=Max("visited_on"))
        .order_by("-visits", "technician")
    )


def followup_report(f: ReportFilter) -> list[Table]:
    f = f if isinstance(f, FollowUpFilter) else FollowUpFilter(**dataclasses.asdict(f))
    below = f.survival_below_pct
    plot = Column("plot", _("plot"), numeric=False)
    member = Column("member", _("member"), numeric=False)
    community = Column("community", _("community"), numeric=False)
    last_visit = Column("last_visit", _("last visit"), numeric=False)
    link = {"plot": ("members:plot_detail", "plot_id")}

    def rows(slug: str, build) -> list[dict]:
        """The rows of one list, cached under the filters and the field data."""
        return cached(f"followup-{slug}", f.key(), lambda: build(f), topics=FIELD_TOPICS)

    return [
        Table(
            "not-visited",
            _("Plots not visited in 12 months"),
            [plot, member, community, last_visit, Column("days", _("days since"))],
            rows("not-visited", not_visited_rows),
            link=link,
            note=_("Plots with trees planted; never visited first."),
        ),
        Table(
            "low-survival",
            _("Plots with survival below %(pct)s %%") % {"pct": below},
            [
                plot,
                member,
                community,
                Column("alive", _("trees alive")),
                Column("planted", _("trees planted")),
                Column("survival_pct", _("survival"), "%"),
                last_visit,
            ],
            rows("low-survival", low_survival_rows),
            link=link,
            note=_("At each plot's latest visit. Choose another threshold above."),
        ),
        Table(
            "technicians",
            _("Visits per technician"),
            [
                Column("technician", _("technician"), numeric=False),
                Column("visits", _("visits")),
                Column("plots", _("plots visited")),
                Column("last", _("last visit"), numeric=False),
            ],
            rows("technicians", technician_rows),
            note=_("In the dates chosen, or in the last 12 months."),
        ),
    ]
