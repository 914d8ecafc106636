"""Pages that run a registry operation: a form, a preview of its effect, then confirmation.

The first POST checks the form and shows what would happen ("this sale splits block X; Y credits
remain"); the second POST (with `confirm`) calls the service. Errors of the service come back on
the form, with HTTP 400 and nothing written.
"""

import datetime
from abc import ABC, abstractmethod
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from core.views import PageView, PermissionView
from credits import forms, periods, services
from credits.models import CarbonProject, MonitoringPeriod, ProducerShare, Sale
from credits.project_required import ProjectRequiredMixin
from credits.sharing import split_cents


def add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def describe_plan(plan, vintage) -> str:
    first, last = plan.steps[0], plan.steps[-1]
    text = _("Takes %(quantity)s credits (serials %(start)s–%(end)s) from %(blocks)s block(s).") % {
        "quantity": plan.quantity,
        "start": first[0].serial_start,
        "end": last[0].serial_start + last[1] - 1,
        "blocks": len(plan.steps),
    }
    if plan.split_block is not None:
        text += " " + _("Block %(serial)s is split.") % {"serial": plan.split_block.serial}
    return (
        text
        + " "
        + _("%(remaining)s credits of vintage %(vintage)s remain.")
        % {"remaining": plan.remaining, "vintage": vintage}
    )


class OperationView(ProjectRequiredMixin, PermissionView, FormView, ABC):
    """A form whose valid input is previewed, then confirmed. Subclasses: preview(), and
    `service` (called with the user and the form's data) or perform()."""

    template_name = "credits/operation.html"
    title = ""
    success_url_name = "credits:dashboard"
    service = None  # staticmethod(services.<operation>), keyword arguments as the form's fields

    @abstractmethod
    def preview(self, form) -> list[str]:
        """What confirming would do, as lines of text; raise ValidationError to refuse."""

    def perform(self, form):
        """Call the service; its ValidationError comes back on the form."""
        return self.service(user=self.request.user, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("title", self.title)
        return super().get_context_data(**kwargs)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        confirmed = self.request.POST.get("confirm") == "1"
        try:
            if not confirmed:
                lines = self.preview(form)
                return self.render_to_response(self.get_context_data(form=form, preview=lines))
            result = self.perform(form)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(result))
        return redirect(self.success_url_for(result))

    def success_message(self, result) -> str:
        return str(result)

    def success_url_for(self, result) -> str:
        return reverse(self.success_url_name)


class PeriodOpenView(OperationView):
    permission_required = "credits.add_monitoringperiod"
    form_class = forms.PeriodForm
    title = gettext_lazy("Open a monitoring period")

    def get_initial(self):
        project = CarbonProject.current()
        initial = {
            "baseline_co2e_t": project.default_baseline_co2e_t,
            "leakage_co2e_t": project.default_leakage_co2e_t,
        }
        last = project.periods.order_by("-end_date").first()
        if last is not None:  # periods are contiguous: the next one starts the day after
            initial["start_date"] = last.end_date + datetime.timedelta(days=1)
        return initial

    def preview(self, form):
        data = form.cleaned_data
        # The same checks as opening it: a refused period is refused here, before Confirm.
        services.plan_period(project=CarbonProject.current(), **data)
        return [
            _("Vintage %(vintage)s: verified stock on %(start)s and on %(end)s.")
            % {"vintage": data["vintage"], "start": data["start_date"], "end": data["end_date"]},
            _("Baseline %(b)s t and leakage %(l)s t are deducted from the change in stock.")
            % {"b": data["baseline_co2e_t"], "l": data["leakage_co2e_t"]},
        ]

    def perform(self, form):
        return services.open_period(
            project=CarbonProject.current(), user=self.request.user, **form.cleaned_data
        )

    def success_message(self, period):
        return _("%(period)s opened.") % {"period": period}

    def success_url_for(self, period):
        return reverse("credits:period_detail", args=[period.pk])


class SaleCreateView(OperationView):
    permission_required = "credits.add_sale"
    form_class = forms.SaleForm
    title = gettext_lazy("Sell credits")
    service = staticmethod(services.sell_credits)

    def preview(self, form):
        data = form.cleaned_data
        period = data["period"]
        plan = services.plan_sale(
            period=period,
            quantity=data["quantity"],
            unit_price=data["unit_price"],
            sold_on=data["sold_on"],
        )
        return [
            describe_plan(plan.blocks, period.vintage),
            _("Revenue %(revenue)s %(currency)s; producers' pool %(pool)s %(currency)s.")
            % {
                "revenue": plan.revenue,
                "pool": plan.producers_pool,
                "currency": period.project.currency,
            },
        ]

    def success_url_for(self, sale):
        return reverse("credits:sale_detail", args=[sale.pk])


class BlockOperationView(OperationView):
    """An operation that takes credits of a vintage: the preview describes the blocks that the
    `plan` (the service's plan, called with the form's data) takes, then `final_note`."""

    plan = None  # staticmethod(services.plan_<operation>)
    final_note = ""

    def preview(self, form):
        data = form.cleaned_data
        return [describe_plan(self.plan(**data), data["period"].vintage), str(self.final_note)]


class RetirementCreateView(BlockOperationView):
    permission_required = "credits.add_retirement"
    form_class = forms.RetirementForm
    title = gettext_lazy("Retire credits")
    success_url_name = "credits:retirement_list"
    plan = staticmethod(services.plan_retirement)
    service = staticmethod(services.retire_credits)
    final_note = gettext_lazy("Retirement is final: these credits can never be sold or used again.")


