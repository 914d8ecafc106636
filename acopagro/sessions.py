"""Database sessions that remember when they were last saved (SESSION_ENGINE).

SessionRefreshMiddleware (acopagro/middleware.py) renews a session's expiry once its last save is
a minute old; for that every save, whoever makes it (login, messages, the test client's
force_login), records its time in the session data.
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

SAVED_AT_KEY = "_saved_at"


class SessionStore(DatabaseSessionStore):
    def create_model_instance(self, data):
        # `data` is the session's own dictionary: the time is kept in memory too.
        data[SAVED_AT_KEY] = int(timezone.now().timestamp())
        return super().create_model_instance(data)
