"""GeoJSON shapes near the factories' plot point (-76.7, -7.2), with 6-decimal coordinates."""

# ~111 m per 0.001° of latitude here: a square of side 0.001° is about 1.22 ha.
LON, LAT = -76.700001, -7.200001


def square(lon: float = LON, lat: float = LAT, side: float = 0.001) -> dict:
    ring = [[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def bow_tie() -> dict:
    ring = [[LON, LAT], [LON + 0.001, LAT + 0.001], [LON + 0.001, LAT], [LON, LAT + 0.001]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
