"""Django's model permissions, with each user's permission set cached under a stamp.

Django's ModelBackend runs two joined queries on every request that checks a permission (every
page here: views, navbar); on PostgreSQL they cost 2.5 ms of a warm dashboard's 7. This backend
keeps the same answers in the cache, keyed by the user, `is_superuser` and a stamp of the
permission tables.

The stamp is the row count and highest id of each table that grants permissions: a user's
groups, a group's permissions, a user's own permissions, and the permissions themselves. These
rows are only ever inserted or deleted (Django sets M2M relations that way); an insert raises the
highest id (ids are never reused: PostgreSQL sequences, SQLite AUTOINCREMENT), a delete lowers the
count, so any grant or revocation gives a new stamp. `is_active` and `is_superuser` come from the
user row, read fresh on every request. tests/security/test_permission_cache.py checks each case.

The logged-in user's row is read on every request (`get_user`): the stamp is read with it, in one
prepared statement, so a page checks its permissions without a query of its own (0.5 → 0.3 ms
for the two; the ORM's `get()` alone took 0.37 ms, a third of it building the query).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection

from core import stamps

TIMEOUT_S = 600
STAMP_STATEMENT = "acopagro_auth_stamp"


USER_STATEMENT = "acopagro_user_and_grants"


def _stamp_columns() -> list[str]:
    User = get_user_model()  # noqa: N806
    tables = (
        User.groups.through._meta.db_table,
        User.user_permissions.through._meta.db_table,
        Group.permissions.through._meta.db_table,
        Permission._meta.db_table,
    )
    quote = connection.ops.quote_name
    columns = []
    for table in tables:
        columns.append(f"(SELECT COUNT(*) FROM {quote(table)})")
        columns.append(f"(SELECT MAX(id) FROM {quote(table)})")
    return columns


def permissions_stamp() -> str:
    """Changes whenever a permission is granted to or taken from any user or group."""
    return stamps.stamp(STAMP_STATEMENT, "SELECT " + ", ".join(_stamp_columns()))


def _user_sql() -> str:
    """A user's row by primary key, with the stamp's columns as grants_0, grants_1..."""
    User = get_user_model()  # noqa: N806
    quote = connection.ops.quote_name
    columns = [quote(field.column) for field in User._meta.concrete_fields]
    columns += [f"{sql} AS grants_{i}" for i, sql in enumerate(_stamp_columns())]
    return (
        f"SELECT {', '.join(columns)} FROM {quote(User._meta.db_table)} "
        f"WHERE {quote(User._meta.pk.column)} = %s"
    )


class CachedPermissionsBackend(ModelBackend):
    """ModelBackend whose user and group permission sets come from the cache when unchanged."""

    def _get_permissions(self, user_obj, obj, from_name):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        attribute = f"_{from_name}_perm_cache"  # ModelBackend's own per-request memo
        if not hasattr(user_obj, attribute):
            if not hasattr(user_obj, "_permissions_stamp"):
                user_obj._permissions_stamp = permissions_stamp()
            key = (
                f"perms:{from_name}:{user_obj.pk}:{int(user_obj.is_superuser)}:"
                f"{user_obj._permissions_stamp}"
            )
            perms = cache.get(key)
            if perms is None:
                perms = super()._get_permissions(user_obj, obj, from_name)
                cache.set(key, perms, TIMEOUT_S)
            setattr(user_obj, attribute, perms)
        return getattr(user_obj, attribute)

    def get_user(self, user_id):
        User = get_user_model()  # noqa: N806
        pk_type = User._meta.pk.rel_db_type(connection)
        sql = stamps.prepared(USER_STATEMENT, _user_sql(), (pk_type,))
        user = next(iter(User._default_manager.raw(sql, [user_id])), None)
        if user is None or not self.user_can_authenticate(user):
            return None
        grants = range(len(_stamp_columns()))
        user._permissions_stamp = stamps.digest(getattr(user, f"grants_{i}") for i in grants)
        return user
