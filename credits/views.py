"""Read pages of the credits area (managers operate, staff read)."""

from django.db.models import Count, Sum
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.views import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    PageView,
)
from credits import forms, selectors
from credits.models import (
    Buyer,
    CarbonProject,
    CreditBlock,
    CreditEvent,
    MonitoringPeriod,
    Payment,
    Retirement,
    Sale,
)
from credits.project_required import ProjectRequiredMixin


class DashboardView(ProjectRequiredMixin, PageView):
    permission_required = "credits.view_creditblock"
    template_name = "credits/dashboard.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            project=CarbonProject.current(),
            totals=selectors.credit_totals(),
            vintages=selectors.vintage_summary(),
            open_periods=MonitoringPeriod.objects.filter(status=MonitoringPeriod.Status.OPEN),
            events=CreditEvent.objects.select_related("user", "period")[:10],
            **kwargs,
        )


class ProjectDetailView(ProjectRequiredMixin, PageView):
    permission_required = "credits.view_carbonproject"
    template_name = "credits/project_detail.html"

    def get_context_data(self, **kwargs):
        project = CarbonProject.current()
        form = forms.ProjectForm(instance=project)
        fields = [(form[name].label, form[name].value()) for name in form.fields]
        return super().get_context_data(project=project, fields=fields, **kwargs)


class ProjectUpdateView(ProjectRequiredMixin, ObjectUpdateView):
    permission_required = "credits.change_carbonproject"
    model = CarbonProject
    form_class = forms.ProjectForm
    success_url = reverse_lazy("credits:project")
    success_message = _("Project settings saved: %(object)s.")

    def get_object(self, queryset=None):
        return CarbonProject.current()


class PeriodListView(ObjectListView):
    permission_required = "credits.view_monitoringperiod"
    model = MonitoringPeriod
    template_name = "credits/period_list.html"


class PeriodDetailView(ObjectDetailView):
    permission_required = "credits.view_monitoringperiod"
    model = MonitoringPeriod
    template_name = "credits/period_detail.html"

    def get_context_data(self, **kwargs):
        period = self.object
        results = period.member_results.select_related("member").order_by("-net_co2e_t")
        return super().get_context_data(
            results=results[:200],
            result_count=results.count(),
            blocks=period.blocks.all(),
            issued=period.blocks.exists(),
            **kwargs,
        )


class BlockListView(ObjectListView):
    permission_required = "credits.view_creditblock"
    model = CreditBlock
    template_name = "credits/block_list.html"

    def get_queryset(self):
        blocks = CreditBlock.objects.select_related("project", "period", "sale__buyer")
        self.filter_form = forms.BlockFilterForm(self.request.GET or None)
        if self.filter_form.is_valid() and self.filter_form.cleaned_data["status"]:
            blocks = blocks.filter(status=self.filter_form.cleaned_data["status"])
        return blocks

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


class SaleListView(ObjectListView):
    permission_required = "credits.view_sale"
    template_name = "credits/sale_list.html"

    def get_queryset(self):
        return selectors.sale_summaries()


class SaleDetailView(ObjectDetailView):
    permission_required = "credits.view_sale"
    model = Sale
    template_name = "credits/sale_detail.html"

    def get_context_data(self, **kwargs):
        sale = self.object
        shares = sale.shares.select_related("member", "payment").order_by("-amount")
        return super().get_context_data(
            blocks=sale.blocks.all(),
            shares=shares[:200],
            share_totals=shares.aggregate(n=Count("pk"), total=Sum("amount")),
            **kwargs,
        )


class BuyerCreateView(ObjectCreateView):
    permission_required = "credits.add_buyer"
    model = Buyer
    form_class = forms.BuyerForm
    success_url = reverse_lazy("credits:sale_add")
    success_message = _("Buyer %(object)s added.")


class RetirementListView(ObjectListView):
    permission_required = "credits.view_retirement"
    queryset = Retirement.objects.select_related("period", "sale__buyer")
    template_name = "credits/retirement_list.html"


class PaymentListView(ObjectListView):
    permission_required = "credits.view_payment"
    queryset = Payment.objects.select_related("member", "recorded_by")
    template_name = "credits/payment_list.html"


class EventListView(ObjectListView):
    permission_required = "credits.view_creditevent"
    queryset = CreditEvent.objects.select_related("user", "period", "sale__buyer", "retirement")
    template_name = "credits/event_list.html"
    paginate_by = 100
