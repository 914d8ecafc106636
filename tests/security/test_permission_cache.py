"""Cached permission sets (core.auth_backends): every grant and revocation shows at once.

Each check reads the user afresh, as the next request would (Django keeps a permission set on the
user object for one request only), with the cache warm from the check before.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.auth_backends import CachedPermissionsBackend
from core.roles import MANAGER, STAFF
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REPORTS = "plantings.view_reports"  # managers only


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)


def can(user, perm=REPORTS) -> bool:
    return fresh(user).has_perm(perm)


def test_a_warm_check_reads_one_stamp_instead_of_the_permission_tables(manager):
    assert can(manager)
    user = fresh(manager)
    with CaptureQueriesContext(connection) as queries:
        assert user.has_perm(REPORTS) and user.has_perm("members.view_member")
        assert not user.has_perm("auth.delete_user")
    assert len(queries) == 1
    assert "auth_permission" not in queries[0]["sql"].split("FROM", 1)[0]


def test_the_logged_in_user_brings_the_stamp_along(manager):
    """The user read for a request (the backend's get_user) carries the stamp: a warm check then
    runs no query at all, and still sees a grant taken away."""
    backend = CachedPermissionsBackend()
    assert backend.get_user(manager.pk).has_perm(REPORTS)  # warms the cache
    user = backend.get_user(manager.pk)
    with CaptureQueriesContext(connection) as queries:
        assert user.has_perm(REPORTS) and user.has_perm("members.view_member")
    assert len(queries) == 0
    manager.groups.set([Group.objects.get(name=STAFF)])
    assert not backend.get_user(manager.pk).has_perm(REPORTS)
    assert backend.get_user(manager.pk).has_perm("members.view_member")


def test_joining_and_leaving_a_group(staff):
    assert not can(staff)
    staff.groups.add(Group.objects.get(name=MANAGER))
    assert can(staff)
    staff.groups.remove(Group.objects.get(name=MANAGER))
    assert not can(staff)


def test_leaving_a_group_that_is_not_the_newest_row(staff):
    """A delete that leaves the highest id in place is still seen (the row count falls)."""
    manager_group = Group.objects.get(name=MANAGER)
    staff.groups.add(manager_group)
    other = UserFactory(username="newer", groups=[STAFF])  # the newest membership row
    assert can(staff)
    staff.groups.remove(manager_group)
    assert not can(staff)
    assert can(other, "members.view_member")


def test_swapping_groups_in_one_step(staff):
    """One row deleted and one inserted: same count, but a new highest id."""
    staff.groups.set([Group.objects.get(name=MANAGER)])
    assert can(staff)
    staff.groups.set([Group.objects.get(name=STAFF)])
    assert not can(staff)


def test_a_group_gaining_and_losing_a_permission(staff):
    reports = Permission.objects.get(codename="view_reports")
    staff_group = Group.objects.get(name=STAFF)
    assert not can(staff)
    staff_group.permissions.add(reports)
    assert can(staff)
    staff_group.permissions.remove(reports)
    assert not can(staff)


def test_a_permission_given_to_the_user_directly(outsider):
    reports = Permission.objects.get(codename="view_reports")
    assert not can(outsider)
    outsider.user_permissions.add(reports)
    assert can(outsider)
    outsider.user_permissions.remove(reports)
    assert not can(outsider)


def test_deactivated_and_superuser_accounts_are_read_from_the_user_row(manager, outsider):
    assert can(manager)
    get_user_model().objects.filter(pk=manager.pk).update(is_active=False)
    assert not can(manager)
    assert not can(outsider, "auth.delete_user")
    get_user_model().objects.filter(pk=outsider.pk).update(is_superuser=True)
    assert can(outsider, "auth.delete_user")


def test_revoked_access_shows_on_the_next_page(client, manager):
    client.force_login(manager)
    url = reverse("reports:report", args=["carbon"])  # managers only
    assert client.get(url).status_code == 200
    manager.groups.set([Group.objects.get(name=STAFF)])
    assert client.get(url).status_code == 403
