"""Permissions (Django's ModelBackend, its sets cached by core.backends): every grant and
revocation shows at the next request.

Each check reads the user afresh, as the next request would (Django keeps a permission set on the
user object for one request only; the cache keeps it for the next requests until a change).
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import MANAGER, STAFF
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REPORTS = "plantings.view_reports"  # managers only


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)


def can(user, perm=REPORTS) -> bool:
    return fresh(user).has_perm(perm)


def test_a_request_reads_the_permission_tables_once(manager):
    """ModelBackend's two queries (user and group permissions) on the first check only: every
    later check in the same request is answered from the user object."""
    user = fresh(manager)
    with CaptureQueriesContext(connection) as queries:
        assert user.has_perm(REPORTS) and user.has_perm("members.view_member")
        assert not user.has_perm("auth.delete_user")
    assert len(queries) == 2
    assert all("auth_permission" in q["sql"] for q in queries)


def test_later_requests_read_the_permissions_from_the_cache(manager, staff):
    can(manager)
    with CaptureQueriesContext(connection) as queries:
        user = fresh(manager)
        assert user.has_perm(REPORTS) and not user.has_perm("auth.delete_user")
    assert len(queries) == 1  # the user row only
    # Each user has their own sets: the staff member is not answered with the manager's.
    assert not can(staff) and can(staff, "members.view_member")


def test_a_user_made_superuser_by_an_update_gets_every_permission(outsider):
    assert not can(outsider, "auth.delete_user")  # now cached as an ordinary user's sets
    get_user_model().objects.filter(pk=outsider.pk).update(is_superuser=True)
    assert can(outsider, "auth.delete_user")


def test_a_change_is_read_again_once_the_transaction_commits(
    manager, django_capture_on_commit_callbacks
):
    """A worker may read the old rows between the change and its commit: the version moves
    again at commit, so what it cached then is not used."""
    from django.core.cache import cache

    from core.backends import VERSION_KEY

    with django_capture_on_commit_callbacks(execute=True):
        manager.groups.set([Group.objects.get(name=STAFF)])
        during = cache.get(VERSION_KEY)
    assert cache.get(VERSION_KEY) not in (None, during)


def test_a_grant_taken_away_shows_for_the_next_user_read(manager):
    assert can(manager)
    manager.groups.set([Group.objects.get(name=STAFF)])
    assert not can(manager)
    assert can(manager, "members.view_member")


def test_joining_and_leaving_a_group(staff):
    assert not can(staff)
    staff.groups.add(Group.objects.get(name=MANAGER))
    assert can(staff)
    staff.groups.remove(Group.objects.get(name=MANAGER))
    assert not can(staff)


def test_leaving_a_group_that_is_not_the_newest_row(staff):
    manager_group = Group.objects.get(name=MANAGER)
    staff.groups.add(manager_group)
    other = UserFactory(username="newer", groups=[STAFF])  # the newest membership row
    assert can(staff)
    staff.groups.remove(manager_group)
    assert not can(staff)
    assert can(other, "members.view_member")


def test_swapping_groups_in_one_step(staff):
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
