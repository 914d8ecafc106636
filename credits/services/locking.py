"""The one lock every credit operation takes first: the carbon project's row."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from credits.models import CarbonProject


def lock_project(project: CarbonProject | None) -> CarbonProject:
    """The project's row, locked until the transaction ends (select_for_update), so two
    operations on one project run one after the other and the second sees what the first left.

    Refused with a ValidationError when no carbon project is configured yet (None)."""
    if project is None:
        raise ValidationError(_("No carbon project is configured yet."))
    return CarbonProject.objects.select_for_update().get(pk=project.pk)
