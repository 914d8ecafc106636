from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CreditsConfig(AppConfig):
    name = "credits"
    verbose_name = _("credits")

    def ready(self):
        from core import changes
        from credits import projected_today, summaries, year_end_writes, year_ends
        from credits.models import CarbonProject
        from credits.models.summaries import DERIVED_MODELS

        # The registry moves "credits"; the carbon parameters move "parameters" (they change the
        # stock, not the registry). The summaries are derived rows: the writes they follow
        # already moved their own topics.
        models = [
            m
            for m in self.get_models()
            if not m.__name__.startswith("Historical") and m not in DERIVED_MODELS
        ]
        changes.track_models(models, topic="credits", overrides={CarbonProject: "parameters"})
        summaries.connect()
        year_ends.connect()
        projected_today.connect()
        year_end_writes.connect()  # after: it locks its stamps after today's projection
        # A database migrated to the summaries (or restored without them) gets them built once.
        post_migrate.connect(_build_missing_summaries, sender=self)


def _build_missing_summaries(*, using="default", **kwargs):
    from django.db import connections

    from core import changes
    from credits import summaries
    from credits.models import CohortSummary

    # Migrating back below the summaries' migration leaves no table to fill.
    if CohortSummary._meta.db_table not in connections[using].introspection.table_names():
        return
    if summaries.missing():
        with changes.batch():
            summaries.rebuild()
            changes.touch("visits", since=changes.ALL)
