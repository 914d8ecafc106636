"""The plot problems page and the EUDR geolocation export (page, GeoJSON, CSV / XLSX)."""

import io
import re
import zipfile

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from core.views import PageView
from members.models import Community, Plot, PlotOverlap
from members.querysets import EUDR_BLOCKING_PROBLEMS
from reports import eudr
from reports.catalogue import MANAGERS
from reports.exports import export_response

PROBLEMS_PER_PAGE = 100


class PlotProblemsView(PageView):
    """Every plot problem on one page: counts, the plots with the chosen problem, the overlaps."""

    template_name = "reports/plot_problems.html"
    permission_required = "members.view_plot"

    def get_context_data(self, **kwargs):
        conditions = Plot.objects.problem_conditions()
        wanted = self.request.GET.get("problem", "")
        if wanted not in conditions:
            wanted = ""
        community_id = self.request.GET.get("community", "")
        community = (
            Community.objects.filter(pk=int(community_id)).first()
            if re.fullmatch(r"[0-9]{1,9}", community_id)
            else None
        )
        plots = Plot.objects.all()
        if community:
            plots = plots.filter(member__community=community)
        counts = plots.aggregate(
            **{name: Count("pk", filter=Q(condition)) for name, condition in conditions.items()}
        )
        # Without a choice: the geometry problems; "no evidence" concerns most plots at first.
        shown = [wanted] if wanted else [n for n in conditions if n != "no_evidence"]
        chosen = Q()
        for name in shown:
            chosen |= Q(conditions[name])
        listed = eudr.with_problems(plots.filter(chosen)).order_by("code")
        page = Paginator(listed, PROBLEMS_PER_PAGE).get_page(self.request.GET.get("page"))
        overlaps = PlotOverlap.objects.select_related(
            "plot__member", "other_plot__member", "plot__member__community"
        )
        if community:
            overlaps = overlaps.filter(
                Q(plot__member__community=community) | Q(other_plot__member__community=community)
            )
        kwargs.update(
            problem_counts=[
                {
                    "name": name,
                    "label": eudr.PROBLEM_LABELS[name],
                    "count": counts[name],
                    "blocking": name in EUDR_BLOCKING_PROBLEMS,
                }
                for name in conditions
            ],
            wanted=wanted,
            community=community,
            communities=Community.objects.all(),
            page_obj=page,
            rows=[eudr.problem_row(plot) for plot in page],
            overlaps=overlaps[:PROBLEMS_PER_PAGE],
            overlap_count=overlaps.count(),
        )
        return super().get_context_data(**kwargs)


class EudrExportView(PageView):
    """GET: the selection form; with `format=geojson|csv|xlsx`: the files, or the plots to fix."""

    template_name = "reports/eudr_export.html"
    permission_required = MANAGERS

    def get(self, request, *args, **kwargs):
        form = eudr.EudrSelectionForm(request.GET or None)
        fmt = request.GET.get("format", "")
        if not form.is_bound:
            return self.render_to_response(self.get_context_data(form=form))
        if not form.is_valid() or fmt not in ("", "geojson", "csv", "xlsx"):
            return self.render_to_response(self.get_context_data(form=form), status=400)
        selection = form.selection()
        blocking = eudr.blocking_plots(selection)
        context = {
            "form": form,
            "checked": True,
            "blocking": blocking,
            "plot_count": selection.plots().count(),
            "lacking_evidence": eudr.lacking_evidence_count(selection),
            "query": request.GET.urlencode(),
        }
        if fmt in ("csv", "xlsx"):
            return export_response([eudr.evidence_table(selection)], fmt, "eudr-plots")
        if fmt == "geojson":
            if blocking:  # TRACES would refuse the file: say which plots to fix first
                return self.render_to_response(self.get_context_data(**context), status=409)
            return geojson_response(eudr.geojson_files(selection), self.file_stem(form))
        return self.render_to_response(self.get_context_data(**context))

    @staticmethod
    def file_stem(form) -> str:
        community = form.cleaned_data.get("community")
        name = f"eudr-{slugify(community.name)}" if community else "eudr"
        return f"{name}-{timezone.localdate().isoformat()}"


def geojson_response(files: list[bytes], stem: str) -> HttpResponse:
    """One file as application/geo+json; several (over the size limit) in one ZIP."""
    if len(files) == 1:
        response = HttpResponse(files[0], content_type="application/geo+json")
        response["Content-Disposition"] = f'attachment; filename="{stem}.geojson"'
        return response
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, content in enumerate(files, start=1):
            archive.writestr(f"{stem}-{number}.geojson", content)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{stem}.zip"'
    return response
