"""Records of the bottom layer: used one-time form tokens (core/form_tokens.py) and the data
generations that key cached reports (core/changes.py); and what the domain apps' models share:
who recorded a row and when (`Recorded`, `recorded_by_field`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UsedFormToken(models.Model):
    """An add form's one-time token, written in the same transaction as the record the form
    created; the unique token makes a second save of that form fail in the database, in every
    worker, whatever the session."""

    token = models.UUIDField(_("token"), unique=True)
    url = models.CharField(_("address of the record"), max_length=300)
    created_at = models.DateTimeField(_("used at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("used form token")
        verbose_name_plural = _("used form tokens")

    def __str__(self):
        return str(self.token)


class DataGeneration(models.Model):
    """A counter per topic of domain data, moved by every committed change of it
    (core/changes.py): cached reports are keyed by the counters of what they read."""

    topic = models.CharField(_("topic"), max_length=30, primary_key=True)
    value = models.BigIntegerField(_("generation"), default=0)

    class Meta:
        verbose_name = _("data generation")
        verbose_name_plural = _("data generations")

    def __str__(self):
        return f"{self.topic}: {self.value}"


def recorded_by_field(*, on_delete=models.SET_NULL, **options) -> models.ForeignKey:
    """The user who recorded a row; by default the row outlives that user's account (NULL)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=on_delete, null=True, related_name="+", **options
    )


class Recorded(models.Model):
    """A domain record that keeps who entered it and when (set by the services and admin, shown
    read-only)."""

    recorded_by = recorded_by_field(blank=True, verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True
