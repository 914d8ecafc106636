"""Existing rows: each community's district ubigeo, and each stored boundary's area and bounds.

Overlaps between existing boundaries are found by `manage.py find_plot_overlaps` afterwards.
"""

from django.db import migrations

UBIGEO = {
    "juanjui": "220601",
    "campanilla": "220602",
    "huicungo": "220603",
    "pachiza": "220604",
    "pajarillo": "220605",
}


def fill(apps, schema_editor):
    from members import geometry

    Community = apps.get_model("members", "Community")
    for district, code in UBIGEO.items():
        Community.objects.filter(district=district, ubigeo="").update(ubigeo=code)
    Plot = apps.get_model("members", "Plot")
    for plot in Plot.objects.exclude(boundary_geojson=None).iterator():
        shape = geometry.shape_or_none(plot.boundary_geojson)
        if shape is None:
            continue
        plot.boundary_area_ha = geometry.geodesic_area_ha(shape)
        (
            plot.boundary_min_lon,
            plot.boundary_min_lat,
            plot.boundary_max_lon,
            plot.boundary_max_lat,
        ) = shape.bounds
        plot.save(
            update_fields=[
                "boundary_area_ha",
                "boundary_min_lon",
                "boundary_min_lat",
                "boundary_max_lon",
                "boundary_max_lat",
            ]
        )


class Migration(migrations.Migration):
    dependencies = [("members", "0005_plot_boundaries_eudr_evidence")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
