"""Overlaps between plot boundaries, kept in PlotOverlap rows whenever a boundary changes.

Plot.save() calls refresh_plot_overlaps(); this module reads the Plot model through PlotOverlap's
foreign key, so the models import it without an import cycle.
"""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

from members import geometry as geo
from members.models_geo import PlotOverlap


def _plots():
    return PlotOverlap._meta.get_field("plot").related_model.objects


def overlap_tolerance_m2() -> Decimal:
    return Decimal(getattr(settings, "PLOT_OVERLAP_TOLERANCE_M2", 100))


def _overlap_m2(shape: BaseGeometry, other: BaseGeometry) -> Decimal | None:
    """Geodesic area shared by two shapes, or None when it is within the tolerance."""
    if not shape.intersects(other):
        return None
    shared_m2 = geo.geodesic_area_ha(shape.intersection(other)) * 10_000
    return shared_m2.quantize(Decimal("0.1")) if shared_m2 > overlap_tolerance_m2() else None


def _pair(plot_id: int, other_id: int, overlap_m2: Decimal) -> PlotOverlap:
    low, high = sorted((plot_id, other_id))
    return PlotOverlap(plot_id=low, other_plot_id=high, overlap_m2=overlap_m2)


@transaction.atomic
def refresh_plot_overlaps(*, plot) -> list[PlotOverlap]:
    """Replace the overlaps recorded for one plot with those its current boundary has.

    Candidates come from the database by bounding box (an index on the stored bounds), so the
    cost follows the plot's neighbours, not the number of plots.
    """
    PlotOverlap.objects.filter(Q(plot=plot) | Q(other_plot=plot)).delete()
    shape = geo.shape_or_none(plot.boundary_geojson) if plot.boundary_geojson else None
    if shape is None:
        return []
    min_lon, min_lat, max_lon, max_lat = shape.bounds
    neighbours = (
        _plots()
        .exclude(pk=plot.pk)
        .filter(
            boundary_min_lon__lte=max_lon,
            boundary_max_lon__gte=min_lon,
            boundary_min_lat__lte=max_lat,
            boundary_max_lat__gte=min_lat,
        )
        .values_list("pk", "boundary_geojson")
    )
    found = []
    for other_id, other_geojson in neighbours:
        other = geo.shape_or_none(other_geojson)
        shared = _overlap_m2(shape, other) if other is not None else None
        if shared is not None:
            found.append(_pair(plot.pk, other_id, shared))
    return PlotOverlap.objects.bulk_create(found)


@transaction.atomic
def recompute_overlaps() -> int:
    """Find every overlapping pair of plots again, with a Shapely STRtree; returns the count.

    For bulk loads (the demo, a large boundary import) where refreshing plot by plot would
    query once per plot.
    """
    ids, shapes = [], []
    for plot_id, boundary in (
        _plots().exclude(boundary_area_ha=None).values_list("pk", "boundary_geojson")
    ):
        shape = geo.shape_or_none(boundary)
        if shape is not None:
            ids.append(plot_id)
            shapes.append(shape)
    found = []
    tree = STRtree(shapes)
    left, right = tree.query(shapes, predicate="intersects")
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i < j:
            shared = _overlap_m2(shapes[i], shapes[j])
            if shared is not None:
                found.append(_pair(ids[i], ids[j], shared))
    PlotOverlap.objects.all().delete()
    PlotOverlap.objects.bulk_create(found, batch_size=500)
    return len(found)
