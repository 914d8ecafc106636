"""The small programme of the credits tests (two members, one species, a closed 2019 period)."""

from tests.credits.conftest import issued, period, programme, project  # noqa: F401
