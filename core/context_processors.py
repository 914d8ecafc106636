"""Template context for every page."""

import hashlib

from django.utils.functional import lazy

from core.changes import CACHE_TIMEOUT_S


def user_permissions_key(user) -> str:
    """What a cached fragment with links shown by permission varies on: the user's permissions
    (users of one group share it; anonymous users have none)."""
    names = ",".join(sorted(user.get_all_permissions()))
    return hashlib.blake2b(names.encode(), digest_size=8).hexdigest()


def fragment_cache(request) -> dict:
    """For the {% cache %} fragments (the navbar's links, a list's rows, a member's sections, a
    report's tables): their timeout, and `permissions_key`, computed only if a template uses it."""
    return {
        "cache_timeout_s": CACHE_TIMEOUT_S,
        "permissions_key": lazy(user_permissions_key, str)(request.user),
    }
