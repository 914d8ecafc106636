"""The EUDR geolocation export: plots as TRACES accepts them, refused while any plot needs fixing.

TRACES (the EU Information System of Reg. 2023/1115) takes a GeoJSON FeatureCollection of
`Polygon` / `MultiPolygon` or `Point` geometries in WGS84, at least 6 decimals, with the
properties ProducerName, ProducerCountry (ISO 3166 alpha-2), ProductionPlace and, for points
only, Area (ha); each file at most 25 MB (EUDR_EXPORT_MAX_BYTES keeps a margin under it). The
same selection as a table (CSV / XLSX) adds what buyers check beside it: ubigeo, both areas,
land use on 31 Dec 2020 and the latest screening, and which plots lack evidence.
"""

import json
import re
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from members import geometry
from members.models import Community, Member, Plot, ScreeningResult
from members.querysets import EUDR_BLOCKING_PROBLEMS
from reports.tables import Column, Table

PRODUCER_COUNTRY = "PE"
PROBLEM_LABELS = {
    "no_location": _("no GPS point and no polygon"),
    "needs_polygon": _("over 4 ha without a polygon"),
    "broken_boundary": _("boundary breaks a rule"),
    "overlapping": _("overlaps another plot"),
    "area_differs": _("polygon area far from declared area"),
    "forest_lost": _("forest loss after 2020"),
    "no_evidence": _("lacks deforestation evidence"),
}


