"""Forms for members and plots. The rules themselves live on the models (validators, clean(),
validate_unique); these forms choose the fields and the widgets staff type into."""

from crispy_forms.helper import FormHelper
from django import forms

from members.models import MEMBER_RECORD_FIELDS, Member, Plot


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


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = list(MEMBER_RECORD_FIELDS)
        widgets = {
            "birth_date": DateInput,
            "joined_on": DateInput,
            "organic_certified_on": DateInput,
            "fairtrade_certified_on": DateInput,
            "dni": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class PlotForm(forms.ModelForm):
    class Meta:
        model = Plot
        fields = [
            "code",
            "name",
            "land_use",
            "area_ha",
            "latitude",
            "longitude",
            "altitude_m",
            "boundary_geojson",
            "land_use_2020",
            "land_use_2020_declared_by",
            "land_use_2020_declared_on",
        ]
        widgets = {
            "boundary_geojson": forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
            "land_use_2020_declared_on": DateInput,
            "area_ha": forms.NumberInput(attrs={"step": "0.01", "min": "0.01"}),
            "latitude": forms.NumberInput(attrs={"step": "0.000001"}),
            "longitude": forms.NumberInput(attrs={"step": "0.000001"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()
