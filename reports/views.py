"""Report pages: one view class shows any report with the shared filters, its charts and exports."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core import changes
from core.views import PageView, PermissionView
from reports import catalogue, tasks
from reports.cache import PLANTED_TOPICS, cached, data_stamp, one_stamp
from reports.charts import chart_svg, progress_svg
from reports.dashboard import dashboard
from reports.exports import FORMATS, export_file, file_response, plain_text, row_count
from reports.filters import filter_form_html

FILTER_TOPICS = PLANTED_TOPICS


def _link(url_name: str, arg) -> str | None:
    try:
        return reverse(url_name, args=[arg])
    except NoReverseMatch:  # the target page is not built (yet): show plain text
        return None


def table_body_html(table) -> str:
    """The table's rows as HTML, built in Python. Measured for a page of 200 rows × 6 columns (the
    most a report page shows): the same cells through a template loop took 114–194 ms, this
    3–7 ms (2 cores under load, 2026-12-01). Every text is escaped; reverse() runs no query."""
    parts = []
    for row in table.shown_rows:
        parts.append("<tr>")
        for column in table.columns:
            value = row.get(column.key)
            if value is None:
                text = "–"
            else:  # the same text as the PDF: numbers grouped, dates dd/mm/yyyy
                text = escape(plain_text(column, value))
            if column.key in table.link and row.get(table.link[column.key][1]) is not None:
                url_name, arg_key = table.link[column.key]
                url = _link(url_name, row[arg_key])
                if url:
                    text = f'<a href="{escape(url)}">{text}</a>'
            parts.append(f'<td class="num">{text}</td>' if column.numeric else f"<td>{text}</td>")
        parts.append("</tr>\n")
    return mark_safe("".join(parts))  # noqa: S308 (built from escaped values above)


class ReportView(PermissionView, TemplateView):
    """GET with the filters: the page; `format=csv|xlsx|pdf` (and `table=<slug>`): a download,
    built in the request up to settings.EXPORT_SYNC_MAX_ROWS rows, else a page offering to build
    it in the background; POST to the same URL queues that job."""

    template_name = "reports/report.html"
    slug = ""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        try:
            self.report = catalogue.get(kwargs.get("slug", self.slug))
        except KeyError as exc:
            raise Http404 from exc
        self.permission_required = self.report.permission

    def get(self, request, *args, **kwargs):
        form = self.report.form_class(request.GET or None)
        if request.GET and not form.is_valid():
            # Bad filters: the page again with the messages at the fields, nothing computed.
            context = self.get_context_data(form=form, tables=[])
            return self.render_to_response(context, status=400)
        report_filter = form.report_filter() if form.is_bound else form.empty()
        fmt = request.GET.get("format", "")
        with one_stamp():
            if fmt:
                return self.download(fmt, report_filter)
            # The filters and the tables are {% cache %} fragments (templates/reports/report.html)
            # under the generations of what they read, the day, the query and the language: a
            # warm page builds no table. Writing the bodies alone had been half of a warm page
            # (survival: 15 of 33 ms in one process). Rendered here, inside the one stamp its
            # keys were made with.
            context = self.get_context_data(
                form=form,
                tables=SimpleLazyObject(lambda: self.tables_with_bodies(report_filter)),
                query=report_filter.key(),
                report=self.report,
            )
            return self.render_to_response(context).render()

    def tables_with_bodies(self, report_filter):
        tables = (self.report.page or self.report.build)(report_filter)
        for table in tables:
            table.body_html = table_body_html(table)
        return tables

    def download(self, fmt, report_filter):
        if fmt not in FORMATS:
            return HttpResponse(status=400)
        wanted = self.request.GET.get("table", "")
        # The file is cached beside the rows it is made of: writing the all-members CSV (1,800
        # rows) was most of a warm download's time (c=1 p50 under gunicorn: 47 -> 6.5 ms).
        outcome = cached(
            f"export:{self.report.slug}:{fmt}:{wanted}",
            f"{report_filter.key()}:{settings.EXPORT_SYNC_MAX_ROWS[fmt]}",
            lambda: self.export(fmt, wanted, report_filter),
            topics=self.report.topics,
        )
        if outcome[0] == "missing":
            raise Http404
        if outcome[0] == "too many":
            context = self.get_context_data(fmt=fmt, rows=outcome[1])
            return TemplateResponse(self.request, "reports/export_prepare.html", context)
        return file_response(outcome[1], outcome[2], fmt)

    def export(self, fmt, wanted, report_filter) -> tuple:
        """("file", name, bytes), or ("too many", rows) past settings.EXPORT_SYNC_MAX_ROWS, or
        ("missing",) for a table the report does not have."""
        tables = self.report.build(report_filter)
        if wanted:
            tables = [t for t in tables if t.slug == wanted]
            if not tables:
                return ("missing",)
        if row_count(tables) > settings.EXPORT_SYNC_MAX_ROWS[fmt]:
            return ("too many", row_count(tables))
        name = f"{self.report.slug}-{wanted}" if wanted else self.report.slug
        subtitle = f"{self.report.title} {report_filter.key()}".strip()
        return ("file", *export_file(tables, fmt, name, subtitle=subtitle))

    def post(self, request, *args, **kwargs):
        """Queue the download named by the query string (filters, format, table) as a job."""
        fmt = request.GET.get("format", "")
        form = self.report.form_class(request.GET or None)
        if fmt not in FORMATS:
            return HttpResponse(status=400)
        if not form.is_valid():
            context = self.get_context_data(form=form, tables=[])
            return self.render_to_response(context, status=400)
        # Only the filters the form knows are kept on the job's row.
        query = {key: request.GET.getlist(key) for key in form.fields if key in request.GET}
        job = tasks.request_report_export(
            user=request.user,
            report=self.report,
            query=query,
            fmt=fmt,
            table=request.GET.get("table", ""),
        )
        return redirect("reports:export_job", job.token)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("report", self.report)
        if "form" in kwargs:
            form = kwargs["form"]
            kwargs["form_html"] = SimpleLazyObject(lambda: filter_form_html(form))
        stamp, day = data_stamp(), timezone.localdate().isoformat()
        kwargs.setdefault(
            "tables_key", f"{changes.generations_key(self.report.topics, stamp)}:{day}"
        )
        # The filters list the communities (members) and the species (plantings).
        kwargs.setdefault("filters_key", changes.generations_key(FILTER_TOPICS, stamp))
        return super().get_context_data(**kwargs)


class ChartView(ReportView):
    """The SVG chart of one table of a report, drawn from the same rows as the table."""

    http_method_names = ["get", "head", "options"]  # no export jobs from here

    def get(self, request, *args, **kwargs):
        form = self.report.form_class(request.GET or None)
        if request.GET and not form.is_valid():
            return HttpResponse(status=400)
        report_filter = form.report_filter() if form.is_bound else form.empty()
        with one_stamp():  # the SVG cached beside the rows: pygal took most of the request
            svg = cached(
                f"chart:{self.report.slug}:{kwargs['table']}",
                report_filter.key(),
                lambda: self.chart(report_filter, kwargs["table"]),
                topics=self.report.topics,
            )
        if not svg:
            raise Http404
        response = HttpResponse(svg, content_type="image/svg+xml")
        response["Cache-Control"] = "private, max-age=60"
        return response

    def chart(self, report_filter, slug) -> str:
        """The table's chart as SVG, or "" when the report has no such chart."""
        for table in self.report.build(report_filter):
            if table.slug == slug and table.chart:
                return chart_svg(table)
        return ""


