"""One saved object of every model that has a factory, and the values that fill URL parameters.

Factories are discovered in tests/factories*.py and tests/*/factories*.py, so a factory written
for a new model makes its pages testable by the permission matrix and the XSS sweep at once.
"""

import functools
import importlib
import itertools
import pkgutil
from pathlib import Path

import factory
from django.apps import apps
from django.db import transaction

TESTS_DIR = Path(__file__).resolve().parent.parent
DOMAIN_APPS = ("members", "plantings", "credits")
# Parameters that name no model, with a harmless value that still resolves.
PLAIN_VALUES = {"uidb64": "MQ", "token": "set-password", "app_label": "members", "url": "x/"}
MISSING_PK = 999999


def param_choices():
    """URL parameters that name no model, each with the values worth requesting.

    Each report and each import kind carries its own permission, so pages taking one are
    checked once per value.
    """
    choices = {
        "table": ["table"],
        "token": ["no-such-upload"],
        "fmt": ["csv", "xlsx"],
        "which": ["trees", "co2"],  # the dashboard's progress charts
    }
    try:
        from reports import catalogue

        choices["slug"] = [report.slug for report in catalogue.REPORTS]
    except ImportError:
        pass
    try:
        from imports.views import KIND_PERMS

        choices["kind"] = list(KIND_PERMS)
    except ImportError:
        pass
    return choices


def presets(route):
    """One {param: value} dict per combination of the non-model parameters of route."""
    choices = param_choices()
    names = [name for name in route.params if name in choices]
    return [
        dict(zip(names, values, strict=True))
        for values in itertools.product(*(choices[name] for name in names))
    ]


def factory_modules():
    names = [f"tests.{info.name}" for info in pkgutil.iter_modules([str(TESTS_DIR)])]
    for sub in TESTS_DIR.iterdir():
        if sub.is_dir() and (sub / "__init__.py").exists():
            names += [f"tests.{sub.name}.{info.name}" for info in pkgutil.iter_modules([str(sub)])]
    for name in sorted(names):
        if name.rsplit(".", 1)[-1].startswith("factories"):
            yield importlib.import_module(name)


@functools.cache
def factories_by_model():
    """{model class: factory class}, the first factory found for each model."""
    found = {}
    for module in factory_modules():
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, factory.django.DjangoModelFactory)
                and value._meta.model is not None
                and not value._meta.abstract
            ):
                model = value._meta.get_model_class()
                found.setdefault(model, value)
    return found


class World:
    """One instance per model, made on first use: a factory when there is one, else an existing
    row, else (for credits) the services chain below. Lazy, so a test pays only for what its
    URL needs."""

    def __init__(self):
        self._made = {}
        self._factories = factories_by_model()
        self._chain_done = False

    def get(self, model, default=None):
        if model is None:
            return default
        if model not in self._made:
            self._made[model] = self._make(model)
        made = self._made[model]
        return default if made is None else made

    def __getitem__(self, model):
        instance = self.get(model)
        if instance is None:
            raise KeyError(model)
        return instance

    def __contains__(self, model):
        return self.get(model) is not None

    def _make(self, model):
        model_factory = self._factories.get(model)
        if model_factory is not None:
            try:
                with transaction.atomic():
                    return model_factory()
            except Exception:  # a factory that needs arguments: fall back to existing rows
                pass
        instance = model._default_manager.order_by("pk").first()
        if instance is None and model._meta.app_label == "credits" and not self._chain_done:
            self._chain_done = True
            _credits_chain(self)
            instance = model._default_manager.order_by("pk").first()
        return instance


def build_world():
    return World()


