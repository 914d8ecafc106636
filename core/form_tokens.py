"""One-time form tokens: a replayed "add" form (double click, browser back, resubmit) must not
create a second record, even when the two posts reach two workers at the same moment.

Each add form carries a hidden random token. The post that saves the form writes the token
(core.models.UsedFormToken, unique) in the same transaction as the record, before it. A second
post of the same form finds the token and is sent to the record with a message; one that runs at
the same time blocks on the token's unique index until the first commits, then fails (nothing of
it is saved) and is sent to the first one's record. A refused form leaves the token unused.

An IntegrityError on the create that is not the token (the same member code typed in two places
at once) is the form's message: the form is validated again, now that the rival is saved.
"""

import datetime
import uuid

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import UsedFormToken

TOKEN_FIELD = "form_token"
# A used token is kept long enough to catch any replay of a form still open in a browser.
KEEP_USED = datetime.timedelta(days=7)


def _valid(token: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(token)
    except (TypeError, ValueError, AttributeError):
        return None


def done_url(token: uuid.UUID) -> str | None:
    """The address of the record a token already created, or None."""
    return UsedFormToken.objects.filter(token=token).values_list("url", flat=True).first()


class OnceTokenMixin:
    """For create views: adds the hidden token field and refuses to save the same form twice.

    A replay is sent to the view's get_success_url() for the object the first post saved.
    """

    already_saved_message = _("This form was already saved; here is the record it created.")
    conflict_message = _(
        "Another record was saved with the same values at the same moment; nothing was saved. "
        "Check the form and send it again."
    )

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields[TOKEN_FIELD] = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=str(uuid.uuid4())
        )
        return form

    def post(self, request, *args, **kwargs):
        token = _valid(request.POST.get(TOKEN_FIELD, ""))
        if token is None:
            return self.post_once(request, None, *args, **kwargs)
        url = done_url(token)
        if url:
            return self.already_saved(url)
        try:
            return self.post_once(request, token, *args, **kwargs)
        except IntegrityError:
            url = done_url(token)
            if url:
                # The same form, saved by a post that committed first.
                return self.already_saved(url)
            return self.conflict()

    def post_once(self, request, token, *args, **kwargs):
        """The view's own post and the token's row, in one transaction. The token is written
        first: a second post of the same form waits on its unique index until this one ends."""
        with transaction.atomic():
            used = None
            if token is not None:
                used = UsedFormToken.objects.create(token=token, url="")
            response = super().post(request, *args, **kwargs)
            saved = getattr(self, "object", None)
            if used is not None:
                if saved is not None and saved.pk and response.status_code < 400:
                    used.url = self.get_success_url()
                    used.save(update_fields=["url"])
                    old = timezone.now() - KEEP_USED
                    UsedFormToken.objects.filter(created_at__lt=old).delete()
                else:
                    # Nothing was saved (the form again, with its messages): the token stays free.
                    transaction.set_rollback(True)
        return response

    def already_saved(self, url):
        messages.info(self.request, self.already_saved_message)
        return redirect(url)

    def conflict(self):
        """The form again, validated anew: a rival committed meanwhile shows at its field."""
        self.object = None
        form = self.get_form()
        if form.is_valid():
            form.add_error(None, self.conflict_message)
        return self.form_invalid(form)
