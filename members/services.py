"""Writes on plots that span more than one row: a boundary and the overlaps it reveals
(members/overlaps.py keeps those).

Typed, keyword-only, inside transaction.atomic(); views, imports, the API and the demo call them.
"""

from django.db import transaction

from members.models import Plot


@transaction.atomic
def set_plot_boundary(*, plot: Plot, geometry: dict | None, user=None) -> Plot:
    """Give a plot a new boundary (a GeoJSON Polygon/MultiPolygon geometry, or None to clear it).

    Runs the model's full_clean() (ValidationError, nothing saved, when the boundary breaks a
    rule), saves with `user` in the history, and refreshes the plot's overlaps.
    """
    plot.boundary_geojson = geometry
    plot.full_clean()
    if user is not None:
        plot._history_user = user
    plot.save()
    return plot
