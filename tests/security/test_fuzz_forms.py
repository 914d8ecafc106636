"""Property-based fuzzing (hypothesis) of every form: it validates or returns errors, never raises.

Forms are discovered in the apps' forms and filters modules, so a new form is fuzzed without being
listed. A valid ModelForm that covers every required column must also save without an error.
"""

import importlib
import inspect

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.world import build_world, model_named

pytestmark = pytest.mark.django_db

FORM_MODULES = (
    "members.forms",
    "members.filters",
    "plantings.forms",
    "plantings.filters",
    "credits.forms",
    "imports.forms",
    "reports.filters",
)
# Forms that cannot be built from data alone: {class name: reason}.
NOT_FUZZED = {}

HOSTILE = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "1e309",
        "NaN",
        "Infinity",
        "-0.0000001",
        "99999999999999999999999999",
        "2026-02-30",
        "0000-00-00",
        "' OR 1=1 --",
        "'; DROP TABLE members_member; --",
        "%_\\",
        "<script>alert(1)</script>",
        '=HYPERLINK("x")',
        "\x00",
        "ñúñez Ñ 🌳",
        "a" * 5000,
    ]
)
VALUE = st.one_of(
    HOSTILE,
    st.text(max_size=120),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=4).map(str),
    st.dates().map(str),
)


def discover_forms():
    found = []
    for name in FORM_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if not isinstance(value, type) or value.__module__ != module.__name__:
                continue
            # A FilterSet of a model (a base FilterSet shared by several lists names none).
            form_class = (
                getattr(value, "base_filters", None) and value._meta.model and value._meta.form
            )
            if issubclass(value, forms.BaseForm) or form_class:
                found.append(value)
    return found


FORMS = discover_forms()


def test_forms_are_discovered():
    names = {form.__name__ for form in FORMS}
    assert {"MemberForm", "PlotForm"} <= names


def construct(form_class, data, world, user):
    """An instance of form_class (or of a FilterSet's form) bound to data."""
    kwargs = {}
    signature = inspect.signature(form_class.__init__)
    for name, parameter in list(signature.parameters.items())[1:]:
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        if parameter.default is not parameter.empty or name in ("data", "files"):
            continue
        if name in ("user", "request_user"):
            kwargs[name] = user
        elif model_named(name) in world:
            kwargs[name] = world[model_named(name)]
        else:
            raise LookupError(f"{form_class.__name__} needs {name}")
    if hasattr(form_class, "base_filters"):
        return form_class(data=data, **kwargs).form
    return form_class(data=data, **kwargs)


def field_strategy(field, world):
    if isinstance(field, forms.ModelChoiceField):
        instance = world.get(field.queryset.model)
        valid = [str(instance.pk)] if instance else []
        choice = st.sampled_from(valid or ["1"]) | VALUE
        if isinstance(field, forms.ModelMultipleChoiceField):
            return st.lists(choice, max_size=3)
        return choice
    if isinstance(field, forms.MultipleChoiceField):
        return st.lists(st.sampled_from([str(c[0]) for c in field.choices] or [""]) | VALUE)
    if isinstance(field, forms.ChoiceField) and field.choices:
        return st.sampled_from([str(c[0]) for c in field.choices]) | VALUE
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", "", "true", "false"])
    return VALUE


def required_columns_missing(form):
    """Required model columns a ModelForm leaves to its view (then save() is the view's job)."""
    model = form._meta.model
    return [
        field.name
        for field in model._meta.concrete_fields
        if not (field.null or field.blank or field.has_default() or field.primary_key)
        and field.editable
        and field.name not in form.fields
    ]


@pytest.mark.parametrize("form_class", FORMS, ids=lambda form: form.__name__)
def test_form_validates_or_reports_errors_never_raises(form_class, administrator):
    world = build_world()
    try:
        form = construct(form_class, {}, world, administrator)
    except LookupError as error:
        assert form_class.__name__ in NOT_FUZZED, f"{error}: list it in NOT_FUZZED with a reason"
        return
    fields = {
        name: field_strategy(field, world)
        for name, field in form.fields.items()
        if not isinstance(field, forms.FileField)
    }

    @settings(
        max_examples=40,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries({}, optional=fields))
    def fuzz(data):
        bound = construct(form_class, data, world, administrator)
        with transaction.atomic():
            if bound.is_valid() and isinstance(bound, forms.ModelForm):
                if not required_columns_missing(bound):
                    bound.save()
            else:
                # Errors are there and readable: a list of strings per field.
                assert all(isinstance(str(e), str) for e in bound.errors.values())
            transaction.set_rollback(True)

    fuzz()


def test_user_model_is_untouched_by_fuzzing():
    """Fuzzing runs every save in a rolled-back savepoint."""
    assert get_user_model().objects.filter(username__startswith="<").count() == 0
