"""Readable change history from django-simple-history: who changed what, when, before → after."""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: object
    user: object
    action: str
    changes: list[FieldChange] = field(default_factory=list)


def _display(model, field_name: str, value, related_names: dict) -> str:
    model_field = model._meta.get_field(field_name)
    if value in (None, ""):
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        return related_names.get((model_field.related_model, value), str(value))
    if isinstance(model_field, models.BooleanField):
        return str(_("yes") if value else _("no"))
    return str(value)


def history_entries(obj, limit: int = 20) -> list[HistoryEntry]:
    """The latest `limit` history records of `obj`, newest first, each with its field changes.

    One query for the records (with their users) plus one per foreign-key model named in a change:
    consecutive records are compared in memory, not with prev_record (a query per record).
    """
    records = list(
        obj.history.select_related("history_user").order_by("-history_date")[: limit + 1]
    )
    model = type(obj)
    diffs = []
    for index, newer in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else None
        if older is None or newer.history_type != "~":
            diffs.append((newer, []))
        else:
            diffs.append((newer, newer.diff_against(older).changes))
    # Foreign keys arrive as ids: fetch the names of the few related rows in one query per model.
    wanted: dict = {}
    for _record, changes in diffs:
        for change in changes:
            model_field = model._meta.get_field(change.field)
            if isinstance(model_field, models.ForeignKey):
                ids = wanted.setdefault(model_field.related_model, set())
                ids.update(v for v in (change.old, change.new) if v is not None)
    related_names = {}
    for related_model, ids in wanted.items():
        for related in related_model.objects.filter(pk__in=ids):
            related_names[(related_model, related.pk)] = str(related)
    entries = []
    for record, changes in diffs[:limit]:
        entries.append(
            HistoryEntry(
                when=record.history_date,
                user=record.history_user,
                action=ACTIONS.get(record.history_type, record.history_type),
                changes=[
                    FieldChange(
                        label=str(model._meta.get_field(c.field).verbose_name),
                        old=_display(model, c.field, c.old, related_names),
                        new=_display(model, c.field, c.new, related_names),
                    )
                    for c in changes
                ],
            )
        )
    return entries
