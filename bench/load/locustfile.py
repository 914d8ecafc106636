"""Load on the real forms: staff record plantings and visits, managers browse reports and export.

Run by bench/load/run.sh (headless, local only, bounded by --run-time). Every write the
application acknowledges (a redirect away from the form after POST) is appended to ACK_LOG, so
check_writes.py can prove afterwards that each one is in the database, whole.

Environment: TARGETS (JSON of plot ids/codes with plantings and report slugs), ACK_LOG, STATUS_LOG.
"""

import json
import os
import random
import re
import uuid
from collections import Counter
from html.parser import HTMLParser

from locust import HttpUser, between, events, task

TARGETS = json.loads(open(os.environ.get("TARGETS", "bench/out/targets.json")).read())
ACK_LOG = open(os.environ.get("ACK_LOG", "bench/out/acks.log"), "a", buffering=1)
STATUS = Counter()
PASSWORD = os.environ.get("DEMO_PASSWORD", "acopagro-demo")
RUN = os.environ.get("LOAD_RUN", "run")  # tells the runs' visits apart in the database


@events.request.add_listener
def count_status(response=None, exception=None, **kwargs):
    if exception is not None and getattr(response, "status_code", 0) in (0, None):
        STATUS["connection error"] += 1
    elif response is not None:
        STATUS[f"{response.status_code // 100}xx"] += 1


@events.quitting.add_listener
def write_status(environment, **kwargs):
    with open(os.environ.get("STATUS_LOG", "bench/out/status.json"), "w") as out:
        json.dump(dict(STATUS), out)


class Forms(HTMLParser):
    """Field names and default values of the POST forms of a page."""

    def __init__(self, html):
        super().__init__()
        self.forms, self._select = [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            self.forms.append({"method": method, "fields": {}, "selects": set()})
        elif tag == "option" and self._select and attrs.get("value"):
            fields = self.forms[-1]["fields"]
            if not fields[self._select] or "selected" in attrs:
                fields[self._select] = attrs["value"]
        elif not self.forms or "name" not in attrs:
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self.forms[-1]["fields"][attrs["name"]] = attrs.get("value") or ""
        elif tag in ("select", "textarea"):
            self.forms[-1]["fields"][attrs["name"]] = ""
            self._select = attrs["name"] if tag == "select" else None
            if self._select:
                self.forms[-1]["selects"].add(self._select)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def main_form(html):
    """The page's data form: the POST form with the most fields (not logout, not language)."""
    forms = [f for f in Forms(html).forms if f["method"] == "post"]
    if not forms:
        return None
    form = max(forms, key=lambda f: len(f["fields"]))
    # Lists in the rows of a table form start empty: a row with only a choice made is half
    # filled and refused (e.g. a tree measurement with a species but no diameter).
    for name in form["selects"]:
        if re.search(r"-\d+-", name):
            form["fields"][name] = ""
    return form["fields"]


def acknowledged(response, form_path):
    """A save is acknowledged by a redirect away from the form (Post/Redirect/Get)."""
    location = response.headers.get("Location", "")
    return response.status_code == 302 and form_path not in location and "login" not in location


def fill_visit(fields, plot):
    """A visit of the day with a few trees alive per species and one sample tree."""
    marker = f"load-{RUN}-{uuid.uuid4().hex[:12]}"
    day = f"2026-{random.randint(1, 10):02d}-{random.randint(1, 28):02d}"
    rows = 0
    for name in list(fields):
        if name.endswith("trees_alive"):
            fields[name] = str(random.randint(0, 3))
            rows += 1
        elif name.endswith(("trees_dead", "trees_replanted")):
            fields[name] = "0"
    fields.update(visited_on=day, technician="Load test", notes=marker)
    species = fields.get("counts-0-species")
    if species and "trees-0-dbh_cm" in fields:  # one sample tree, as technicians measure
        fields.update({"trees-0-species": species, "trees-0-dbh_cm": "12.5"})
        fields["trees-0-height_m"] = "8.0"
    return f"visit {marker} {rows}"


def fill_planting(fields, plot):
    """A small planting of 2025, found again by its nursery batch."""
    marker = "L" + uuid.uuid4().hex[:16]
    fields.update(
        plot=plot["code"],
        species=str(random.choice(TARGETS["species"])),
        planted_on=f"2025-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}",
        trees_planted=str(random.randint(1, 3)),
        nursery_batch=marker,
    )
    return f"planting {marker} 1"


class LoggedIn(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    username = ""

    def on_start(self):
        page = self.client.get("/accounts/login/", name="login form")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="login",
        )


class Staff(LoggedIn):
    """A technician typing in the day's field sheets."""

    weight = 3
    username = "staff"

    def save_form(self, form_path, plot, fill):
        """Open the add form at `form_path` for a plot, let `fill(fields, plot)` complete it (it
        returns the line ACK_LOG keeps if the save is acknowledged) and post it back."""
        path = f"{form_path}?plot={plot['id']}"
        page = self.client.get(path, name=f"{form_path} (form)")
        fields = main_form(page.text)
        if fields is None:
            return
        ack_line = fill(fields, plot)
        with self.client.post(
            path, fields, name=form_path, allow_redirects=False, catch_response=True
        ) as response:
            if acknowledged(response, form_path):
                ACK_LOG.write(f"{ack_line}\n")
            if response.status_code < 500:
                response.success()

    @task(3)
    def record_visit(self):
        self.save_form("/monitoring/add/", random.choice(TARGETS["plots"]), fill_visit)

    @task(2)
    def record_planting(self):
        self.save_form("/plantings/add/", random.choice(TARGETS["plots"]), fill_planting)

    @task(1)
    def search_members(self):
        term = random.choice(["Núñez", "Ríos", "Garcia", "4", "Juanjuí", "ana"])
        self.client.get(f"/members/?q={term}", name="/members/?q=")

    @task(1)
    def member_page(self):
        self.client.get(f"/members/{random.choice(TARGETS['members'])}/", name="/members/<id>/")


class Manager(LoggedIn):
    """A manager reading the programme's figures and exporting them."""

    weight = 1
    username = "manager"

    @task(3)
    def report(self):
        slug = random.choice(TARGETS["reports"])
        # Named by report: each is a request type of its own for the budget (bench/README.md).
        self.client.get(f"/reports/{slug}/", name=f"/reports/{slug}/")

    @task(1)
    def export(self):
        slug = random.choice(TARGETS["reports"])
        self.client.get(f"/reports/{slug}/?format=csv", name=f"/reports/{slug}/?format=csv")

    @task(1)
    def members(self):
        self.client.get("/members/", name="/members/")
