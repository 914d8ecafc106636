from django.db import migrations


def load(apps, schema_editor):
    from credits.reference_data import DEFAULT_PROJECT

    CarbonProject = apps.get_model("credits", "CarbonProject")
    if not CarbonProject.objects.exists():
        CarbonProject.objects.create(**DEFAULT_PROJECT)


class Migration(migrations.Migration):
    dependencies = [("credits", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
