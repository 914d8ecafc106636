"""Discover every URL pattern of the URLconf and what each view declares about access.

Used by the permission matrix, the XSS sweep and the POST fuzzing, so that a page added later is
checked without anyone listing it by hand.
"""

import re
from dataclasses import dataclass, field

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.urls import URLPattern, URLResolver, get_resolver

_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


@dataclass
class Route:
    """One URL pattern: its full route text, its name (with namespace) and its view."""

    route: str
    name: str | None
    callback: object
    params: list[str] = field(default_factory=list)
    is_regex: bool = False

    @property
    def label(self):
        return self.name or self.route

    @property
    def is_admin(self):
        return self.route.startswith("admin/")

    @property
    def view_class(self):
        return getattr(self.callback, "view_class", None) or getattr(self.callback, "cls", None)

    def build(self, values):
        """The URL with every parameter replaced by values[name] (KeyError if one is missing)."""
        if self.is_regex:
            path = _REGEX_GROUP.sub(lambda m: str(values[m.group("name")]), self.route)
            path = path.replace("/?$", "/")
            path = path.lstrip("^").rstrip("$").replace("\\", "")
        else:
            path = _PARAM.sub(lambda m: str(values[m.group("name")]), self.route)
        return "/" + path


def _route_text(pattern):
    return str(pattern.pattern)


def walk(resolver=None, prefix="", namespace=None, is_regex=False):
    """Yield a Route for every URLPattern under resolver, nested includes flattened."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        text = _route_text(entry)
        entry_regex = is_regex or entry.pattern.__class__.__name__ == "RegexPattern"
        if entry_regex and text.startswith("^"):
            text = text[1:]
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            full_ns = ":".join(n for n in (namespace, ns) if n) or None
            if text.endswith("$"):
                text = text[:-1]
            yield from walk(entry, prefix + text, full_ns, entry_regex)
        elif isinstance(entry, URLPattern):
            route = prefix + text
            if route.endswith("$") and not entry_regex:
                route = route[:-1]
            name = entry.name
            if name and namespace:
                name = f"{namespace}:{name}"
            params = [m.group("name") for m in _PARAM.finditer(route)] if not entry_regex else []
            if entry_regex:
                params = [m.group("name") for m in _REGEX_GROUP.finditer(route)]
            yield Route(route, name, entry.callback, params, entry_regex)


def declared_permissions(route):
    """The permissions a view says it needs, or None when it declares none.

    Class-based views: PermissionRequiredMixin's `permission_required`. Function views: the
    `perm` of Django's @permission_required decorator (found in its closure) or a
    `permission_required` attribute on the function.
    """
    view_class = route.view_class
    if view_class is not None and issubclass(view_class, PermissionRequiredMixin):
        perms = view_class.permission_required
        if not perms:
            return None
        return (perms,) if isinstance(perms, str) else tuple(perms)
    attribute = getattr(route.callback, "permission_required", None)
    if attribute:
        return (attribute,) if isinstance(attribute, str) else tuple(attribute)
    found = _closure_perm(route.callback, depth=0)
    if found:
        return (found,) if isinstance(found, str) else tuple(found)
    return None


def _closure_perm(func, depth):
    """Django's permission_required(perm) keeps `perm` in the closure of its check function."""
    if depth > 6 or func is None:
        return None
    code = getattr(func, "__code__", None)
    cells = getattr(func, "__closure__", None) or ()
    names = code.co_freevars if code else ()
    for name, cell in zip(names, cells, strict=False):
        try:
            value = cell.cell_contents
        except ValueError:
            continue
        if name == "perm" and isinstance(value, str | list | tuple):
            return value
        if callable(value):
            found = _closure_perm(value, depth + 1)
            if found:
                return found
    return _closure_perm(getattr(func, "__wrapped__", None), depth + 1)
