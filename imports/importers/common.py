"""Helpers shared by the importers: folded names, chunked lookups, the species table."""

from imports.parsing import text
from members.text import search_key
from plantings.models import Species

CHUNK = 500


def fold(value) -> str:
    return " ".join(search_key(text(value)).split())


def chunks(values):
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def species_lookup() -> dict[str, Species]:
    lookup = {}
    for species in Species.objects.all():
        names = [species.scientific_name, species.local_name, *species.other_names.split(",")]
        for name in names:
            if name.strip():
                lookup.setdefault(fold(name), species)
    return lookup
