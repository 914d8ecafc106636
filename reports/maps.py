"""The map of plots: a page with Leaflet (served locally) and its GeoJSON endpoint.

Two queries whatever the number of plots: the plots, and survival at the latest visit per plot;
each cached under the topics it reads, so a saved visit re-reads only the survival.
Without internet the map has no base layer and the plots still show on a blank background.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse
from django.middleware.gzip import re_accepts_gzip
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string
from django.views import View

from core.views import PageView, PermissionView
from members.models import Plot
from reports import latest
from reports.cache import FIELD_TOPICS, PLANTED_TOPICS, cached, one_stamp
from reports.eudr import PROBLEM_LABELS
from reports.filters import ReportFilterForm, filter_form_html
from reports.geojson import round_coordinates
from reports.tables import pct

PERMISSION = "members.view_plot"


def plot_shapes(report_filter) -> list[tuple[int, str]]:
    """Each plot's feature as GeoJSON text, its properties left open for the survival figures:
    (plot id, text). Cached by what is planted where, not by the visits: parsing and rounding
    3,500 boundaries was most of the map's time, and a clerk saves a visit every few seconds."""

    def compute():
        shapes = []
        problems = [name for name in PROBLEM_LABELS if name != "no_evidence"]
        plots = report_filter.plots(Plot.objects.all()).annotate_problems()
        for plot in plots.map_points(*(f"problem_{name}" for name in problems)):
            # A stored boundary that breaks the rules (no measured area) is drawn as its point:
            # one bad feature must not stop the map drawing the others.
            geometry = plot["boundary_geojson"] if plot["boundary_area_ha"] is not None else None
            if not geometry and plot["latitude"] is not None:
                geometry = {
                    "type": "Point",
                    "coordinates": [float(plot["longitude"]), float(plot["latitude"])],
                }
            if not geometry:
                continue
            feature = {
                "type": "Feature",
                "geometry": round_coordinates(geometry),
                "properties": {
                    "id": plot["id"],
                    "code": plot["code"],
                    "problems": [
                        str(PROBLEM_LABELS[name]) for name in problems if plot[f"problem_{name}"]
                    ],
                    "member": f"{plot['member__first_name']} {plot['member__last_name']}",
                    "member_code": plot["member__code"],
                    "community": plot["member__community__name"],
                    "land_use": plot["land_use"],
                    "area_ha": float(plot["area_ha"]),
                },
            }
            # The text without the two closing braces of "properties" and the feature.
            shapes.append((plot["id"], json.dumps(feature, cls=DjangoJSONEncoder)[:-2]))
        return shapes

    return cached("map-shapes", report_filter.key(), compute, topics=PLANTED_TOPICS)


def feature_collection_json(report_filter) -> str:
    """The map's FeatureCollection: the cached shapes closed with each plot's survival at its
    latest visit, read from the summaries kept on write (the whole document is cached by the
    view under the visits' generation, so the survival needs no cache of its own)."""
    survival = {
        row["plot_id"]: (row.get("alive"), row.get("planted"))
        for row in latest.survival_by(report_filter, "plot_id")
    }
    features = []
    for plot_id, shape in plot_shapes(report_filter):
        alive, planted = survival.get(plot_id, (None, None))
        survival_pct = pct(alive, planted)
        figures = {
            "alive": alive,
            "planted": planted,
            "survival_pct": float(survival_pct) if survival_pct is not None else None,
        }
        features.append(f"{shape}, {json.dumps(figures)[1:]}}}")
    return '{"type": "FeatureCollection", "features": [' + ", ".join(features) + "]}"


class PlotMapView(PageView):
    template_name = "reports/map.html"
    permission_required = PERMISSION

    def get_context_data(self, **kwargs):
        form = ReportFilterForm(self.request.GET or None)
        form.is_valid()
        kwargs["form"] = form
        kwargs["form_html"] = filter_form_html(form)
        kwargs["land_uses"] = dict(Plot.LandUse.choices)
        kwargs["tile_url"] = getattr(settings, "MAP_TILE_URL", "")
        kwargs["plot_url"] = reverse("members:plot_detail", args=[0])
        return super().get_context_data(**kwargs)


class PlotGeoJsonView(PermissionView, View):
    permission_required = PERMISSION

    def get(self, request, *args, **kwargs):
        form = ReportFilterForm(request.GET or None)
        if request.GET and not form.is_valid():
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        report_filter = form.report_filter() if form.is_bound else ReportFilterForm.empty()
        # The serialised document is cached, and its gzip-compressed copy beside it: at full
        # scale (3,500 plots, 1.76 MB) re-encoding it would cost more than everything else in
        # the request, and compressing it for every request (gzip_page) took 60-90 ms more.
        with one_stamp():
            body = cached(
                "map-json",
                report_filter.key(),
                lambda: feature_collection_json(report_filter),
                topics=FIELD_TOPICS,
            )
            gzipped = re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
            if gzipped:  # no secret token in this JSON, so no BREACH (reports/geojson.py)
                body = cached(
                    "map-json-gzip",
                    report_filter.key(),
                    lambda: compress_string(body.encode()),
                    topics=FIELD_TOPICS,
                )
        response = HttpResponse(body, content_type="application/json")
        patch_vary_headers(response, ("Accept-Encoding",))
        if gzipped:
            response["Content-Encoding"] = "gzip"
        return response
