"""Small template helpers shared by the staff pages: sortable column headers."""

from django import template
from django.utils.html import format_html

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
