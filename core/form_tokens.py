"""One-time form tokens: a replayed "add" form (double click, browser back, resubmit) must not
create a second record.

Each add form carries a hidden random token. When the form saves, the token is remembered in the
session with the address of the record it created; the same token posted again redirects there
with a message instead of saving anything. A short cache lock covers two posts arriving at the same
time (a double click that beats the JavaScript that disables the button).
"""

import uuid

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

TOKEN_FIELD = "form_token"
SESSION_KEY = "done_form_tokens"
# Enough for a day's data entry in one session; older tokens fall off first.
MAX_REMEMBERED = 50
LOCK_SECONDS = 30


def _valid(token: str) -> bool:
    try:
        uuid.UUID(token)
    except (TypeError, ValueError):
        return False
    return True


def done_url(request, token: str) -> str | None:
    """The address of the record a token already created, or None."""
    return request.session.get(SESSION_KEY, {}).get(token)


def mark_done(request, token: str, url: str) -> None:
    done = dict(request.session.get(SESSION_KEY, {}))
    done[token] = url
    while len(done) > MAX_REMEMBERED:
        done.pop(next(iter(done)))
    request.session[SESSION_KEY] = done


class OnceTokenMixin:
    """For create views: adds the hidden token field and refuses to save the same form twice.

    A replay is sent to the view's get_success_url() for the saved object.
    """

    already_saved_message = _("This form was already saved; here is the record it created.")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields[TOKEN_FIELD] = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=str(uuid.uuid4())
        )
        return form

    def post(self, request, *args, **kwargs):
        token = request.POST.get(TOKEN_FIELD, "")
        if not _valid(token):
            return super().post(request, *args, **kwargs)
        url = done_url(request, token)
        if url is None and not cache.add(f"form-token:{token}", 1, LOCK_SECONDS):
            # The same form is being saved right now by an earlier post: say so, save nothing.
            messages.warning(request, _("This form is already being saved; please wait."))
            return redirect(request.get_full_path())
        if url:
            messages.info(request, self.already_saved_message)
            return redirect(url)
        try:
            response = super().post(request, *args, **kwargs)
        finally:
            cache.delete(f"form-token:{token}")
        if getattr(self, "object", None) is not None and self.object.pk:
            mark_done(request, token, self.get_success_url())
        return response