class ReportIndexView(PageView):
    template_name = "reports/index.html"
    permission_required = catalogue.FIELD_STAFF

    def get_context_data(self, **kwargs):
        user = self.request.user
        kwargs["reports"] = [r for r in catalogue.REPORTS if user.has_perm(r.permission)]
        return super().get_context_data(**kwargs)


class ProgressChartView(PermissionView, View):
    """The dashboard's progress gauges as SVG images: trees planted against the programme's
    target (staff and managers), verified CO2 against the project's target (managers)."""

    CHARTS = {"trees": "members.view_member", "co2": "plantings.view_reports"}

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["which"] not in self.CHARTS:
            raise Http404
        self.permission_required = self.CHARTS[kwargs["which"]]

    def get(self, request, which):
        figures = dashboard(full=which == "co2")
        if which == "trees":
            field = figures["field"]
            svg = progress_svg(
                title=_("Trees planted of %(target)s") % {"target": f"{field['trees_target']:,}"},
                value=field["trees_planted"],
                target=field["trees_target"],
                unit=_("trees"),
            )
        else:
            carbon = figures["carbon"]
            svg = progress_svg(
                title=_("CO2 verified of %(target)s t") % {"target": f"{carbon['target_t']:,.0f}"},
                value=carbon["verified_t"],
                target=carbon["target_t"],
                unit="t",
            )
        response = HttpResponse(svg, content_type="image/svg+xml")
        response["Cache-Control"] = "private, max-age=60"
        return response
