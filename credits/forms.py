"""Forms of the credits pages: they collect and check input; the services do the writing."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import LocalDecimalField, local_formfield
from credits.models import (
    PEN,
    Buyer,
    CarbonProject,
    CreditBlock,
    MonitoringPeriod,
    Payment,
    Sale,
    validate_exchange_rate,
)
from members.forms import MemberCodeField
from members.models import Community, Member


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CrispyForm:
    """The shared form include wraps the fields in its own <form>: crispy must not add one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


def closed_periods():
    return MonitoringPeriod.objects.filter(status=MonitoringPeriod.Status.CLOSED).order_by(
        "-start_date"
    )


class ProjectForm(CrispyForm, forms.ModelForm):
    class Meta:
        model = CarbonProject
        fields = [
            "name",
            "standard",
            "methodology",
            "registry_project_id",
            "registry_code",
            "ccb_certified",
            "serial_prefix",
            "country_code",
            "sectoral_scope",
            "equation",
            "root_shoot_rule",
            "root_shoot_ratio",
            "carbon_fraction",
            "buffer_share",
            "producer_revenue_share",
            "small_trees_count_zero",
            "small_tree_co2e_t",
            "min_measured_dbh_cm",
            "unmeasured_tree_co2e_t",
            "uncertainty_deduction",
            "max_sampling_error",
            "default_baseline_co2e_t",
            "default_leakage_co2e_t",
            "currency",
            "crediting_start",
            "crediting_end",
            "co2e_target_t",
            "co2e_target_years",
            "sources",
        ]
        widgets = {"crediting_start": DateInput(), "crediting_end": DateInput()}
        formfield_callback = local_formfield


class PeriodForm(CrispyForm, forms.Form):
    start_date = forms.DateField(label=_("Start"), widget=DateInput())
    end_date = forms.DateField(label=_("End"), widget=DateInput())
    vintage = forms.CharField(label=_("Vintage"), max_length=20)
    baseline_co2e_t = LocalDecimalField(
        label=_("Baseline (tCO2e)"), min_value=0, max_digits=12, decimal_places=3
    )
    leakage_co2e_t = LocalDecimalField(
        label=_("Leakage (tCO2e)"), min_value=0, max_digits=12, decimal_places=3
    )


class BuyerForm(CrispyForm, forms.ModelForm):
    class Meta:
        model = Buyer
        fields = ["name", "country", "contact"]


class SaleForm(CrispyForm, forms.Form):
    period = forms.ModelChoiceField(label=_("Vintage"), queryset=MonitoringPeriod.objects.none())
    buyer = forms.ModelChoiceField(label=_("Buyer"), queryset=Buyer.objects.all())
    quantity = forms.IntegerField(label=_("Credits"), min_value=1)
    unit_price = LocalDecimalField(
        label=_("Price per credit"), min_value=0, max_digits=10, decimal_places=2
    )
    sold_on = forms.DateField(label=_("Sold on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = closed_periods()
        self.fields["sold_on"].initial = timezone.localdate()
        project = CarbonProject.current()
        if project:
            self.fields["unit_price"].help_text = _("In %(currency)s.") % {
                "currency": project.currency
            }


class RetirementForm(CrispyForm, forms.Form):
    period = forms.ModelChoiceField(label=_("Vintage"), queryset=MonitoringPeriod.objects.none())
    sale = forms.ModelChoiceField(
        label=_("From sale"),
        queryset=Sale.objects.select_related("buyer"),
        required=False,
        help_text=_("Leave empty to retire credits the cooperative still holds."),
    )
    quantity = forms.IntegerField(label=_("Credits"), min_value=1)
    beneficiary = forms.CharField(label=_("Beneficiary"), max_length=200)
    reason = forms.CharField(label=_("Reason"), max_length=300)
    retired_on = forms.DateField(label=_("Retired on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = closed_periods()
        self.fields["retired_on"].initial = timezone.localdate()


class CancellationForm(CrispyForm, forms.Form):
    period = forms.ModelChoiceField(label=_("Vintage"), queryset=MonitoringPeriod.objects.none())
    buffer = forms.BooleanField(label=_("Cancel buffer credits"), required=False)
    quantity = forms.IntegerField(label=_("Credits"), min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = closed_periods()


class PaymentDetailsForm(CrispyForm, forms.Form):
    """When and how money was paid: shared by one payment and a payday."""

    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
    method = forms.ChoiceField(label=_("Method"), choices=Payment.Method.choices)
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)
    exchange_rate_pen = forms.DecimalField(
        label=_("Exchange rate (S/ per unit)"),
        max_digits=9,
        decimal_places=4,
        required=False,
        validators=[validate_exchange_rate],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()
        project = CarbonProject.current()
        currency = project.currency if project else PEN
        if currency == PEN:
            # Sales in soles need no rate: the field would only invite a wrong figure.
            del self.fields["exchange_rate_pen"]
        else:
            rate = self.fields["exchange_rate_pen"]
            rate.required = True
            rate.help_text = _(
                "Soles paid for one %(currency)s on the day of payment; producers are paid in "
                "soles."
            ) % {"currency": currency}


class PaymentForm(PaymentDetailsForm):
    field_order = ["member", "sale"]

    member = MemberCodeField(
        label=_("Member"),
        queryset=Member.objects.filter(producer_shares__payment__isnull=True),
        help_text=_("Type the surname, DNI or code of a member with shares not yet paid."),
    )
    sale = forms.ModelChoiceField(
        label=_("Only the share of sale"),
        queryset=Sale.objects.exclude(distributed_at=None).select_related("buyer"),
        required=False,
    )


class PaydayForm(PaymentDetailsForm):
    """A payday: everyone owed money is paid, or everyone of one community."""

    field_order = ["community"]

    community = forms.ModelChoiceField(
        label=_("Only the members of"),
        queryset=Community.objects.order_by("name"),
        required=False,
        empty_label=_("every community"),
    )

    def members(self):
        """The members to pay: those of the community chosen, or None for everyone owed."""
        community = self.cleaned_data["community"]
        return None if community is None else Member.objects.filter(community=community)


class BlockFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("all"))] + list(CreditBlock.Status.choices),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
