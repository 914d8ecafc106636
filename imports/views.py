"""Staff pages for bulk data: upload -> check (a job) -> preview (every error, a sample of
rows) -> confirm -> import (a job), each job's progress polled by the page;
template files for each kind; the XLSForm of the monitoring visit."""

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.jobs import status_response
from core.views import PageView, PermissionView
from imports import tasks, uploads
from imports.columns import KIND_COLUMNS, KIND_LABELS
from imports.forms import UploadForm
from imports.importers.base import ImportReport
from imports.kobo import KOBO_KIND
from imports.models import ImportUpload
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
            stored = tasks.store_upload(
                user=request.user, kind=kind, filename=upload.name, content=upload.read()
            )
            if stored.status == ImportUpload.Status.REFUSED:
                # Checked inline already (TASKS_BACKEND=immediate): refused like a bad form.
                form.add_error("file", stored.message)
                stored.delete()
            else:
                url = reverse("dataio:preview", args=[kind, stored.token])
                if is_ajax(request):
                    return JsonResponse({"redirect": url})
                return redirect(url)
        if is_ajax(request):
            errors = [str(e) for e in form.errors.get("file", [])] or [_("The upload failed.")]
            return JsonResponse({"errors": errors}, status=400)
        return self.render_to_response(self.get_context_data(form=form), status=400)


def is_ajax(request) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


class UploadMixin(KindMixin):
    """The upload named by the URL, only for the user who uploaded it."""

    def get_upload(self) -> ImportUpload:
        upload = ImportUpload.objects.filter(
            token=self.kwargs["token"], kind=self.kind, uploaded_by=self.request.user
        ).first()
        if upload is None or upload.status == ImportUpload.Status.DISCARDED:
            raise Http404
        tasks.resume_stalled(upload)
        return upload


class PreviewView(UploadMixin, PageView):
    """The dry-run report of an upload (or its progress); POST confirms or discards it."""

    template_name = "imports/preview.html"

    def get(self, request, kind, token):
        upload = self.get_upload()
        if upload.status == ImportUpload.Status.CHECKED:
            return self.render_report(upload)
        return self.render_status(upload)

    def post(self, request, kind, token):
        upload = self.get_upload()
        if "discard" in request.POST:
            if uploads.discard_upload(upload=upload):
                messages.info(request, _("The upload was discarded; nothing was imported."))
                return redirect("dataio:index")
            messages.warning(request, _("This upload is being imported; it cannot be discarded."))
            return redirect(request.path)
        if upload.status == ImportUpload.Status.CHECKED and not tasks.confirm_upload(upload=upload):
            upload.refresh_from_db()
            if upload.status == ImportUpload.Status.CHECKED:  # its report has errors
                return self.render_report(upload, status=400)
        # Claimed by this request or by another one: both show the one import's progress.
        return redirect(request.path)

    def render_report(self, upload, status=200):
        report = ImportReport.from_dict(upload.report)
        context = self.get_context_data(
            kind=self.kind,
            label=LABELS[self.kind],
            filename=upload.filename,
            report=report,
            errors=report.errors[:SHOWN_ERRORS],
            hidden_errors=max(report.error_count - SHOWN_ERRORS, 0),
            token=upload.token,
        )
        return self.render_to_response(context, status=status)

    def render_status(self, upload):
        context = self.get_context_data(
            kind=self.kind,
            label=LABELS[self.kind],
            upload=upload,
            report=ImportReport.from_dict(upload.report) if upload.report else None,
            status_url=reverse("dataio:status", args=[self.kind, upload.token]),
        )
        refused = upload.status == ImportUpload.Status.REFUSED
        return TemplateResponse(
            request=self.request,
            template="imports/upload_status.html",
            context=context,
            status=400 if refused else 200,
        )


class StatusView(UploadMixin, View):
    """Where the job on an upload stands, as JSON for the progress bar."""

    def get(self, request, kind, token):
        return status_response(self.get_upload())


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
