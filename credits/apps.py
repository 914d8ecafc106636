from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditsConfig(AppConfig):
    name = "credits"
    verbose_name = _("credits")

    def ready(self):
        from core import changes
        from credits import summaries
        from credits.models import (
            CarbonProject,
            CohortSummary,
            MemberSummary,
            PlotSpeciesSummary,
            PlotYearSummary,
            StratumSummary,
        )

        # The registry moves "credits"; the carbon parameters move "parameters" (they change the
        # stock, not the registry). The summaries are derived rows: the writes they follow
        # already moved their own topics.
        derived = {
            CohortSummary,
            MemberSummary,
            PlotSpeciesSummary,
            PlotYearSummary,
            StratumSummary,
        }
        models = [
            m
            for m in self.get_models()
            if not m.__name__.startswith("Historical") and m not in derived
        ]
        changes.track_models(models, topic="credits", overrides={CarbonProject: "parameters"})
        summaries.connect()
