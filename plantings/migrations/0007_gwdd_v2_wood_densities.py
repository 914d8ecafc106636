"""Wood densities from GWDD v2 (BIOMASS R package 3.0) where a species still holds the v1 mean.

A density someone changed by hand (not the v1 value) is left as it is.
"""

from django.db import migrations


def to_v2(apps, schema_editor):
    from plantings.reference_data import GWDD_V1, species_rows

    Species = apps.get_model("plantings", "Species")
    for row in species_rows():
        v1, _n = GWDD_V1[row["scientific_name"]]
        Species.objects.filter(
            scientific_name=row["scientific_name"], wood_density_g_cm3=v1
        ).update(
            wood_density_g_cm3=row["wood_density_g_cm3"],
            wood_density_source=row["wood_density_source"],
        )


def to_v1(apps, schema_editor):
    from plantings.reference_data import GWDD_V1, species_rows

    Species = apps.get_model("plantings", "Species")
    for row in species_rows():
        v1, n = GWDD_V1[row["scientific_name"]]
        Species.objects.filter(
            scientific_name=row["scientific_name"], wood_density_g_cm3=row["wood_density_g_cm3"]
        ).update(
            wood_density_g_cm3=v1,
            wood_density_source=f"GWDD v1 species mean (BIOMASS R package), n={n}",
        )


class Migration(migrations.Migration):
    dependencies = [("plantings", "0006_cohorts_and_field_lock")]
    operations = [migrations.RunPython(to_v2, to_v1)]
