"""The three role groups and their model permissions, kept in step after every migrate.

- Staff: view everything; add and change members, plots, plantings and monitoring visits.
- Manager: everything staff can do, plus deletes, species and programme edits, reports and
  every credits operation.
- Admin: every permission (and the Django admin, through `is_staff` on the account).
"""

from django.contrib.auth.models import Group, Permission

STAFF = "Staff"
MANAGER = "Manager"
ADMIN = "Admin"

DOMAIN_APPS = ("members", "plantings", "credits")
STAFF_EDITS = {
    "members": ("community", "member", "plot"),
    "plantings": ("planting", "monitoringvisit", "survivalcount", "treemeasurement"),
}


def staff_permissions():
    perms = Permission.objects.filter(
        content_type__app_label__in=DOMAIN_APPS, codename__startswith="view_"
    ).exclude(codename="view_reports")
    edits = Permission.objects.none()
    for app_label, models in STAFF_EDITS.items():
        codenames = [f"{action}_{model}" for model in models for action in ("add", "change")]
        edits |= Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
    return perms | edits


def manager_permissions():
    return Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS)


def sync_role_groups(**kwargs):
    """Create the role groups and give them exactly their permissions (idempotent)."""
    if not Permission.objects.exists():
        return
    roles = {
        STAFF: staff_permissions(),
        MANAGER: manager_permissions(),
        ADMIN: Permission.objects.all(),
    }
    for name, permissions in roles.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions.distinct())
