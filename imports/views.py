"""Staff pages for bulk data: upload -> preview (every error, a sample of rows) -> confirm;
template files for each kind; the XLSForm of the monitoring visit."""

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.views import PageView, PermissionView
from imports import uploads
from imports.columns import KIND_COLUMNS, KIND_LABELS
from imports.forms import UploadForm
from imports.kobo import KOBO_KIND
from imports.readers import DataFileError
from imports.xlsform import FORM_ID, build_xlsform

SHOWN_ERRORS = 500
VISIT_PERMS = ("plantings.add_monitoringvisit", "plantings.change_monitoringvisit")
KIND_PERMS = {
    "members": ("members.add_member", "members.change_member", "members.add_community"),
    "plots": ("members.add_plot", "members.change_plot"),
    "plantings": ("plantings.add_planting", "plantings.change_planting"),
    "visits": (*VISIT_PERMS, "plantings.add_survivalcount", "plantings.change_survivalcount"),
    "measurements": (
        *VISIT_PERMS, "plantings.add_treemeasurement", "plantings.change_treemeasurement",
    ),
}  # fmt: skip
KIND_PERMS[KOBO_KIND] = KIND_PERMS["visits"]
KIND_PERMS["boundaries"] = ("members.change_plot",)
KIND_PERMS["screenings"] = ("members.add_screeningresult", "members.change_screeningresult")
LABELS = {**KIND_LABELS, KOBO_KIND: gettext_lazy("Field-form submissions (KoboToolbox / ODK)")}


class KindMixin(PermissionView):
    """The kind comes from the URL; its permissions are those of the records it writes."""

    def dispatch(self, request, *args, **kwargs):
        if kwargs["kind"] not in KIND_PERMS:
            raise Http404
        self.kind = kwargs["kind"]
        return super().dispatch(request, *args, **kwargs)

    def get_permission_required(self):
        return KIND_PERMS[self.kind]


class IndexView(PageView):
    template_name = "imports/index.html"
    permission_required = "plantings.view_monitoringvisit"

    def get_context_data(self, **kwargs):
        user = self.request.user
        kinds = [
            {"kind": kind, "label": label, "allowed": user.has_perms(KIND_PERMS[kind]),
             "templates": kind in KIND_COLUMNS}
            for kind, label in LABELS.items()
        ]  # fmt: skip
        return super().get_context_data(kinds=kinds, **kwargs)


class UploadView(KindMixin, PageView):
    template_name = "imports/upload.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", UploadForm(kind=self.kind))
        kwargs.update(kind=self.kind, label=LABELS[self.kind])
        return super().get_context_data(columns=KIND_COLUMNS.get(self.kind, ()), **kwargs)

    def post(self, request, kind):
        form = UploadForm(request.POST, request.FILES, kind=kind)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            try:
                report = uploads.run_import(
                    kind=kind, content=content, user=request.user, dry_run=True
                )
            except DataFileError as exc:
                form.add_error("file", str(exc))
            else:
                token = uploads.store(
                    request, kind=kind, filename=upload.name, content=content, report=report
                )
                url = reverse("dataio:preview", args=[kind, token])
                if is_ajax(request):
                    return JsonResponse({"redirect": url})
                return redirect(url)
        if is_ajax(request):
            errors = [str(e) for e in form.errors.get("file", [])] or [_("The upload failed.")]
            return JsonResponse({"errors": errors}, status=400)
        return self.render_to_response(self.get_context_data(form=form), status=400)


def is_ajax(request) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


class PreviewView(KindMixin, PageView):
    """The dry-run report of an upload; POST writes it (checked again, all or nothing)."""

    template_name = "imports/preview.html"

    def get(self, request, kind, token):
        stored = uploads.load(request, token)
        if stored is None or stored[0]["kind"] != kind:
            raise Http404
        return self.render_report(stored[0], stored[0]["report"], token)

    def post(self, request, kind, token):
        stored = uploads.load(request, token)
        if stored is None or stored[0]["kind"] != kind:
            raise Http404
        meta, content = stored
        if "discard" in request.POST:
            uploads.discard(request, token)
            messages.info(request, _("The upload was discarded; nothing was imported."))
            return redirect("dataio:index")
        report = uploads.run_import(kind=kind, content=content, user=request.user, dry_run=False)
        if not report.ok:
            # The data changed since the preview; show what is wrong now.
            return self.render_report(meta, report, token, status=400)
        uploads.discard(request, token)
        messages.success(
            request,
            _("%(file)s imported: %(created)s created, %(updated)s updated, %(unchanged)s "
              "unchanged.")
            % {"file": meta["filename"], "created": report.created, "updated": report.updated,
               "unchanged": report.unchanged},
        )  # fmt: skip
        return redirect("dataio:index")

    def render_report(self, meta, report, token, status=200):
        context = self.get_context_data(
            kind=self.kind,
            label=LABELS[self.kind],
            filename=meta["filename"],
            report=report,
            errors=report.errors[:SHOWN_ERRORS],
            hidden_errors=max(len(report.errors) - SHOWN_ERRORS, 0),
            token=token,
        )
        return self.render_to_response(context, status=status)


class TemplateFileView(KindMixin, View):
    """The columns of a kind and an example row, as CSV or XLSX."""

    def get(self, request, kind, fmt):
        if kind not in KIND_COLUMNS or fmt not in ("csv", "xlsx"):
            raise Http404
        if fmt == "csv":
            response = HttpResponse(uploads.template_csv(kind), content_type="text/csv")
        else:
            response = HttpResponse(
                uploads.template_xlsx(kind),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="acopagro-{kind}.{fmt}"'
        return response


class XLSFormView(PermissionView, View):
    """The monitoring-visit field form with today's members, plots and species."""

    permission_required = ("plantings.view_monitoringvisit", "members.view_plot")

    def get(self, request):
        response = HttpResponse(
            build_xlsform(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{FORM_ID}.xlsx"'
        return response
