"""Downloads of a closed period's verification package: the workbook and the plots' GeoJSON."""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views import View

from core.views import PermissionView
from credits.models import MonitoringPeriod
from reports.verification import plots_geojson, workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class VerificationDownloadView(PermissionView, View):
    permission_required = "credits.view_monitoringperiod"
    model = MonitoringPeriod  # what `pk` names (the permission matrix fills it from this)
    kind = "xlsx"

    def get(self, request, pk):
        period = get_object_or_404(MonitoringPeriod.objects.select_related("project"), pk=pk)
        if not period.is_closed:
            raise Http404("Only a closed period has a verification package.")
        name = f"verification-{period.vintage}"
        if self.kind == "xlsx":
            response = HttpResponse(workbook_bytes(period), content_type=XLSX)
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        else:
            response = HttpResponse(
                json.dumps(plots_geojson(period)), content_type="application/geo+json"
            )
            response["Content-Disposition"] = f'attachment; filename="{name}-plots.geojson"'
        return response
