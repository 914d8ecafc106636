"""Form pieces every app's forms share: a decimal field that reads the user's decimal mark
strictly, a confirmation asked when a value is possible but implausible, and a record typed as
its code.

Why not <input type="number">: a browser set to Spanish drops the "," of "1,5" and sends "15", so
the server never sees what was typed. A text input with inputmode="decimal" sends the text as
typed, and LocalDecimalField decides: "1.5" (Peru, English) or "1,5" (French) is read; a
thousands mark without a decimal mark ("1,5" or "1,500" in Peru) could mean two numbers and is
refused with a message; nothing is ever silently rewritten.
"""

import re
from decimal import Decimal

from django import forms
from django.db import models
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

NUMBER_CHARACTERS = re.compile(r"^[+-]?[\d.,\s\u00a0\u202f']+$")


def _separators() -> tuple[str, str]:
    decimal = str(formats.get_format("DECIMAL_SEPARATOR"))
    thousand = str(formats.get_format("THOUSAND_SEPARATOR"))
    return decimal, thousand


def parse_local_decimal(text: str) -> tuple[str | None, str | None]:
    """The number typed in `text` as a plain "1234.5" string, or (None, error code).

    Codes: "invalid" (not a number), "ambiguous" (the thousands mark without the decimal mark, or
    misplaced: "1,5", "1,500", "1,2,3"), "other_mark" (the other language's decimal mark).
    """
    text = text.strip()
    if not NUMBER_CHARACTERS.match(text):
        return None, "invalid"
    decimal, thousand = _separators()
    spaces = {" ", "\u00a0", "\u202f"}
    if thousand in spaces:
        thousand_marks = spaces
    else:
        thousand_marks = {thousand}
        if any(space in text for space in spaces):
            return None, "invalid"
    sign = text[0] if text[0] in "+-" else ""
    body = text[len(sign) :]
    other_marks = {".", ","} - {decimal} - thousand_marks
    if any(mark in body for mark in other_marks):
        return None, "other_mark"
    if body.count(decimal) > 1:
        return None, "invalid"
    whole, _mark, fraction = body.partition(decimal)
    if any(mark in fraction for mark in thousand_marks):
        return None, "ambiguous"
    if any(mark in whole for mark in thousand_marks):
        # Grouping is accepted only beside a decimal mark, and only in groups of three:
        # "1,234.5" is clear, "1,234" alone may be a mistyped 1.234.
        groups = re.split("|".join(re.escape(m) for m in thousand_marks), whole)
        if not _mark or not groups[0] or len(groups[0]) > 3:
            return None, "ambiguous"
        if any(len(group) != 3 for group in groups[1:]):
            return None, "ambiguous"
        whole = "".join(groups)
    if not (whole + fraction).isdigit():
        return None, "invalid"
    return f"{sign}{whole or '0'}.{fraction or '0'}", None


class DecimalTextInput(forms.TextInput):
    """A text box with the phone's number keyboard (with its decimal mark)."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})


class LocalDecimalField(forms.DecimalField):
    """A DecimalField that reads the active language's decimal mark and refuses ambiguity."""

    widget = DecimalTextInput
    default_error_messages = {
        "ambiguous": _(
            "“%(value)s” can be read two ways: write the decimals after “%(decimal)s” "
            "(for example %(example)s) and no “%(thousand)s”."
        ),
        "other_mark": _(
            "“%(value)s” uses “%(mark)s”: write the decimals after “%(decimal)s” "
            "(for example %(example)s)."
        ),
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)  # the value is shown with the same decimal mark
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int | Decimal):
            return super().to_python(value)
        number, error = parse_local_decimal(str(value))
        if error in ("ambiguous", "other_mark"):
            decimal, thousand = _separators()
            raise forms.ValidationError(
                self.error_messages[error],
                code=error,
                params={
                    "value": str(value).strip(),
                    "decimal": decimal,
                    "thousand": thousand.replace("\u00a0", " "),
                    "mark": ({".", ","} - {decimal}).pop(),
                    "example": f"1{decimal}5",
                },
            )
        if error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return Decimal(number)

    def widget_attrs(self, widget):
        # No min/max/step attributes: they belong to number inputs, which this field avoids.
        return forms.Field.widget_attrs(self, widget)


def local_formfield(db_field, **kwargs):
    """ModelForm Meta.formfield_callback: every model DecimalField becomes a LocalDecimalField."""
    if isinstance(db_field, models.DecimalField):
        kwargs.setdefault("form_class", LocalDecimalField)
    return db_field.formfield(**kwargs)


class PlausibilityMixin:
    """Values beyond a plausible bound are refused until a "yes, it is right" box is ticked.

    `plausible_max = {"area_ha": (Decimal("50"), message)}`; the message may use %(value)s and
    %(limit)s. The box (named confirm_<field>) appears with the error, so nothing unusual is
    saved by a slip of the finger and nothing true is refused for good.
    """

    plausible_max: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.plausible_max:
            if self.is_bound and self.add_prefix(self.confirm_name(name)) in self.data:
                self._add_confirm_field(name)

    @staticmethod
    def confirm_name(name: str) -> str:
        return f"confirm_{name}"

    def _add_confirm_field(self, name: str):
        confirm = self.confirm_name(name)
        if confirm not in self.fields:
            self.fields[confirm] = forms.BooleanField(
                label=_("Yes, this value is right"), required=False
            )
        return confirm

    def clean(self):
        cleaned = super().clean()
        for name, (limit, message) in self.plausible_max.items():
            value = cleaned.get(name)
            if value is None or value <= limit:
                continue
            confirm = self.confirm_name(name)
            if cleaned.get(confirm):
                continue
            self._add_confirm_field(name)
            self.add_error(
                name,
                forms.ValidationError(
                    message,
                    code="implausible",
                    params={"value": formats.localize(value), "limit": limit},
                ),
            )
        return cleaned


class SearchInput(forms.TextInput):
    """A text box that searches as you type (static/js/plantings-plot-search.js): its datalist
    is filled from `search_url_name` (JSON {results: [{code, label}]}); the code is kept."""

    class Media:
        js = ["js/plantings-plot-search.js"]

    def __init__(self, search_url_name: str, marker: str, found_template: str, attrs=None):
        self.search_url_name = search_url_name
        self.found_template = found_template
        super().__init__(attrs={"autocomplete": "off", f"data-{marker}": "", **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id') or name}-options"
        box = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        return format_html(
            '{}<datalist id="{}" data-search-url="{}"></datalist><p id="{}-status" '
            'class="visually-hidden" role="status" aria-live="polite" data-template="{}"></p>',
            box,
            list_id,
            reverse(self.search_url_name),
            list_id,
            self.found_template,
        )


class RecordCodeField(forms.CharField):
    """A record typed as its `code` (case ignored): the box shows the code of the record it holds
    (given as the record or its pk), clean() returns the record, None when left empty. Subclasses
    name the `model` and the "unknown" message (params: code); `typed_code()` reads the text."""

    model: type[models.Model]

    def prepare_value(self, value):
        if isinstance(value, self.model):
            return value.code
        if isinstance(value, int):
            record = self.model.objects.filter(pk=value).only("code").first()
            return record.code if record else ""
        return value

    def typed_code(self, text: str) -> str:
        return text.strip()

    def records(self):
        return self.model.objects.all()

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        code = self.typed_code(code)
        record = self.records().filter(code__iexact=code).first()
        if record is None:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"code": code}
            )
        return record
