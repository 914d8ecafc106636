"""The role groups exist after migrate and carry exactly their permissions."""

import pytest
from django.contrib.auth.models import Group

from core.roles import ADMIN, MANAGER, STAFF

pytestmark = pytest.mark.django_db


def codenames(group_name):
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_staff_views_and_records_but_never_deletes_or_runs_credits():
    perms = codenames(STAFF)
    assert {"members.add_member", "members.change_plot", "plantings.add_planting"} <= perms
    assert {"plantings.add_monitoringvisit", "credits.view_carbonproject"} <= perms
    assert not any(".delete_" in p for p in perms)
    assert "credits.change_carbonproject" not in perms
    assert "plantings.change_species" not in perms
    assert "plantings.view_reports" not in perms


def test_manager_adds_deletes_species_reports_and_credits():
    perms = codenames(MANAGER)
    assert codenames(STAFF) <= perms
    assert {
        "members.delete_member",
        "plantings.change_species",
        "plantings.view_reports",
        "credits.change_carbonproject",
    } <= perms
    assert "auth.add_user" not in perms


def test_admin_has_every_permission():
    assert codenames(MANAGER) <= codenames(ADMIN)
    assert "auth.change_user" in codenames(ADMIN)


def test_role_users_hold_their_permissions(users):
    assert users["staff"].has_perm("plantings.add_planting")
    assert not users["staff"].has_perm("plantings.delete_planting")
    assert users["manager"].has_perm("plantings.delete_planting")
    assert not users["outsider"].has_perm("members.view_member")
