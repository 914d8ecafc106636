"""The Content-Security-Policy forbids inline code: no template may rely on it.

Scans every template of the project and of its own apps for inline <script> bodies, <style>
elements, style="..." attributes and on*="..." event handlers, so the breakage shows here rather
than as a silently dead button in the browser.
"""

import re
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
TEMPLATE_DIRS = [BASE_DIR / "templates"] + [
    BASE_DIR / app / "templates" for app in ("acopagro", "members", "plantings", "credits")
]
# A JSON data block is inert (never executed), the CSP-friendly way to hand data to a script.
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I
)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
RULES = {
    "inline <script>": INLINE_SCRIPT,
    "<style> element": STYLE_ELEMENT,
    "style attribute": STYLE_ATTRIBUTE,
    "event handler attribute": EVENT_HANDLER,
}


def templates():
    for folder in TEMPLATE_DIRS:
        if folder.is_dir():
            yield from sorted(folder.rglob("*.html"))


def test_templates_exist_to_scan():
    assert any(path.name == "base.html" for path in templates())


def test_no_template_relies_on_inline_code():
    offences = []
    for path in templates():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for what, pattern in RULES.items():
                if pattern.search(line):
                    offences.append(f"{path.relative_to(BASE_DIR)}:{number}: {what}")
    assert offences == []


def test_the_scan_catches_each_kind():
    samples = {
        "inline <script>": "<script>alert(1)</script>",
        "<style> element": "<style>p{}</style>",
        "style attribute": '<div style="width: 10%">',
        "event handler attribute": '<button onclick="go()">',
    }
    for what, sample in samples.items():
        assert RULES[what].search(sample), what
    assert not INLINE_SCRIPT.search('<script src="/static/js/x.js"></script>')
    assert not INLINE_SCRIPT.search('<script id="d" type="application/json">{}</script>')
