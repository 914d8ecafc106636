"""The carbon project's rules and reference data: bad input is refused at the field and by the
database."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from credits.models import CarbonProject
from tests.helpers import errors_of

pytestmark = pytest.mark.django_db


class TestReferenceData:
    def test_project_is_data(self):
        project = CarbonProject.current()
        assert project.buffer_share == Decimal("0.200")
        assert project.co2e_target_t == Decimal("720000.00")
        assert "IPCC" in project.sources

    def test_producer_share_below_60pc_refused(self):
        project = CarbonProject.current()
        project.producer_revenue_share = Decimal("0.500")
        assert "producer_revenue_share" in errors_of(project)
        with pytest.raises(IntegrityError), transaction.atomic():
            CarbonProject.objects.filter(pk=project.pk).update(
                producer_revenue_share=Decimal("0.5")
            )
