"""Every rule of the member and plot models with bad input: the error names the field, and
nothing is saved."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from members.models import Member, Plot
from tests.factories import MemberFactory, PlantingFactory, PlotFactory
from tests.helpers import db_refuses, errors_of

pytestmark = pytest.mark.django_db


class TestMember:
    def test_dni_must_have_8_digits(self):
        member = MemberFactory.build(dni="1234567", community=MemberFactory().community)
        assert "8 digits" in errors_of(member)["dni"][0]

    def test_dni_letters_refused_by_database(self):
        member = MemberFactory()
        db_refuses(
            Member,
            code="X-1",
            dni="1234567A",
            first_name="A",
            last_name="B",
            gender="F",
            community=member.community,
            joined_on=datetime.date(2000, 1, 1),
        )

    def test_duplicate_dni_names_the_holder(self):
        holder = MemberFactory(dni="12345678", first_name="Rosa", last_name="Núñez Ríos")
        twin = MemberFactory.build(dni="12345678", community=holder.community)
        message = errors_of(twin)["dni"][0]
        assert "Rosa Núñez Ríos" in message and holder.code in message

    def test_duplicate_code_refused(self):
        holder = MemberFactory(code="ACO-1")
        assert "code" in errors_of(MemberFactory.build(code="ACO-1", community=holder.community))

    def test_future_birth_date_refused(self):
        member = MemberFactory.build(
            birth_date=timezone.localdate() + datetime.timedelta(days=1),
            community=MemberFactory().community,
        )
        assert "birth_date" in errors_of(member)

    def test_certification_date_needs_certification(self):
        member = MemberFactory.build(
            organic_certified=False,
            organic_certified_on=datetime.date(2010, 1, 1),
            community=MemberFactory().community,
        )
        assert "organic_certified_on" in errors_of(member)

    def test_search_is_accent_insensitive(self):
        target = MemberFactory(first_name="Julián", last_name="Núñez Peña")
        MemberFactory(first_name="Rosa", last_name="García")
        assert list(Member.objects.search("nunez julian")) == [target]
        assert list(Member.objects.search("NUÑEZ")) == [target]
        assert list(Member.objects.search(target.dni)) == [target]

    def test_member_with_plots_cannot_be_deleted(self):
        plot = PlotFactory()
        with pytest.raises(ProtectedError):
            plot.member.delete()
        assert Member.objects.filter(pk=plot.member.pk).exists()


class TestPlot:
    @pytest.mark.parametrize("area", ["0", "-1.5"])
    def test_area_must_be_positive(self, area):
        plot = PlotFactory.build(area_ha=Decimal(area), member=MemberFactory())
        assert "area_ha" in errors_of(plot)

    def test_area_refused_by_database(self):
        db_refuses(Plot, member=MemberFactory(), code="Z", land_use="cacao", area_ha=Decimal("0"))

    def test_latitude_outside_peru(self):
        plot = PlotFactory.build(latitude=Decimal("7.2"), member=MemberFactory())
        assert "outside Peru" in errors_of(plot)["latitude"][0]

    def test_longitude_outside_peru_refused_by_database(self):
        db_refuses(
            Plot,
            member=MemberFactory(),
            code="Z",
            land_use="cacao",
            area_ha=Decimal("1"),
            latitude=Decimal("-7.2"),
            longitude=Decimal("76.7"),
        )

    def test_boundary_must_be_a_polygon(self):
        plot = PlotFactory.build(
            boundary_geojson={"type": "Point", "coordinates": [-76.7, -7.2]}, member=MemberFactory()
        )
        assert "boundary_geojson" in errors_of(plot)

    def test_plot_with_plantings_cannot_be_deleted(self):
        planting = PlantingFactory()
        with pytest.raises(ProtectedError):
            planting.plot.delete()
