"""Every application page as the administrator sees it, its forms and its export links.

Built on the URL walk (urlwalk.py) and the one-of-everything world (world.py): the XSS sweep,
the export checks and the POST fuzzing visit exactly what the URLconf serves today.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from tests.security.urlwalk import walk
from tests.security.world import build_url, fill, presets

# Not application pages: the admin (Django's own escaping), auth views, language switch, logout.
SKIP_PREFIXES = ("admin/", "accounts/", "i18n/")
EXPORT_LINK = re.compile(r"""href="([^"]*(?:format=(?:csv|xlsx)|\.csv|\.xlsx|export)[^"]*)\"""")


def app_urls(world):
    """Every filled URL of the application's own pages (reports once per report, etc.)."""
    urls = []
    for route in walk():
        if route.route.startswith(SKIP_PREFIXES) or route.name == "healthz":
            continue
        for preset in presets(route):
            values = fill(route, world, preset)
            if values is not None:
                urls.append(build_url(route, values))
    return urls


def export_links(html):
    return [link.replace("&amp;", "&") for link in EXPORT_LINK.findall(html)]


@dataclass
class Form:
    action: str
    method: str
    multipart: bool
    fields: dict = field(default_factory=dict)  # name → default value
    files: list = field(default_factory=list)  # names of file inputs


class FormParser(HTMLParser):
    """The forms of a page with their field names and default values."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                Form(
                    action=attrs.get("action") or "",
                    method=(attrs.get("method") or "get").lower(),
                    multipart="multipart" in (attrs.get("enctype") or ""),
                )
            )
        elif tag == "option" and self._select and "value" in attrs:
            fields = self.forms[-1].fields
            if not fields[self._select] or "selected" in attrs:
                fields[self._select] = attrs["value"]
        elif not self.forms or "name" not in attrs:
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind == "file":
                self.forms[-1].files.append(attrs["name"])
            elif kind in ("checkbox", "radio") and "checked" not in attrs:
                self.forms[-1].fields.setdefault(attrs["name"], "")
            elif kind not in ("submit", "button", "reset"):
                self.forms[-1].fields[attrs["name"]] = attrs.get("value") or ""
        elif tag in ("textarea", "select"):
            self.forms[-1].fields[attrs["name"]] = ""
            self._select = attrs["name"] if tag == "select" else None

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def forms_of(html):
    parser = FormParser()
    parser.feed(html)
    return parser.forms
