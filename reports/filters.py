"""The one filter form every report shares: date range, community, species, land use."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from members.models import Community, Plot
from plantings.models import Planting, Species


class ReportFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    community = forms.ModelChoiceField(
        label=_("community"), queryset=Community.objects.all(), required=False
    )
    species = forms.ModelChoiceField(
        label=_("species"), queryset=Species.objects.all(), required=False
    )
    land_use = forms.ChoiceField(
        label=_("land use"),
        choices=[("", _("all"))] + list(Plot.LandUse.choices),
        required=False,
    )

    def clean(self):
        data = super().clean()
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return data

    @staticmethod
    def empty() -> "ReportFilter":
        return ReportFilter()

    def report_filter(self) -> "ReportFilter":
        data = self.cleaned_data
        return ReportFilter(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            community_id=data["community"].pk if data.get("community") else None,
            species_id=data["species"].pk if data.get("species") else None,
            land_use=data.get("land_use") or "",
        )


# Where each filter applies to a kind of row: filter field -> queryset lookup (in this order).
SUMMARY_LOOKUPS = {
    "community_id": "plot__member__community_id",
    "species_id": "species_id",
    "land_use": "plot__land_use",
}
PLANTING_LOOKUPS = {
    "date_from": "planted_on__gte",
    "date_to": "planted_on__lte",
    **SUMMARY_LOOKUPS,
}
SURVIVAL_PLACE_LOOKUPS = {
    "community_id": "visit__plot__member__community_id",
    "species_id": "species_id",
    "land_use": "visit__plot__land_use",
}
SURVIVAL_LOOKUPS = {
    "date_from": "visit__visited_on__gte",
    "date_to": "visit__visited_on__lte",
    **SURVIVAL_PLACE_LOOKUPS,
}


@dataclass(frozen=True)
class ReportFilter:
    """Validated filters, applied the same way to every kind of row a report reads."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    community_id: int | None = None
    species_id: int | None = None
    land_use: str = ""

    def key(self) -> str:
        """Stable text for cache keys and export links."""
        return urlencode(self.params())

    def params(self) -> dict:
        params = {
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "community": self.community_id or "",
            "species": self.species_id or "",
            "land_use": self.land_use,
        }
        return {k: v for k, v in params.items() if v}

    def narrow(self, qs, lookups: dict[str, str]):
        """`qs` filtered on every filter that is set among those `lookups` names (filter field
        -> lookup on `qs`'s model); the filters it does not name do not apply."""
        for name, lookup in lookups.items():
            value = getattr(self, name)
            if value:
                qs = qs.filter(**{lookup: value})
        return qs

    def plantings(self, qs):
        return self.narrow(qs, PLANTING_LOOKUPS)

    def survival(self, qs, *, dates=True):
        """Survival counts of the filtered plots and species; visit dates within the range."""
        return self.narrow(qs, SURVIVAL_LOOKUPS if dates else SURVIVAL_PLACE_LOOKUPS)

    def summaries(self, qs):
        """Plot and species summaries (credits.PlotSpeciesSummary) of the filtered plots and
        species; the summaries hold the current state, so dates do not apply."""
        return self.narrow(qs, SUMMARY_LOOKUPS)

    def reads_today(self) -> bool:
        """True when the rows asked for are today's: the summaries hold them."""
        return self.date_to is None or self.date_to >= timezone.localdate()

    def plots(self, qs):
        """Plots of the community and land use; with a species, plots where it was planted."""
        qs = self.narrow(qs, {"community_id": "member__community_id", "land_use": "land_use"})
        if self.species_id:
            qs = qs.filter(
                id__in=Planting.objects.filter(species_id=self.species_id).values("plot_id")
            )
        return qs

    def members(self, qs):
        return self.narrow(qs, {"community_id": "community_id"})

    def member_summaries(self, qs):
        """Member summaries (credits.MemberSummary) of the filtered community; they hold every
        species and land use, today: the caller checks the filter asks for no more."""
        return self.narrow(qs, {"community_id": "member__community_id"})

    def stock(self, rows):
        """Filter carbon StockRow objects (computed in Python by credits.selectors)."""
        return [
            row
            for row in rows
            if (not self.community_id or row.community_id == self.community_id)
            and (not self.species_id or row.species_id == self.species_id)
            and (not self.land_use or row.land_use == self.land_use)
        ]


def filter_form_html(form: ReportFilterForm) -> str:
    """The filter form's fields as HTML, built in Python: Django's widget templates render each
    <option> through the template engine, which cost most of a cached report page's time."""
    parts = []
    for bound in form:
        field_id = escape(bound.id_for_label)
        label = escape(capfirst(str(bound.label)))
        value = bound.value()
        value = "" if value is None else str(value)
        if isinstance(bound.field, forms.DateField):
            control = (
                f'<input type="date" name="{bound.html_name}" id="{field_id}" '
                f'class="form-control form-control-sm" value="{escape(value)}">'
            )
        elif isinstance(bound.field, forms.IntegerField):
            control = (
                f'<input type="number" name="{bound.html_name}" id="{field_id}" '
                f'class="form-control form-control-sm" value="{escape(value)}" '
                f'min="{bound.field.min_value}" max="{bound.field.max_value}">'
            )
        else:
            options = "".join(
                f'<option value="{escape(str(key))}"'
                f"{' selected' if str(key) == value else ''}>{escape(str(text))}</option>"
                for key, text in bound.field.choices
            )
            control = (
                f'<select name="{bound.html_name}" id="{field_id}" '
                f'class="form-select form-select-sm">{options}</select>'
            )
        errors = "".join(
            f'<div class="invalid-feedback d-block">{escape(error)}</div>' for error in bound.errors
        )
        parts.append(
            f'<div class="col-auto"><label class="form-label small mb-0" for="{field_id}">'
            f"{label}</label>{control}{errors}</div>"
        )
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)
