from django.db import migrations


def load(apps, schema_editor):
    from plantings.models import DEFAULT_PROGRAMME
    from plantings.reference_data import species_rows

    Programme = apps.get_model("plantings", "Programme")
    Species = apps.get_model("plantings", "Species")
    if not Programme.objects.exists():
        Programme.objects.create(**DEFAULT_PROGRAMME)
    for row in species_rows():
        Species.objects.get_or_create(scientific_name=row["scientific_name"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [("plantings", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
