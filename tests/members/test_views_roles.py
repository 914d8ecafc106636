"""Every member and plot page for every role: anonymous → login, outsider → 403, allowed roles
see the page's data. Pages in the staff's language (`spanish`): numbers such as 14.5 in Peru's
Spanish format. The checks are in tests/helpers.py."""

import pytest

from tests.helpers import (
    EDIT,
    PAGE_FIELDS,
    ROLES,
    VIEW,
    assert_anonymous_is_sent_to_login,
    assert_role_sees_the_page_or_no_access,
    page_url,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("spanish")]

# (url name, how to get its arguments from the world, query string, level, expected texts)
PAGES = [
    ("members:member_list", None, "", VIEW, ["Núñez Pérez", "W-0000", "Dos de Mayo"]),
    ("members:member_add", None, "", EDIT, ['name="dni"', 'name="form_token"']),
    ("members:member_edit", "member", "", EDIT, ['value="W-0000"', 'value="70000000"']),
    ("members:plot_add", "member", "", EDIT, ["Rosa Núñez Pérez", 'name="area_ha"']),
    ("members:plot_edit", "plot", "", EDIT, ['value="WP-0000"']),
    ("members:plot_search", None, "?q=nunez", VIEW, ['"code": "WP-0000"']),
]
IDS = [page[0] for page in PAGES]


@pytest.mark.parametrize(PAGE_FIELDS, PAGES, ids=IDS)
def test_anonymous_is_sent_to_login(client, world_of_two, name, arg, query, level, texts):
    assert_anonymous_is_sent_to_login(client, page_url(world_of_two, name, arg, query))


@pytest.mark.parametrize(PAGE_FIELDS, PAGES, ids=IDS)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_the_page_or_no_access(
    client, users, world_of_two, role, name, arg, query, level, texts
):
    url = page_url(world_of_two, name, arg, query)
    assert_role_sees_the_page_or_no_access(client, users[role], role, url, name, level, texts)
