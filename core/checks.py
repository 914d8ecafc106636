"""Deployment checks of our own settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks
from django.utils.translation import gettext_lazy as _


@checks.register(checks.Tags.security, deploy=True)
def check_email(app_configs, **kwargs):
    """Password reset tells a user a mail was sent: without a mail server it would never leave."""
    smtp = settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    if smtp and not settings.EMAIL_HOST:
        return [
            checks.Warning(
                _("EMAIL_HOST is not set: password-reset mails cannot be sent."),
                hint=_("Set EMAIL_HOST, EMAIL_HOST_USER and EMAIL_HOST_PASSWORD (docs/deploy.md)."),
                id="acopagro.W001",
            )
        ]
    return []
