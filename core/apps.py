from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Acopagro")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from simple_history.signals import pre_create_historical_record

        from core import backends, checks  # noqa: F401 (checks registers the deployment checks)
        from core.middleware import mark_session_refreshed
        from core.roles import sync_role_groups

        backends.connect_signals()
        # After every migrate, so that permissions of new models reach the groups too.
        post_migrate.connect(sync_role_groups, dispatch_uid="core.sync_role_groups")
        user_logged_in.connect(mark_session_refreshed, dispatch_uid="core.mark_session_refreshed")
        pre_create_historical_record.connect(
            blank_change_reason, dispatch_uid="core.blank_change_reason"
        )


def blank_change_reason(sender, history_instance, **kwargs):
    """No reason given is an empty reason: the admin's history shows a blank, not "None"."""
    if history_instance.history_change_reason is None:
        history_instance.history_change_reason = ""
