"""An admin form that saves several rows refreshes the summaries once (core.middleware
AdminBatchMiddleware): a visit added with its counts in the inlines moves the "visits"
generation once, and the plot's summary holds every count."""

import datetime

import pytest
from django.urls import reverse

from core.models import DataGeneration
from credits.models import PlotSpeciesSummary
from plantings.models import MonitoringVisit
from tests.factories import PlantingFactory, SpeciesFactory

pytestmark = pytest.mark.django_db


def generation(topic: str) -> int:
    row = DataGeneration.objects.filter(topic=topic).first()
    return row.value if row else 0


def test_a_visit_with_three_counts_added_in_the_admin_moves_the_generation_once(admin_client_):
    first = PlantingFactory(planted_on=datetime.date(2015, 1, 10), trees_planted=300)
    plot = first.plot
    others = [SpeciesFactory(), SpeciesFactory()]
    for species in others:
        PlantingFactory(plot=plot, species=species, planted_on=first.planted_on, trees_planted=100)
    species = [first.species, *others]
    form = {
        "plot": plot.pk,
        "visited_on": "2016-02-01",
        "technician": "Segundo Tuanama",
        "notes": "",
        "external_id": "",
        "survival_counts-TOTAL_FORMS": "3",
        "survival_counts-INITIAL_FORMS": "0",
        "measurements-TOTAL_FORMS": "0",
        "measurements-INITIAL_FORMS": "0",
    }
    for index, (each, alive) in enumerate(zip(species, (250, 80, 60), strict=True)):
        form |= {
            f"survival_counts-{index}-species": each.pk,
            f"survival_counts-{index}-trees_alive": alive,
            f"survival_counts-{index}-trees_dead": 0,
            f"survival_counts-{index}-trees_replanted": 0,
        }
    before = generation("visits")
    response = admin_client_.post(reverse("admin:plantings_monitoringvisit_add"), form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    visit = MonitoringVisit.objects.get(plot=plot)
    assert visit.survival_counts.count() == 3
    assert generation("visits") == before + 1
    latest = dict(
        PlotSpeciesSummary.objects.filter(plot=plot).values_list("species_id", "latest_alive")
    )
    assert latest == {species[0].pk: 250, species[1].pk: 80, species[2].pk: 60}
