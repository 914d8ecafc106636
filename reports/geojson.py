"""What the map's GeoJSON sends over a slow line: coordinates rounded to what a map can draw,
and the response gzip-compressed.

Five decimals of a degree are 1.1 m on the ground, finer than any plot boundary drawn at the
zoom levels of the map; the register keeps its 6 decimals, only the map's copy is rounded.

Compression is for this JSON response only (reports/maps.py keeps the compressed copy in the
cache beside the document): not GZipMiddleware for every page, since compressed HTML pages that
carry a CSRF token beside text an attacker can reflect are open to BREACH. The GeoJSON carries no
secret token.
"""

from itertools import pairwise

MAP_DECIMALS = 5


def round_coordinates(geometry: dict | None, places: int = MAP_DECIMALS) -> dict | None:
    """A copy of a GeoJSON geometry (Point, Polygon, MultiPolygon, ...) with every coordinate
    rounded to `places` decimals; consecutive points made equal by the rounding are dropped."""
    if not geometry or "coordinates" not in geometry:
        return geometry
    return {**geometry, "coordinates": _round(geometry["coordinates"], places)}


def _round(value, places):
    if value and isinstance(value[0], int | float):
        return [round(float(number), places) for number in value]
    rounded = [_round(item, places) for item in value]
    if rounded and isinstance(rounded[0], list) and rounded[0] and isinstance(rounded[0][0], float):
        # A ring or line: drop repeated points (never below the 4 points a closed ring needs).
        kept = [rounded[0]] + [p for prev, p in pairwise(rounded) if p != prev]
        return kept if len(kept) >= 4 or len(kept) == len(rounded) else rounded
    return rounded
