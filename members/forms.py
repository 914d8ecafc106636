"""Forms for members and plots. The rules themselves live on the models (validators, clean(),
validate_unique); these forms choose the fields and the widgets staff type into."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from core.forms import (
    LocalDecimalField,
    PlausibilityMixin,
    RecordCodeField,
    SearchInput,
    local_formfield,
)
from members.models import MEMBER_RECORD_FIELDS, Member, Plot
from members.records import PLOT_DESCRIPTION_FIELDS, PLOT_LAND_USE_2020_FIELDS
from members.validators import COORDINATE_DECIMALS, normalize_dni, round_coordinate


class DateInput(forms.DateInput):
    """The browser's own date picker; the value travels as ISO 8601 whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def form_helper() -> FormHelper:
    """Fields only: the <form> tag, CSRF token and button come from includes/form.html."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class MemberCodeField(RecordCodeField):
    """A member, typed as their code: the box searches names, DNI and codes as you type
    (members:member_search) and shows "Surname, First names — code — DNI"; without JavaScript
    staff type the code. `queryset` limits who may be chosen (members owed money...)."""

    model = Member
    default_error_messages = {
        "unknown": _("No member has the code “%(code)s”. Start typing the name or DNI."),
        "not_allowed": _("%(member)s cannot be chosen here."),
    }

    def __init__(self, *, queryset=None, **kwargs):
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault(
            "widget",
            SearchInput("members:member_search", "member-search", _("__N__ members found")),
        )
        kwargs.setdefault("help_text", _("Type the member's surname, DNI or code."))
        super().__init__(**kwargs)
        self.queryset = queryset if queryset is not None else Member.objects.all()

    def typed_code(self, text):
        return text.strip().split(" — ")[0]  # a label pasted whole still names its member

    def clean(self, value):
        member = super().clean(value)
        if member is not None and not self.queryset.filter(pk=member.pk).exists():
            raise forms.ValidationError(
                self.error_messages["not_allowed"],
                code="not_allowed",
                params={"member": member.picker_label()},
            )
        return member


class DniField(forms.CharField):
    """The DNI as staff type it from the card ("12 345 678" or "12.345.678"): separators are
    dropped before the model's 8-digit check, so the box must not cut the text at 8 characters."""

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = 16
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return normalize_dni(super().to_python(value))

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class CoordinateField(LocalDecimalField):
    """A latitude or longitude: more than 6 decimals (a phone gives 7) are rounded to 6 and the
    form says so in `notes`, shown with the saved message."""

    def __init__(self, *args, **kwargs):
        kwargs["decimal_places"] = COORDINATE_DECIMALS
        super().__init__(*args, **kwargs)
        self.rounded_from = None

    def to_python(self, value):
        number = super().to_python(value)
        rounded = round_coordinate(number)
        self.rounded_from = number if rounded != number else None
        return rounded


class MemberForm(forms.ModelForm):
    dni = DniField(
        label=Member._meta.get_field("dni").verbose_name,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = Member
        fields = list(MEMBER_RECORD_FIELDS)
        formfield_callback = local_formfield
        widgets = {
            "birth_date": DateInput,
            "joined_on": DateInput,
            "organic_certified_on": DateInput,
            "fairtrade_certified_on": DateInput,
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class PlotForm(PlausibilityMixin, forms.ModelForm):
    plausible_max = {
        "area_ha": (
            Plot.AREA_HA_PLAUSIBLE_MAX,
            _(
                "%(value)s ha is more than a smallholder plot usually has (%(limit)s ha). "
                "Check the decimal mark; if the area is right, tick the box below and save again."
            ),
        )
    }

    class Meta:
        model = Plot
        fields = [
            "code",
            *PLOT_DESCRIPTION_FIELDS,
            "boundary_geojson",
            *PLOT_LAND_USE_2020_FIELDS,
        ]
        formfield_callback = local_formfield
        field_classes = {"latitude": CoordinateField, "longitude": CoordinateField}
        widgets = {
            "boundary_geojson": forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
            "land_use_2020_declared_on": DateInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()

    @property
    def notes(self) -> list[str]:
        """What was rounded, for the message shown after saving."""
        notes = []
        for name in ("latitude", "longitude"):
            field = self.fields[name]
            if field.rounded_from is not None and name in self.cleaned_data:
                notes.append(
                    _("%(field)s %(typed)s was rounded to %(saved)s (6 decimals, about 10 cm).")
                    % {
                        "field": field.label[:1].upper() + field.label[1:],
                        "typed": formats.localize(field.rounded_from),
                        "saved": formats.localize(self.cleaned_data[name]),
                    }
                )
        return notes
