import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from core.roles import ADMIN, MANAGER, STAFF

DEFAULT_DEMO_PASSWORD = "acopagro-demo"
ACCOUNTS = [
    # username, group, full name, Django admin access
    ("staff", STAFF, ("Kelly", "Arévalo"), False),
    ("manager", MANAGER, ("Raúl", "Chávez"), False),
    ("admin", ADMIN, ("Milagros", "Peña"), True),
]


class Command(BaseCommand):
    help = (
        "Create (or reset) the demo accounts staff, manager and admin; password from DEMO_PASSWORD."
    )

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        User = get_user_model()
        for username, group_name, (first, last), is_admin in ACCOUNTS:
            user, _created = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.is_staff = user.is_superuser = is_admin
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=group_name)])
        self.stdout.write("Demo accounts (user / password):")
        for username, group_name, _name, _admin in ACCOUNTS:
            self.stdout.write(f"  {username:8} / {password}   ({group_name})")
