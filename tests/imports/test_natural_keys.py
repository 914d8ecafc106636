"""Natural keys that are truly unique are database constraints, not only Python checks."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from plantings.models import TreeMeasurement
from tests.factories import TreeMeasurementFactory


def test_a_tree_tag_is_once_per_visit(plot, caoba):
    tree = TreeMeasurementFactory(visit__plot=plot, species=caoba, tree_tag="T-1")
    again = TreeMeasurement(
        visit=tree.visit, species=caoba, dbh_cm=Decimal("9"), height_m=Decimal("5"), tree_tag="T-1"
    )
    with pytest.raises(ValidationError, match="This visit already has a tree with this tag."):
        again.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        again.save()
    # Untagged trees have no natural key: two alike are two trees.
    for _ in range(2):
        TreeMeasurementFactory(visit=tree.visit, species=caoba, tree_tag="")
    assert TreeMeasurement.objects.count() == 3
