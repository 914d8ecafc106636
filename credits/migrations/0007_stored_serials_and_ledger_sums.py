"""Serials of blocks issued before they were stored, and the cumulative figures of closed periods.

A block's serial is written once in Verra's layout (credits.blocks.verra_serial); blocks issued
before this migration get it from the project and period as they are now. Closed periods get
their removals before leakage (net + leakage) and the cumulative net up to them.
"""

from django.db import migrations


def fill(apps, schema_editor):
    Block = apps.get_model("credits", "CreditBlock")
    Period = apps.get_model("credits", "MonitoringPeriod")
    for block in Block.objects.select_related("project", "period").filter(serial_number=""):
        project, period = block.project, block.period
        block.serial_number = "-".join(
            [
                str(period.pk),
                str(block.serial_start),
                str(block.serial_end),
                "VCS",
                "VCU",
                project.registry_code,
                "VER",
                project.country_code,
                str(project.sectoral_scope),
                project.registry_project_id,
                period.start_date.strftime("%d%m%Y"),
                period.end_date.strftime("%d%m%Y"),
                "1" if project.ccb_certified else "0",
            ]
        )
        block.save(update_fields=["serial_number"])
    cumulative = {}
    for period in Period.objects.filter(status="closed").order_by("project_id", "end_date"):
        net = period.net_removals_co2e_t
        cumulative[period.project_id] = cumulative.get(period.project_id, 0) + net
        period.gross_removals_co2e_t = net + period.leakage_co2e_t
        period.cumulative_net_co2e_t = cumulative[period.project_id]
        period.save(update_fields=["gross_removals_co2e_t", "cumulative_net_co2e_t"])


class Migration(migrations.Migration):
    dependencies = [("credits", "0006_chained_ledger")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