class CancellationCreateView(BlockOperationView):
    permission_required = "credits.change_creditblock"
    form_class = forms.CancellationForm
    title = gettext_lazy("Cancel credits")
    success_url_name = "credits:block_list"
    plan = staticmethod(services.plan_cancellation)
    service = staticmethod(services.cancel_credits)
    final_note = gettext_lazy("Cancellation is final.")

    def success_message(self, blocks):
        return _("%(n)s credits cancelled.") % {"n": sum(b.count for b in blocks)}


class PaymentCreateView(OperationView):
    permission_required = "credits.add_payment"
    form_class = forms.PaymentForm
    title = gettext_lazy("Record a payment to a member")
    success_url_name = "credits:payment_list"
    service = staticmethod(services.record_payment)

    def preview(self, form):
        data = form.cleaned_data
        shares = ProducerShare.objects.filter(member=data["member"], payment__isnull=True)
        if data["sale"]:
            shares = shares.filter(sale=data["sale"])
        total = sum(share.amount for share in shares)
        if not total:
            raise ValidationError(_("Nothing is owed to %(member)s.") % {"member": data["member"]})
        return [
            _("Pays %(amount)s %(currency)s to %(member)s for %(n)s producer share(s).")
            % {
                "amount": total,
                "currency": CarbonProject.current().currency,
                "member": data["member"],
                "n": len(shares),
            }
        ]

    def success_message(self, payment):
        return _("Payment of %(payment)s recorded.") % {"payment": payment}


class PaydayView(OperationView):
    """Pays everyone owed money (or everyone of one community) in one step."""

    permission_required = "credits.add_payment"
    form_class = forms.PaydayForm
    title = gettext_lazy("Payday: pay every member what is owed to them")
    success_url_name = "credits:payment_list"

    def preview(self, form):
        shares = ProducerShare.objects.filter(payment__isnull=True, amount__gt=0)
        members = form.members()
        if members is not None:
            shares = shares.filter(member__in=members)
        owed = shares.aggregate(
            members=Count("member", distinct=True), shares=Count("pk"), amount=Sum("amount")
        )
        if not owed["members"]:
            raise ValidationError(_("Nothing is owed to any member."))
        return [
            _(
                "Pays %(amount)s %(currency)s to %(members)s members, one payment each, for "
                "%(shares)s producer share(s)."
            )
            % {
                **owed,
                # SQLite sums decimals without their places: 162 rather than 162.00.
                "amount": owed["amount"].quantize(Decimal("0.01")),
                "currency": CarbonProject.current().currency,
            }
        ]

    def perform(self, form):
        data = form.cleaned_data
        return services.pay_all_owed(
            paid_on=data["paid_on"],
            method=data["method"],
            reference=data["reference"],
            members=form.members(),
            exchange_rate_pen=data.get("exchange_rate_pen"),
            user=self.request.user,
        )

    def success_message(self, payments):
        return _("%(n)s payments recorded, %(amount)s %(currency)s in total.") % {
            "n": len(payments),
            "amount": sum(payment.amount for payment in payments),
            "currency": payments[0].currency,
        }


class ConfirmView(PageView):
    """GET shows what an operation on one object will do; POST does it."""

    template_name = "credits/confirm.html"

    def post(self, request, *args, **kwargs):
        try:
            message = self.perform()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.done_url())
        messages.success(request, message)
        return redirect(self.done_url())


class PeriodCloseView(ConfirmView):
    permission_required = "credits.change_monitoringperiod"

    def get_period(self):
        return get_object_or_404(MonitoringPeriod, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        period = self.get_period()
        context = {"object": period, "title": _("Close %(period)s") % {"period": period}}
        if not period.is_closed:
            context["figures"] = periods.compute(period)
        return super().get_context_data(**context, **kwargs)

    def perform(self):
        period = services.close_period(period=self.get_period(), user=self.request.user)
        return _("%(period)s closed: %(n)s credits can be issued.") % {
            "period": period,
            "n": period.issuable_credits,
        }

    def done_url(self):
        return reverse("credits:period_detail", args=[self.kwargs["pk"]])


class PeriodIssueView(PeriodCloseView):
    permission_required = "credits.add_creditblock"

    def get_context_data(self, **kwargs):
        period = self.get_period()
        return PageView.get_context_data(
            self,
            object=period,
            title=_("Issue the credits of %(period)s") % {"period": period},
            issue=True,
            **kwargs,
        )

    def perform(self):
        blocks = services.issue_credits(period=self.get_period(), user=self.request.user)
        return _("Issued: %(serials)s") % {"serials": "; ".join(b.serial for b in blocks)}


class SaleDistributeView(ConfirmView):
    permission_required = "credits.add_producershare"

    def get_sale(self):
        return get_object_or_404(
            Sale.objects.select_related("period", "buyer"), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        sale = self.get_sale()
        basis = dict(
            sale.period.member_results.filter(net_co2e_t__gt=0).values_list(
                "member_id", "net_co2e_t"
            )
        )
        amounts = split_cents(sale.producers_pool, basis) if basis else {}
        return super().get_context_data(
            object=sale,
            title=_("Distribute the producers' pool of sale %(id)s") % {"id": sale.pk},
            distribution_members=len(amounts),
            distribution_largest=max(amounts.values(), default=0),
            distribution_total=sum(amounts.values()),
            **kwargs,
        )

    def perform(self):
        shares = services.distribute_revenue(sale=self.get_sale(), user=self.request.user)
        return _("%(pool)s shared between %(n)s members.") % {
            "pool": sum(s.amount for s in shares),
            "n": len(shares),
        }

    def done_url(self):
        return reverse("credits:sale_detail", args=[self.kwargs["pk"]])
