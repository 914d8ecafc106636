from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("members")

    def ready(self):
        from core import changes

        # Every save, delete and bulk write of this app's data moves the "members" generation
        # (core/changes.py): the reports that read it are computed again.
        models = [m for m in self.get_models() if not m.__name__.startswith("Historical")]
        changes.track_models(models, topic="members")
