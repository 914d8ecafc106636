# Members sort by their folded key, which now starts with the surname ("Cárdenas" before "Chávez").

from django.db import migrations

from members.text import search_key


def rebuild_search_text(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    members = list(Member.objects.only("pk", "first_name", "last_name", "dni", "code"))
    for member in members:
        member.search_text = search_key(
            member.last_name, member.first_name, member.dni, member.code
        )
    Member.objects.bulk_update(members, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_member_joined_on_optional"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="member",
            options={
                "ordering": ["search_text"],
                "verbose_name": "member",
                "verbose_name_plural": "members",
            },
        ),
        migrations.RunPython(rebuild_search_text, migrations.RunPython.noop),
    ]
