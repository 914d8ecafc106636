"""Demo plot boundaries: a plausible polygon around most plots' points, and a few problems.

Run after the field data, with its own random generator, so the plantings, visits and credits of
a seed stay what they were. Most plots get an irregular polygon of about their declared area
around their GPS point, kept clear of the polygons already placed (a plot that finds no free room
stays a point). A few communities then get what the plot problems page is for: forest plots over
4 ha (some without a polygon), pairs of overlapping plots, polygons far from the declared area.
"""

import math
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from shapely import STRtree
from shapely.geometry import Polygon

from core import changes
from members import geometry
from members.models import DERIVED_BOUNDARY_FIELDS, Member, Plot
from members.overlaps import recompute_overlaps

POLYGON_SHARE = 0.85
M_PER_DEG_LAT = 110_590.0
PROBLEM_COMMUNITIES = 3  # the first communities by name carry the deliberate problems


def _ring(rng: random.Random, lat: float, lon: float, area_m2: float) -> list[list[float]]:
    """A star-shaped ring (angles in order, so never self-intersecting) of about area_m2."""
    corners = rng.randint(6, 10)
    step = 2 * math.pi / corners
    angles = [i * step + rng.uniform(-0.3, 0.3) * step for i in range(corners)]
    radii = [rng.uniform(0.8, 1.2) for _ in range(corners)]
    unit = 0.0
    for i in range(corners):
        j = (i + 1) % corners
        step = (angles[j] - angles[i]) % (2 * math.pi)
        unit += 0.5 * radii[i] * radii[j] * math.sin(step)
    scale = math.sqrt(area_m2 / unit)
    m_per_deg_lon = M_PER_DEG_LAT * math.cos(math.radians(lat))
    ring = [
        [
            round(lon + scale * r * math.cos(a) / m_per_deg_lon, 6),
            round(lat + scale * r * math.sin(a) / M_PER_DEG_LAT, 6),
        ]
        for a, r in zip(angles, radii, strict=True)
    ]
    return [*ring, ring[0]]


def _set(plot: Plot, ring: list) -> None:
    """The boundary and its measures (Plot.sync_boundary_fields() without re-checking it)."""
    shape = Polygon(ring)
    plot.boundary_geojson = {"type": "Polygon", "coordinates": [ring]}
    values = (geometry.geodesic_area_ha(shape), *shape.bounds)
    for name, value in zip(DERIVED_BOUNDARY_FIELDS, values, strict=True):
        setattr(plot, name, value)


def _update(plots: list[Plot], names: list[str]) -> None:
    """UPDATE ... WHERE id = %s for each plot in one executemany: bulk_update's CASE WHEN
    statements took most of the seed's boundary step (40 s for 2,650 plots)."""
    fields = [Plot._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(Plot._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"
    params = [
        [f.get_db_prep_save(getattr(plot, f.attname), connection) for f in fields] + [plot.pk]
        for plot in plots
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    # Raw SQL sends no signal: say what changed (boundaries feed no summary, only the topic).
    changes.touch("members")


def add_boundaries(*, seed: int, progress=lambda message: None) -> int:
    """Give the demo plots their boundaries; returns how many plots have one."""
    rng = random.Random(seed * 31 + 15)
    plots = list(Plot.objects.select_related("member__community").order_by("pk"))
    placed: list[Polygon] = []
    tree, tree_size = None, 0
    changed = []
    for plot in plots:
        if plot.latitude is None or rng.random() > POLYGON_SHARE:
            continue
        factor = rng.uniform(0.9, 1.1) if rng.random() > 0.03 else rng.choice((0.55, 1.6))
        lat, lon = float(plot.latitude), float(plot.longitude)
        ring = _ring(rng, lat, lon, float(plot.area_ha) * 10_000 * factor)
        shape = Polygon(ring)
        if not shape.is_valid:  # rounding to 6 decimals can fold a tiny ring: leave the point
            continue
        if len(placed) - tree_size > 200:  # rebuild the index now and then, check the rest
            tree, tree_size = STRtree(placed), len(placed)
        near = [placed[i] for i in tree.query(shape)] if tree is not None else []
        if any(shape.intersects(other) for other in near + placed[tree_size:]):
            continue
        placed.append(shape)
        _set(plot, ring)
        changed.append(plot)
    changed += _problems(rng, plots)
    _update(changed, ["boundary_geojson", "latitude", "longitude", *DERIVED_BOUNDARY_FIELDS])
    pairs = recompute_overlaps()
    with_boundary = Plot.objects.exclude(boundary_area_ha=None).count()
    progress(f"boundaries: {with_boundary} plots, {pairs} overlapping pairs")
    return with_boundary


def _problems(rng: random.Random, plots: list[Plot]) -> list[Plot]:
    """Forest plots over 4 ha and overlapping pairs, in the first few communities by name."""
    names = sorted({p.member.community.name for p in plots})[:PROBLEM_COMMUNITIES]
    chosen = [p for p in plots if p.member.community.name in names and p.boundary_geojson]
    changed = []
    # Overlaps: a neighbour's polygon drawn over part of this one (GPS walked the wrong fence).
    for first, second in zip(chosen[0:12:2], chosen[1:12:2], strict=False):
        if first.member_id == second.member_id:
            continue
        ring = first.boundary_geojson["coordinates"][0]
        shift = (ring[0][0] - ring[len(ring) // 2][0]) * 0.4
        moved = [[round(x + shift, 6), y] for x, y in ring]
        centre = Polygon(moved).centroid
        second.latitude = Decimal(str(round(centre.y, 6)))
        second.longitude = Decimal(str(round(centre.x, 6)))
        _set(second, moved)
        changed.append(second)
    # Forest reserves of 4-9 ha: most walked with the GPS, a few still only a point.
    members = Member.objects.filter(community__name__in=names).order_by("pk")[:8]
    forests = []
    for number, member in enumerate(members):
        base = next((p for p in plots if p.member_id == member.pk and p.latitude), None)
        if base is None:
            continue
        lat = float(base.latitude) + 0.02
        lon = float(base.longitude) + 0.02 * (1 if number % 2 else -1)
        forest = Plot(
            member=member,
            code=f"{member.code}-F1",
            name="Bosque 1",
            land_use=Plot.LandUse.FOREST,
            area_ha=Decimal(str(round(rng.uniform(4.2, 9.0), 2))),
            latitude=Decimal(str(round(lat, 6))),
            longitude=Decimal(str(round(lon, 6))),
            altitude_m=rng.randint(300, 900),
        )
        ring = _ring(rng, lat, lon, float(forest.area_ha) * 10_000)
        if number % 3 and Polygon(ring).is_valid:
            _set(forest, ring)
        forests.append(forest)
    Plot.objects.bulk_create(forests)
    return changed


def check_demo_boundaries() -> int:
    """How many demo boundaries break the model's rules (the seed test expects none)."""
    broken = 0
    for plot in Plot.objects.exclude(boundary_geojson=None):
        try:
            geometry.check_boundary(
                plot.boundary_geojson, latitude=plot.latitude, longitude=plot.longitude
            )
        except ValidationError:
            broken += 1
    return broken
