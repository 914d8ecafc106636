from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from credits.models import CarbonProject


@admin.register(CarbonProject)
class CarbonProjectAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "standard",
        "equation",
        "buffer_share",
        "producer_revenue_share",
        "crediting_start",
        "crediting_end",
    )
    search_fields = ("name", "registry_project_id")
