"""The list filters' shared pieces (django-filter): a FilterSet styled for Bootstrap, and a year
filter that refuses years a date cannot hold. The apps' filters.py build on them."""

import datetime

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _


class StyledFilterSet(django_filters.FilterSet):
    """A FilterSet whose form widgets carry Bootstrap's classes (includes/filter.html)."""

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_styled", False):
            for field in form.fields.values():
                widget = field.widget
                is_select = getattr(widget, "input_type", "select") == "select"
                widget.attrs.setdefault("class", "form-select" if is_select else "form-control")
                if field.help_text and not is_select:
                    widget.attrs.setdefault("placeholder", field.help_text)
            form._styled = True
        return form


class YearFilter(django_filters.NumberFilter):
    """A calendar year of a date field: a whole number a date can hold (1-9999), else the form's
    message; `?year=0` must not reach the date lookup, which raises ValueError."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        message = _("Enter a year between %(min)d and %(max)d.") % {
            "min": datetime.MINYEAR,
            "max": datetime.MAXYEAR,
        }
        kwargs.setdefault("lookup_expr", "year")
        kwargs.setdefault("min_value", datetime.MINYEAR)
        kwargs.setdefault("max_value", datetime.MAXYEAR)
        kwargs.setdefault("error_messages", {"min_value": message, "max_value": message})
        super().__init__(*args, **kwargs)
