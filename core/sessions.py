"""Database sessions that remember when they were last saved (SESSION_ENGINE).

SessionRefreshMiddleware (core/middleware.py) renews a session's expiry once its last save is
a minute old; for that every save, whoever makes it (login, messages, the test client's
force_login), records its time in the session data.

Every request reads its session: that read is one plain SQL query here rather than the ORM's
`get()`, whose query building was half of its 0.45 ms (tests/security/test_production_settings.py).
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

SAVED_AT_KEY = "_saved_at"


class SessionStore(DatabaseSessionStore):
    def create_model_instance(self, data):
        # `data` is the session's own dictionary: the time is kept in memory too.
        data[SAVED_AT_KEY] = int(timezone.now().timestamp())
        return super().create_model_instance(data)

    def load(self):
        """The unexpired session's data, or {} (then the key is dropped, as Django's store does)."""
        model = self.model
        connection = connections[router.db_for_read(model)]
        quote = connection.ops.quote_name
        sql = (
            f"SELECT {quote('session_data')} FROM {quote(model._meta.db_table)} "
            f"WHERE {quote('session_key')} = %s AND {quote('expire_date')} > %s"
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])
