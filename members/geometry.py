"""Plot boundaries: the checks a GeoJSON geometry passes before it is stored, and its measures.

One module so that the model's clean() (forms, admin, API, imports), the boundary import and the
EUDR export all apply the same rules. Shapely checks the shape; pyproj measures on the WGS84
ellipsoid (geodesic areas and distances, no projection needed).

The rules, in the order they are checked (the first failure is reported, as one message):
GeoJSON Polygon or MultiPolygon of numbers; WGS84 longitude/latitude; at most
PLOT_BOUNDARY_MAX_VERTICES positions; closed rings of at least four positions; no holes unless
PLOT_BOUNDARY_ALLOW_HOLES; at least 6 decimals (EUDR); inside Peru; no self-intersection;
within PLOT_BOUNDARY_MAX_POINT_DISTANCE_M of the plot's GPS point when it has one.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

import shapely
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pyproj import Geod
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.ops import nearest_points

from members.validators import PERU_LAT_MAX, PERU_LAT_MIN, PERU_LON_MAX, PERU_LON_MIN

WGS84 = Geod(ellps="WGS84")
# EUDR (Reg. 2023/1115, art. 2(28)) asks for "at least six decimal digits".
EUDR_DECIMALS = 6
POLYGON_TYPES = ("Polygon", "MultiPolygon")
# EUDR art. 2(28): a plot of more than 4 ha is described by a polygon, not a point.
POLYGON_REQUIRED_ABOVE_HA = Decimal("4")


def max_vertices() -> int:
    return getattr(settings, "PLOT_BOUNDARY_MAX_VERTICES", 2000)


def max_point_distance_m() -> int:
    return getattr(settings, "PLOT_BOUNDARY_MAX_POINT_DISTANCE_M", 500)


def holes_allowed() -> bool:
    return getattr(settings, "PLOT_BOUNDARY_ALLOW_HOLES", False)


@dataclass(frozen=True)
class Boundary:
    """A checked boundary: the Shapely shape and what pages and the overlap check need."""

    shape: BaseGeometry
    area_ha: Decimal
    bounds: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _decimals(value) -> int:
    exponent = Decimal(repr(value)).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _rings_of(geometry: dict) -> list[list]:
    """The polygons of a Polygon/MultiPolygon as lists of rings; ValidationError if malformed."""
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or not coordinates:
        raise ValidationError(_("The boundary has no coordinates."), code="empty")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise ValidationError(_("The boundary has an empty polygon."), code="empty")
        for ring in polygon:
            if not isinstance(ring, list):
                raise ValidationError(
                    _("The boundary's rings must be lists of positions."), code="structure"
                )
    return polygons


def _check_positions(polygons: list[list]) -> None:
    limit = max_vertices()
    count = 0
    most_decimals = 0
    for polygon in polygons:
        for ring in polygon:
            count += len(ring)
            if count > limit:
                raise ValidationError(
                    _("The boundary has more than %(limit)s points; simplify it first.")
                    % {"limit": limit},
                    code="too_many_vertices",
                )
            for position in ring:
                if (
                    not isinstance(position, list)
                    or len(position) not in (2, 3)
                    or not all(_is_number(v) for v in position)
                ):
                    raise ValidationError(
                        _(
                            "Each point of the boundary must be [longitude, latitude] in "
                            "numbers; found %(value)s."
                        )
                        % {"value": str(position)[:60]},
                        code="not_numbers",
                    )
                lon, lat = position[0], position[1]
                if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                    raise ValidationError(
                        _(
                            "The point %(lon)s, %(lat)s is not a WGS84 longitude/latitude "
                            "(UTM metres? convert to degrees first)."
                        )
                        % {"lon": lon, "lat": lat},
                        code="not_wgs84",
                    )
                most_decimals = max(most_decimals, _decimals(lon), _decimals(lat))
    # Trailing zeros vanish in JSON numbers (-76.1234500 is -76.12345), so the rule is on the
    # geometry as a whole: a device or a spreadsheet that cut every coordinate to 5 decimals.
    if most_decimals < EUDR_DECIMALS:
        raise ValidationError(
            _(
                "The boundary's coordinates have %(found)s decimals; the EUDR asks for at least "
                "%(needed)s. Export them again from the GPS with full precision."
            )
            % {"found": most_decimals, "needed": EUDR_DECIMALS},
            code="too_few_decimals",
        )


def _check_rings(polygons: list[list]) -> None:
    for polygon in polygons:
        if len(polygon) > 1 and not holes_allowed():
            raise ValidationError(
                _("The boundary has a hole (an inner ring); holes are not allowed."),
                code="hole",
            )
        for ring in polygon:
            if len(ring) < 4:
                raise ValidationError(
                    _("A ring of the boundary needs at least 4 points (3 corners and back)."),
                    code="short_ring",
                )
            if list(ring[0][:2]) != list(ring[-1][:2]):
                raise ValidationError(
                    _(
                        "A ring of the boundary is not closed: its last point must repeat "
                        "its first."
                    ),
                    code="open_ring",
                )
            for position in ring:
                lon, lat = position[0], position[1]
                if not (
                    float(PERU_LON_MIN) <= lon <= float(PERU_LON_MAX)
                    and float(PERU_LAT_MIN) <= lat <= float(PERU_LAT_MAX)
                ):
                    raise ValidationError(
                        _("The point %(lon)s, %(lat)s of the boundary is outside Peru.")
                        % {"lon": lon, "lat": lat},
                        code="outside_peru",
                    )


def _shape_of(geometry_type: str, polygons: list[list]) -> BaseGeometry:
    shapes = [
        Polygon([p[:2] for p in rings[0]], [[p[:2] for p in r] for r in rings[1:]])
        for rings in polygons
    ]
    return shapes[0] if geometry_type == "Polygon" else MultiPolygon(shapes)


def geodesic_area_ha(shape: BaseGeometry) -> Decimal:
    """Area on the WGS84 ellipsoid, in hectares (2 decimals shown, 4 kept)."""
    polygons = shape.geoms if hasattr(shape, "geoms") else [shape]
    square_m = 0.0
    for polygon in polygons:
        if isinstance(polygon, Polygon) and not polygon.is_empty:
            square_m += abs(WGS84.geometry_area_perimeter(orient(polygon, sign=1.0))[0])
    return (Decimal(square_m) / Decimal(10_000)).quantize(Decimal("0.0001"))


def distance_m(shape: BaseGeometry, longitude: float, latitude: float) -> float:
    """Geodesic distance from a point to a shape, 0 when the point is inside."""
    point = Point(longitude, latitude)
    if shape.covers(point):
        return 0.0
    nearest = nearest_points(shape, point)[0]
    return WGS84.inv(longitude, latitude, nearest.x, nearest.y)[2]


def check_boundary(geometry, *, latitude=None, longitude=None) -> Boundary:
    """The checked boundary of a plot, or ValidationError saying the first rule it breaks."""
    if not isinstance(geometry, dict) or geometry.get("type") not in POLYGON_TYPES:
        raise ValidationError(
            _("The boundary must be a GeoJSON Polygon or MultiPolygon geometry."), code="type"
        )
    polygons = _rings_of(geometry)
    _check_positions(polygons)
    _check_rings(polygons)
    shape = _shape_of(geometry["type"], polygons)
    if not shape.is_valid:
        raise ValidationError(
            _("The boundary crosses itself or its parts overlap (%(reason)s).")
            % {"reason": shapely.is_valid_reason(shape)},
            code="self_intersection",
        )
    if latitude is not None and longitude is not None:
        away_m = distance_m(shape, float(longitude), float(latitude))
        if away_m > max_point_distance_m():
            raise ValidationError(
                _(
                    "The boundary is %(away)s m from the plot's GPS point (at most %(limit)s m): "
                    "is it another plot's?"
                )
                % {"away": round(away_m), "limit": max_point_distance_m()},
                code="far_from_point",
            )
    return Boundary(shape=shape, area_ha=geodesic_area_ha(shape), bounds=shape.bounds)


def shape_or_none(geometry) -> BaseGeometry | None:
    """The Shapely shape of a stored boundary, or None when it is missing or broken."""
    try:
        return check_boundary(geometry).shape
    except ValidationError:
        return None


def area_differs(boundary_area_ha, declared_area_ha) -> bool:
    """True when the polygon's area is beyond PLOT_AREA_TOLERANCE_PCT of the declared area."""
    if boundary_area_ha is None or not declared_area_ha:
        return False
    tolerance = Decimal(getattr(settings, "PLOT_AREA_TOLERANCE_PCT", 20)) / 100
    return abs(Decimal(boundary_area_ha) - declared_area_ha) > tolerance * declared_area_ha


def rounded(geometry: dict, decimals: int = EUDR_DECIMALS) -> dict:
    """The same geometry with 2D coordinates rounded to `decimals` (the EUDR export's form)."""

    def walk(value):
        if value and _is_number(value[0]):
            return [round(float(value[0]), decimals), round(float(value[1]), decimals)]
        return [walk(item) for item in value]

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}