def _credits_chain(world):
    """Credits records have no factories: make them the way the cooperative does, through
    credits.services (open, close, issue, sell, distribute), as far as the world's data allows."""
    import datetime
    from decimal import Decimal

    try:
        from credits import services
        from credits.models import CarbonProject
    except ImportError:
        return
    buyer = world.get(model_named("buyer"))
    steps = {}

    def step(name, make):
        if all(steps.get(dep) is not None for dep in make.__code__.co_freevars if dep in steps):
            try:
                with transaction.atomic():
                    steps[name] = make()
            except Exception:  # the world's numbers may not allow it: later steps are skipped
                steps[name] = None

    # Enough surviving, measured trees in the period for whole credits to be issued.
    from tests.factories import (
        MonitoringVisitFactory,
        PlantingFactory,
        SurvivalCountFactory,
        TreeMeasurementFactory,
    )

    planting = PlantingFactory(trees_planted=20000, planted_on=datetime.date(2010, 3, 1))
    visit = MonitoringVisitFactory(plot=planting.plot, visited_on=datetime.date(2016, 6, 1))
    SurvivalCountFactory(visit=visit, species=planting.species, trees_alive=18000, trees_dead=0)
    # Five alike sample trees: no sampling error, so no deduction (docs/carbon.md section 3).
    for _tree in range(5):
        TreeMeasurementFactory(visit=visit, species=planting.species, dbh_cm=Decimal("20"))
    project = CarbonProject.current()
    step(
        "period",
        lambda: services.open_period(
            project=project,
            start_date=datetime.date(2014, 1, 1),
            end_date=datetime.date(2016, 12, 31),
            vintage="2016",
        ),
    )
    if steps.get("period") is None:
        return
    step("closed", lambda: services.close_period(period=steps["period"]))
    step("issued", lambda: services.issue_credits(period=steps["period"]))
    if buyer is not None and steps.get("issued"):
        step(
            "sale",
            lambda: services.sell_credits(
                period=steps["period"],
                buyer=buyer,
                quantity=1,
                unit_price=Decimal("10"),
                sold_on=datetime.date(2020, 1, 1),
            ),
        )


def model_named(name):
    """The model whose lower-case name is name (`member`, `monitoringvisit`), else None."""
    key = name.replace("_", "").lower()
    models = apps.get_models()
    for model in models:
        if model._meta.model_name == key:
            return model
    # `period` for MonitoringPeriod: accepted when exactly one model's name ends that way.
    endings = [model for model in models if model._meta.model_name.endswith(key)]
    endings = [model for model in endings if not model.__name__.startswith("Historical")]
    return endings[0] if len(endings) == 1 else None


def view_model(route):
    view_class = route.view_class
    for attribute in ("model", "queryset"):
        value = getattr(view_class, attribute, None) if view_class else None
        if value is None:
            continue
        return value if isinstance(value, type) else getattr(value, "model", None)
    if route.is_admin:
        # Admin pages live under admin/<app_label>/<model_name>/.
        for model in apps.get_models():
            if route.route.startswith(f"admin/{model._meta.app_label}/{model._meta.model_name}/"):
                return model
        return None
    # REST-style paths name the model before its key: members/<int:pk>/statement/.
    segments = route.route.split("/")
    for before, segment in zip(segments, segments[1:], strict=False):
        if segment.endswith(":pk>"):
            return model_named(before[:-1] if before.endswith("s") else before)
    return None


def fill(route, world, preset=None):
    """{param: value} for every parameter of route, or None when one cannot be filled."""
    values = dict(preset or {})
    if "content_type_id" in route.params:  # the admin's "view on site" redirect
        from django.contrib.contenttypes.models import ContentType

        instance = world[model_named("member")]
        return {
            "content_type_id": ContentType.objects.get_for_model(instance).pk,
            "object_id": instance.pk,
        }
    for param in route.params:
        if param in values:
            continue
        if param == "format":
            # DRF's drf_format_suffix path converter includes the dot; its regex form does not.
            values[param] = "json" if route.is_regex else ".json"
            continue
        if param in PLAIN_VALUES:
            values[param] = PLAIN_VALUES[param]
            continue
        if param in ("pk", "id", "object_id"):
            model = view_model(route)
        elif param.endswith(("_pk", "_id")):
            model = model_named(param.rsplit("_", 1)[0])
        else:
            model = model_named(param)
        instance = world.get(model) if model else None
        if instance is None:
            if route.is_admin and model is not None:
                values[param] = MISSING_PK  # the admin answers "does not exist": still gated
                continue
            return None
        values[param] = instance.pk
    if route.is_regex and "([^/]+)" in route.route:
        return _fill_history(route, world)
    return values


def _fill_history(route, world):
    """django-simple-history's admin page of one version: object pk, then history_id."""
    model = view_model(route)
    instance = world.get(model) if model else None
    if instance is None or not hasattr(instance, "history"):
        return {"__positional__": [MISSING_PK, MISSING_PK]}
    version = instance.history.order_by("history_id").first()
    history_id = version.history_id if version else MISSING_PK
    return {"__positional__": [instance.pk, history_id]}


def build_url(route, values):
    if "__positional__" in values:
        parts = iter(values["__positional__"])
        path = route.route.replace("([^/]+)", "{}").rstrip("$")
        return "/" + path.format(*parts)
    return route.build(values)
