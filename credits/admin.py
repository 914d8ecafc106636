"""Admin of the credits app. Registry records are read-only here: every operation goes through
credits.services, from the admin actions below or from the manager pages at /credits/."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from credits import services
from credits.models import (
    Buyer,
    CarbonProject,
    CreditBlock,
    CreditEvent,
    MemberPeriodResult,
    MonitoringPeriod,
    Payment,
    ProducerShare,
    Retirement,
    Sale,
)


@admin.register(CarbonProject)
class CarbonProjectAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "standard",
        "equation",
        "buffer_share",
        "producer_revenue_share",
        "crediting_start",
        "crediting_end",
    )
    search_fields = ("name", "registry_project_id")


class FrozenMixin:
    """Rows that the services change: never changed or deleted here."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyMixin(FrozenMixin):
    """Rows written only by the services: viewable, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    pass


def run_service(modeladmin, request, queryset, service, argument, done):
    """Call `service(<argument>=obj, user=...)` for each selected object, with a message each."""
    for obj in queryset:
        try:
            service(**{argument: obj, "user": request.user})
        except ValidationError as error:
            modeladmin.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
        else:
            modeladmin.message_user(request, done % {"object": obj}, messages.SUCCESS)


class PeriodAdminForm(forms.ModelForm):
    class Meta:
        model = MonitoringPeriod
        fields = (
            "project",
            "start_date",
            "end_date",
            "vintage",
            "baseline_co2e_t",
            "leakage_co2e_t",
        )

    def clean(self):
        data = super().clean()
        if data.get("project") and data.get("start_date") and data.get("end_date"):
            services.check_new_period(
                project=data["project"], start_date=data["start_date"], end_date=data["end_date"]
            )
        return data


@admin.register(MonitoringPeriod)
class MonitoringPeriodAdmin(FrozenMixin, SimpleHistoryAdmin):
    """Figures are frozen at closing; an open period is re-opened, not edited."""

    form = PeriodAdminForm
    list_display = (
        "vintage",
        "start_date",
        "end_date",
        "status",
        "net_removals_co2e_t",
        "issuable_credits",
        "buffer_credits",
    )
    list_filter = ("status",)
    actions = ["close_periods", "issue_credits"]

    def save_model(self, request, obj, form, change):
        # The add form validated the row (its fields are open_period's arguments); the service
        # adds the overlap and date checks.
        fields = {name: getattr(obj, name) for name in PeriodAdminForm.Meta.fields}
        opened = services.open_period(user=request.user, **fields)
        obj.pk = opened.pk

    @admin.action(description=_("Compute and close the selected periods"))
    def close_periods(self, request, queryset):
        run_service(
            self, request, queryset, services.close_period, "period", _("%(object)s closed.")
        )

    @admin.action(description=_("Issue the credits of the selected periods"))
    def issue_credits(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            services.issue_credits,
            "period",
            _("Credits of %(object)s issued."),
        )


@admin.register(CreditBlock)
class CreditBlockAdmin(ReadOnlyAdmin):
    list_display = ("serial", "count", "status", "is_buffer", "sale")
    list_filter = ("status", "is_buffer", "period")


@admin.register(Sale)
class SaleAdmin(ReadOnlyAdmin):
    list_display = ("pk", "sold_on", "buyer", "quantity", "unit_price", "revenue", "distributed_at")
    actions = ["distribute"]

    @admin.action(description=_("Distribute the producers' pool of the selected sales"))
    def distribute(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            services.distribute_revenue,
            "sale",
            _("%(object)s distributed."),
        )


@admin.register(Buyer)
class BuyerAdmin(SimpleHistoryAdmin):
    list_display = ("name", "country", "contact")
    search_fields = ("name",)


for model, columns in (
    (Retirement, ("retired_on", "quantity", "beneficiary", "reason")),
    (
        Payment,
        (
            "paid_on",
            "member",
            "amount",
            "currency",
            "exchange_rate_pen",
            "amount_pen",
            "method",
            "reference",
        ),
    ),
):
    admin.register(model)(
        type(f"{model.__name__}Admin", (ReadOnlyAdmin,), {"list_display": columns})
    )


@admin.register(CreditEvent, MemberPeriodResult, ProducerShare)
class PlainReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass
