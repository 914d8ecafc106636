"""Forms for plantings, monitoring visits and species. The rules live on the models; the visit
form's rows are saved together by plantings.services.record_visit."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import RecordCodeField, local_formfield
from members.forms import DateInput, form_helper
from members.models import Plot
from plantings.models import MonitoringVisit, Planting, Species, SurvivalCount, TreeMeasurement
from plantings.records import SPECIES_DETAIL_FIELDS


class PlotCodeField(RecordCodeField):
    """The plot, typed as its code: the autocomplete (static/js/plantings-plot-search.js) offers
    codes while typing a member's name or DNI; without JavaScript staff type the code itself."""

    model = Plot
    default_error_messages = {
        "unknown": _(
            "No plot has the code “%(code)s”. Type the plot code, or start typing the member's "
            "name or DNI and pick the plot from the list."
        ),
    }

    def records(self):
        return Plot.objects.select_related("member")


class PlantingForm(forms.ModelForm):
    plot = PlotCodeField(
        label=_("Plot"),
        max_length=100,
        help_text=_("Plot code; or type the member's name or DNI and choose from the list."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "list": "plot-options", "data-plot-search": ""}
        ),
    )

    class Meta:
        model = Planting
        fields = ["plot", "species", "planted_on", "trees_planted", "nursery_batch", "arrangement"]
        widgets = {
            "planted_on": DateInput,
            "trees_planted": forms.NumberInput(attrs={"min": "1", "step": "1"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class VisitForm(forms.ModelForm):
    """The visit itself: date, technician, notes. The plot comes from the address."""

    class Meta:
        model = MonitoringVisit
        fields = ["visited_on", "technician", "notes"]
        widgets = {"visited_on": DateInput, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


def style_row_widgets(form):
    """Small Bootstrap inputs for the rows of a table form (rendered field by field)."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.HiddenInput):
            continue
        is_select = isinstance(field.widget, forms.Select)
        field.widget.attrs.setdefault(
            "class", "form-select form-select-sm" if is_select else "form-control form-control-sm"
        )


class RowCheckedByTheService:
    """A visit's row form reads and types its input; the model's rules on the row (validators,
    clean(), constraints) are checked once, by the service that saves it (record_visit,
    correct_visit), which gives its errors back to this form's fields. Checking them here as
    well ran every rule twice, and each CheckConstraint is a database query: about a fifth of a
    saved visit's time (bench/README.md, session 7)."""

    def _post_clean(self):
        pass


class SurvivalRowForm(RowCheckedByTheService, forms.ModelForm):
    """One species planted on the plot: how many alive, dead and replanted, and why lost.

    A row left without "trees alive" is not recorded (that species was not counted)."""

    species = forms.ModelChoiceField(queryset=Species.objects.all(), widget=forms.HiddenInput)

    class Meta:
        model = SurvivalCount
        fields = ["species", "trees_alive", "trees_dead", "trees_replanted", "loss_cause"]
        widgets = {
            "trees_alive": forms.NumberInput(attrs={"min": "0", "step": "1"}),
            "trees_dead": forms.NumberInput(attrs={"min": "0", "step": "1"}),
            "trees_replanted": forms.NumberInput(attrs={"min": "0", "step": "1"}),
        }

    def __init__(self, *args, species_by_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trees_alive"].required = False
        self.fields["trees_dead"].required = False
        self.fields["trees_replanted"].required = False
        self.species_by_id = species_by_id or {}
        style_row_widgets(self)

    def clean(self):
        data = super().clean()
        others = (data.get("trees_dead"), data.get("trees_replanted"), data.get("loss_cause"))
        if data.get("trees_alive") is None and any(others):
            self.add_error(
                "trees_alive",
                _("Enter the trees alive for this species, or leave the whole row empty."),
            )
        return data

    @property
    def species_label(self) -> str:
        species_id = self.initial.get("species") or self.data.get(self.add_prefix("species"))
        species = self.species_by_id.get(int(species_id)) if str(species_id).isdigit() else None
        return str(species.local_name) if species else ""

    def row(self) -> dict | None:
        """The cleaned row for record_visit, or None when the species was not counted."""
        data = self.cleaned_data
        if data.get("trees_alive") is None:
            return None
        return {
            "species": data["species"],
            "trees_alive": data["trees_alive"],
            "trees_dead": data.get("trees_dead") or 0,
            "trees_replanted": data.get("trees_replanted") or 0,
            "loss_cause": data.get("loss_cause") or "",
        }


class MeasurementRowForm(RowCheckedByTheService, forms.ModelForm):
    """One sample tree: species, diameter, height, tag. Empty rows are ignored."""

    class Meta:
        model = TreeMeasurement
        fields = ["species", "dbh_cm", "height_m", "tree_tag"]
        formfield_callback = local_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_row_widgets(self)

    def row(self) -> dict | None:
        if not self.has_changed():
            return None
        data = self.cleaned_data
        return {k: data.get(k) for k in ("species", "dbh_cm", "height_m", "tree_tag")}


SurvivalFormSet = forms.formset_factory(SurvivalRowForm, extra=0)
MeasurementFormSet = forms.formset_factory(MeasurementRowForm, extra=3)


class SpeciesForm(forms.ModelForm):
    class Meta:
        model = Species
        fields = [
            "local_name",
            "scientific_name",
            *SPECIES_DETAIL_FIELDS,
        ]
        formfield_callback = local_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()
