"""A closed period's verification package (its workbook and plots' GeoJSON in one ZIP), always
built by a background job: this page queues it and lists the user's packages of the period."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from core.views import PageView
from credits.models import MonitoringPeriod
from reports import tasks
from reports.models import ExportJob

SHOWN_JOBS = 5


class VerificationPackageView(PageView):
    template_name = "reports/verification_package.html"
    permission_required = "credits.view_monitoringperiod"
    model = MonitoringPeriod  # what `pk` names (the permission matrix fills it from this)

    def get_period(self) -> MonitoringPeriod:
        period = get_object_or_404(
            MonitoringPeriod.objects.select_related("project"), pk=self.kwargs["pk"]
        )
        if not period.is_closed:
            raise Http404("Only a closed period has a verification package.")
        return period

    def get_context_data(self, **kwargs):
        period = self.get_period()
        jobs = ExportJob.objects.of_user(self.request.user).filter(
            kind=ExportJob.Kind.VERIFICATION, params__period_id=period.pk
        )
        return super().get_context_data(period=period, jobs=jobs[:SHOWN_JOBS], **kwargs)

    def post(self, request, pk):
        job = tasks.request_verification_package(user=request.user, period=self.get_period())
        return redirect("reports:export_job", job.token)