class EudrSelectionForm(forms.Form):
    community = forms.ModelChoiceField(
        label=_("community"), queryset=Community.objects.all(), required=False
    )
    certified = forms.ChoiceField(
        label=_("members"),
        required=False,
        choices=[
            ("", _("all members")),
            ("active", _("active members")),
            ("organic", _("organic certified")),
            ("fairtrade", _("fair-trade certified")),
        ],
    )
    member_codes = forms.CharField(
        label=_("member codes"),
        required=False,
        max_length=20_000,
        help_text=_("Only the plots of these members: codes separated by commas or spaces."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_member_codes(self):
        codes = [c for c in re.split(r"[\s,;]+", self.cleaned_data["member_codes"]) if c]
        known = set(Member.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise forms.ValidationError(
                _("No member has the code: %(codes)s.") % {"codes": ", ".join(unknown[:20])}
            )
        return codes

    def selection(self) -> "Selection":
        data = self.cleaned_data
        return Selection(
            community_id=data["community"].pk if data.get("community") else None,
            certified=data.get("certified") or "",
            member_codes=tuple(data.get("member_codes") or ()),
        )


@dataclass(frozen=True)
class Selection:
    community_id: int | None = None
    certified: str = ""
    member_codes: tuple[str, ...] = ()

    def plots(self, qs=None):
        qs = Plot.objects.all() if qs is None else qs
        if self.community_id:
            qs = qs.filter(member__community_id=self.community_id)
        if self.certified == "active":
            qs = qs.filter(member__status=Member.Status.ACTIVE)
        elif self.certified == "organic":
            qs = qs.filter(member__organic_certified=True)
        elif self.certified == "fairtrade":
            qs = qs.filter(member__fairtrade_certified=True)
        if self.member_codes:
            qs = qs.filter(member__code__in=self.member_codes)
        return qs.order_by("code")


def with_problems(plots):
    """The plots with any problem, flags annotated, member and community joined."""
    return plots.with_problems().select_related("member", "member__community")


def problem_row(plot) -> dict:
    """A plot of with_problems() with the labels of its problems."""
    codes = [name for name in PROBLEM_LABELS if getattr(plot, f"problem_{name}")]
    return {
        "plot": plot,
        "problems": [PROBLEM_LABELS[c] for c in codes],
        "blocking": [PROBLEM_LABELS[c] for c in codes if c in EUDR_BLOCKING_PROBLEMS],
    }


def problem_rows(plots) -> list[dict]:
    return [problem_row(plot) for plot in with_problems(plots)]


def production_place(plot: Plot) -> str:
    community = plot.member.community
    district = community.get_district_display()
    ubigeo = f", ubigeo {community.ubigeo}" if community.ubigeo else ""
    return f"{plot.code}, {community.name} ({district}{ubigeo})"


def feature(plot: Plot) -> dict:
    """One plot as a TRACES feature: its polygon, or its point with the area."""
    properties = {
        "ProducerName": plot.member.full_name,
        "ProducerCountry": PRODUCER_COUNTRY,
        "ProductionPlace": production_place(plot),
    }
    if plot.boundary_area_ha is not None:
        shape = geometry.rounded(plot.boundary_geojson)
    else:
        shape = {
            "type": "Point",
            "coordinates": [round(float(plot.longitude), 6), round(float(plot.latitude), 6)],
        }
        properties["Area"] = float(plot.area_ha)
    return {"type": "Feature", "geometry": shape, "properties": properties}


def export_plots(selection: Selection):
    return selection.plots().select_related("member", "member__community")


def geojson_files(selection: Selection, max_bytes: int | None = None) -> list[bytes]:
    """The selection as FeatureCollections, each file under max_bytes (EUDR_EXPORT_MAX_BYTES)."""
    limit = max_bytes or settings.EUDR_EXPORT_MAX_BYTES
    head, tail = b'{"type":"FeatureCollection","features":[', b"]}"
    files, current, size = [], [], len(head) + len(tail)
    for plot in export_plots(selection).iterator(chunk_size=1000):
        encoded = json.dumps(feature(plot), ensure_ascii=False, separators=(",", ":")).encode()
        if current and size + len(encoded) + 1 > limit:
            files.append(head + b",".join(current) + tail)
            current, size = [], len(head) + len(tail)
        current.append(encoded)
        size += len(encoded) + 1
    files.append(head + b",".join(current) + tail)
    return files


def evidence_table(selection: Selection) -> Table:
    """The export's plots as rows for buyers' spreadsheets (one query)."""
    latest = ScreeningResult.objects.filter(plot=OuterRef("pk")).order_by("-screened_on", "-pk")
    plots = export_plots(selection).annotate(
        screened_on=Subquery(latest.values("screened_on")[:1]),
        screening_source=Subquery(latest.values("source")[:1]),
        screening_result=Subquery(latest.values("result")[:1]),
    )
    results = dict(ScreeningResult.Result.choices)
    rows = []
    for plot in plots:
        community = plot.member.community
        has_evidence = bool(plot.land_use_2020 and plot.screening_result)
        rows.append(
            {
                "plot": plot.code,
                "member_code": plot.member.code,
                "producer": plot.member.full_name,
                "community": community.name,
                "district": community.get_district_display(),
                "ubigeo": community.ubigeo,
                "geometry": "Polygon" if plot.boundary_area_ha is not None else "Point",
                "latitude": plot.latitude,
                "longitude": plot.longitude,
                "area_ha": plot.area_ha,
                "boundary_area_ha": plot.boundary_area_ha,
                "land_use_2020": plot.get_land_use_2020_display(),
                "declared": " ".join(
                    str(v)
                    for v in (plot.land_use_2020_declared_by, plot.land_use_2020_declared_on)
                    if v
                ),
                "screened_on": plot.screened_on,
                "screening": f"{plot.screening_source}: {results[plot.screening_result]}"
                if plot.screening_result
                else "",
                "evidence": str(_("yes") if has_evidence else _("missing")),
            }
        )
    text = {"numeric": False}
    return Table(
        slug="eudr-plots",
        title=_("EUDR plots"),
        columns=[
            Column("plot", _("plot code"), **text),
            Column("member_code", _("member code"), **text),
            Column("producer", _("producer"), **text),
            Column("community", _("community"), **text),
            Column("district", _("district"), **text),
            Column("ubigeo", _("ubigeo"), **text),
            Column("geometry", _("geometry"), **text),
            Column("latitude", _("latitude")),
            Column("longitude", _("longitude")),
            Column("area_ha", _("declared area"), "ha"),
            Column("boundary_area_ha", _("polygon area"), "ha"),
            Column("land_use_2020", _("land use on 31 Dec 2020"), **text),
            Column("declared", _("declared by / on"), **text),
            Column("screened_on", _("screened on"), **text),
            Column("screening", _("screening result"), **text),
            Column("evidence", _("deforestation evidence"), **text),
        ],
        rows=rows,
    )


def blocking_plots(selection: Selection) -> list[dict]:
    """The plots TRACES would refuse, with why; the export waits until this list is empty."""
    blocked = selection.plots().blocking_eudr_export().values("pk")
    return [row for row in problem_rows(Plot.objects.filter(pk__in=blocked)) if row["blocking"]]


def lacking_evidence_count(selection: Selection) -> int:
    conditions = Plot.objects.problem_conditions()
    return selection.plots().filter(Q(conditions["no_evidence"])).count()
