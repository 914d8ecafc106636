"""Factories of the credits tests (the shared ones are in tests/factories.py)."""

import factory

from credits.models import Buyer


class BuyerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Buyer
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Buyer {n}")
    country = "France"
    contact = "carbon@example.org"
