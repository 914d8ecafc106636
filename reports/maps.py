"""The map of plots: a page with Leaflet (served locally) and its GeoJSON endpoint.

Two queries whatever the number of plots: the plots, and survival at the latest visit per plot.
Without internet the map has no base layer and the plots still show on a blank background.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.gzip import gzip_page

from core.views import PageView, PermissionView
from members.models import Plot
from reports import latest
from reports.cache import FIELD_TOPICS, cached, one_stamp
from reports.eudr import PROBLEM_LABELS
from reports.filters import ReportFilterForm, filter_form_html
from reports.geojson import round_coordinates
from reports.tables import pct

PERMISSION = "members.view_plot"


def plot_features(report_filter) -> list[dict]:
    def compute():
        survival = {row["plot_id"]: row for row in latest.survival_by(report_filter, "plot_id")}
        features = []
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
            counted = survival.get(plot["id"], {})
            survival_pct = pct(counted.get("alive"), counted.get("planted"))
            features.append(
                {
                    "type": "Feature",
                    "geometry": round_coordinates(geometry),
                    "properties": {
                        "id": plot["id"],
                        "code": plot["code"],
                        "problems": [
                            str(PROBLEM_LABELS[name])
                            for name in problems
                            if plot[f"problem_{name}"]
                        ],
                        "member": f"{plot['member__first_name']} {plot['member__last_name']}",
                        "member_code": plot["member__code"],
                        "community": plot["member__community__name"],
                        "land_use": plot["land_use"],
                        "area_ha": float(plot["area_ha"]),
                        "alive": counted.get("alive"),
                        "planted": counted.get("planted"),
                        "survival_pct": float(survival_pct) if survival_pct is not None else None,
                    },
                }
            )
        return features

    return cached("map", report_filter.key(), compute, topics=FIELD_TOPICS)


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


@method_decorator(gzip_page, name="dispatch")  # this JSON only (see reports/geojson.py)
class PlotGeoJsonView(PermissionView, View):
    permission_required = PERMISSION

    def get(self, request, *args, **kwargs):
        form = ReportFilterForm(request.GET or None)
        if request.GET and not form.is_valid():
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        report_filter = form.report_filter() if form.is_bound else ReportFilterForm.empty()
        # The serialised document is cached too: at full scale (3,500 plots) re-encoding it
        # would cost more than everything else in the request.
        with one_stamp():
            body = cached(
                "map-json",
                report_filter.key(),
                lambda: json.dumps(
                    {"type": "FeatureCollection", "features": plot_features(report_filter)},
                    cls=DjangoJSONEncoder,
                ),
                topics=FIELD_TOPICS,
            )
        return HttpResponse(body, content_type="application/json")
