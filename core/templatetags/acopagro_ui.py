"""Small template helpers shared by the staff pages: sortable column headers."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_th(context, field, label, css_class=""):
    """A column header that sorts the list by `field` (django-filter's "o" parameter), keeping
    the other filters; a second click reverses the order."""
    request = context["request"]
    params = request.GET.copy()
    current = params.get("o", "")
    if current == field:
        new, aria, arrow = f"-{field}", "ascending", " ▲"
    elif current == f"-{field}":
        new, aria, arrow = field, "descending", " ▼"
    else:
        new, aria, arrow = field, None, ""
    params["o"] = new
    params.pop("page", None)
    return format_html(
        '<th scope="col" class="{}"{}><a href="?{}">{}</a>{}</th>',
        css_class,
        format_html(' aria-sort="{}"', aria) if aria else "",
        params.urlencode(),
        label,
        arrow,
    )


def _error_items(form, row_label=""):
    """(anchor, label, message) for every error of `form`, its fields in page order."""
    items = []
    prefix = f"{row_label} – " if row_label else ""
    for error in form.non_field_errors():
        items.append(("", prefix.rstrip(" –"), error))
    for bound in form:
        for error in bound.errors:
            anchor = bound.id_for_label or bound.auto_id
            items.append((anchor, f"{prefix}{bound.label}", error))
    return items


@register.inclusion_tag("includes/error_summary.html")
def error_summary(form=None, *formsets):
    """Every error of a form (and its formsets: given one by one or as a list) at the top of the
    page, each a link to its field; static/js/acopagro-forms.js moves the focus here."""
    items = []
    if form is not None and form.is_bound:
        items += _error_items(form)
    flat = []
    for formset in formsets:
        flat.extend(formset if isinstance(formset, list | tuple) else [formset] if formset else [])
    for formset in flat:
        if not formset.is_bound:
            continue
        for error in formset.non_form_errors():
            items.append(("", "", error))
        for number, row in enumerate(formset.forms, start=1):
            label = getattr(row, "species_label", "") or _("row %(number)s") % {"number": number}
            items += _error_items(row, str(label))
    return {"items": items}
