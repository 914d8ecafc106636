"""One saved object of every model that has a factory, and the values that fill URL parameters.

Factories are discovered in tests/factories*.py and tests/*/factories*.py, so a factory written
for a new model makes its pages testable by the permission matrix and the XSS sweep at once.
"""

import importlib
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


def factory_modules():
    names = [f"tests.{info.name}" for info in pkgutil.iter_modules([str(TESTS_DIR)])]
    for sub in TESTS_DIR.iterdir():
        if sub.is_dir() and (sub / "__init__.py").exists():
            names += [f"tests.{sub.name}.{info.name}" for info in pkgutil.iter_modules([str(sub)])]
    for name in sorted(names):
        if name.rsplit(".", 1)[-1].startswith("factories"):
            yield importlib.import_module(name)


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


def build_world():
    """{model: instance} with one instance of every model that has a working factory."""
    world = {}
    for model, model_factory in factories_by_model().items():
        if model in world:
            continue
        try:
            with transaction.atomic():
                world[model] = model_factory()
        except Exception:  # a factory that needs arguments: its model is filled from rows below
            continue
    # Rows made as side effects (sub-factories, data migrations) fill models without a factory.
    for model in apps.get_models():
        if model not in world:
            instance = model._default_manager.order_by("pk").first()
            if instance is not None:
                world[model] = instance
    return world


def model_named(name):
    """The model whose lower-case name is name (`member`, `monitoringvisit`), else None."""
    key = name.replace("_", "").lower()
    for model in apps.get_models():
        if model._meta.model_name == key:
            return model
    return None


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


def fill(route, world, preset=None):
    """{param: value} for every parameter of route, or None when one cannot be filled."""
    values = dict(preset or {})
    if "content_type_id" in route.params:  # the admin's "view on site" redirect
        from django.contrib.contenttypes.models import ContentType

        instance = next(iter(world.values()))
        return {
            "content_type_id": ContentType.objects.get_for_model(instance).pk,
            "object_id": instance.pk,
        }
    for param in route.params:
        if param in values:
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
