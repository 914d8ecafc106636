"""Plot problems the EUDR cares about: the 4 ha rule, overlaps, evidence, ubigeo."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from members.models import Community, District, Plot, PlotOverlap, ScreeningResult
from members.overlaps import recompute_overlaps
from members.services import set_plot_boundary
from tests.factories import CommunityFactory, MemberFactory, PlotFactory
from tests.members.geo import LAT, LON, square

pytestmark = pytest.mark.django_db


def problems_of(plot) -> set[str]:
    row = Plot.objects.with_problems().filter(pk=plot.pk).first()
    if row is None:
        return set()
    flags = vars(row).items()
    return {k.removeprefix("problem_") for k, v in flags if k.startswith("problem_") and v}


class TestFourHectareRule:
    def test_a_point_is_enough_at_4_ha(self):
        plot = PlotFactory(area_ha=Decimal("4.00"))
        assert not plot.needs_polygon
        assert not Plot.objects.blocking_eudr_export().exists()

    def test_over_4_ha_as_a_point_blocks_the_export(self):
        plot = PlotFactory(area_ha=Decimal("4.01"))
        assert plot.needs_polygon
        assert "needs_polygon" in problems_of(plot)
        assert list(Plot.objects.blocking_eudr_export()) == [plot]

    def test_over_4_ha_with_a_polygon_is_fine(self):
        plot = PlotFactory(area_ha=Decimal("4.80"))
        set_plot_boundary(plot=plot, geometry=square(side=0.002))  # ~4.89 ha
        assert not plot.needs_polygon
        assert not Plot.objects.blocking_eudr_export().exists()

    def test_a_plot_with_neither_point_nor_polygon_blocks_the_export(self):
        plot = PlotFactory(latitude=None, longitude=None)
        assert "no_location" in problems_of(plot)
        assert list(Plot.objects.blocking_eudr_export()) == [plot]


class TestOverlaps:
    def test_overlap_with_another_members_plot_is_found_on_save(self):
        first = PlotFactory()
        set_plot_boundary(plot=first, geometry=square())
        second = PlotFactory()
        set_plot_boundary(plot=second, geometry=square(LON + 0.0005, LAT))  # half of it
        overlap = PlotOverlap.objects.get()
        assert (overlap.plot_id, overlap.other_plot_id) == (first.pk, second.pk)
        assert overlap.overlap_m2 == pytest.approx(Decimal("6107"), abs=5)
        assert first.overlapping_plots() == [{"plot": second, "overlap_m2": overlap.overlap_m2}]
        assert "overlapping" in problems_of(first) and "overlapping" in problems_of(second)
        assert set(Plot.objects.blocking_eudr_export()) == {first, second}

    def test_neighbours_sharing_an_edge_do_not_overlap(self):
        set_plot_boundary(plot=PlotFactory(), geometry=square())
        set_plot_boundary(plot=PlotFactory(), geometry=square(LON + 0.001, LAT))
        assert not PlotOverlap.objects.exists()

    def test_a_sliver_below_the_tolerance_is_ignored(self, settings):
        settings.PLOT_OVERLAP_TOLERANCE_M2 = 100
        set_plot_boundary(plot=PlotFactory(), geometry=square())
        # 0.000005° (~0.55 m) over a 111 m edge: ~61 m².
        set_plot_boundary(plot=PlotFactory(), geometry=square(LON + 0.000995, LAT))
        assert not PlotOverlap.objects.exists()

    def test_moving_the_boundary_away_clears_the_overlap(self):
        set_plot_boundary(plot=PlotFactory(), geometry=square())
        second = PlotFactory()
        set_plot_boundary(plot=second, geometry=square(LON + 0.0005, LAT))
        assert PlotOverlap.objects.count() == 1
        set_plot_boundary(plot=second, geometry=square(LON + 0.002, LAT))
        assert not PlotOverlap.objects.exists()
        set_plot_boundary(plot=second, geometry=None)
        assert second.boundary_area_ha is None

    def test_strtree_recompute_finds_the_same_pairs(self):
        plots = [PlotFactory() for _ in range(4)]
        for i, plot in enumerate(plots):
            set_plot_boundary(plot=plot, geometry=square(LON + i * 0.0007, LAT))
        on_save = set(PlotOverlap.objects.values_list("plot_id", "other_plot_id", "overlap_m2"))
        assert len(on_save) == 3  # each square overlaps the next one only
        PlotOverlap.objects.all().delete()
        assert recompute_overlaps() == 3
        assert set(PlotOverlap.objects.values_list("plot_id", "other_plot_id", "overlap_m2")) == (
            on_save
        )


class TestEvidence:
    def test_land_use_2020_needs_who_and_when(self):
        plot = PlotFactory.build(member=MemberFactory(), land_use_2020=Plot.LandUse.CACAO)
        with pytest.raises(ValidationError) as info:
            plot.full_clean()
        assert "who declared it and when" in info.value.message_dict["land_use_2020"][0]

    def test_declared_and_screened_plot_has_evidence(self):
        plot = PlotFactory(
            land_use_2020=Plot.LandUse.CACAO,
            land_use_2020_declared_by="Rosa Tapullima",
            land_use_2020_declared_on=datetime.date(2025, 3, 1),
        )
        plot.full_clean()
        assert "no_evidence" in problems_of(plot)
        ScreeningResult.objects.create(
            plot=plot,
            screened_on=datetime.date(2026, 6, 1),
            source="Whisp",
            result=ScreeningResult.Result.NO_LOSS,
        )
        assert problems_of(plot) == set()

    def test_forest_in_2020_now_cacao_is_flagged(self):
        plot = PlotFactory(
            land_use_2020=Plot.LandUse.FOREST,
            land_use_2020_declared_by="Rosa Tapullima",
            land_use_2020_declared_on=datetime.date(2025, 3, 1),
        )
        assert "forest_lost" in problems_of(plot)


class TestUbigeo:
    def test_filled_from_the_district(self):
        community = CommunityFactory(district=District.PACHIZA)
        assert Community.objects.get(pk=community.pk).ubigeo == "220604"

    def test_a_wrong_ubigeo_for_the_district_is_refused(self):
        community = Community(name="Nuevo Progreso", district=District.JUANJUI, ubigeo="220603")
        with pytest.raises(ValidationError) as info:
            community.full_clean()
        assert "220601" in info.value.message_dict["ubigeo"][0]
