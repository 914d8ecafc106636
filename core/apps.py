from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Acopagro")

    def ready(self):
        from core import checks  # noqa: F401 (registers the deployment checks)
        from core.roles import sync_role_groups

        # After every migrate, so that permissions of new models reach the groups too.
        post_migrate.connect(sync_role_groups, dispatch_uid="core.sync_role_groups")
