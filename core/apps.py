from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Acopagro")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from core import checks  # noqa: F401 (registers the deployment checks)
        from core.middleware import mark_session_refreshed
        from core.roles import sync_role_groups

        # After every migrate, so that permissions of new models reach the groups too.
        post_migrate.connect(sync_role_groups, dispatch_uid="core.sync_role_groups")
        user_logged_in.connect(mark_session_refreshed, dispatch_uid="core.mark_session_refreshed")
