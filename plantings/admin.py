from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import RecordedByMixin
from members.models import Plot
from plantings.models import (
    FieldDataLock,
    LateDataEntry,
    MonitoringVisit,
    Planting,
    Programme,
    Species,
    SurvivalCount,
    TreeMeasurement,
)


class PlantingInline(admin.TabularInline):
    model = Planting
    extra = 0
    fields = ("species", "planted_on", "trees_planted", "nursery_batch", "arrangement")
    show_change_link = True


class SurvivalCountInline(admin.TabularInline):
    model = SurvivalCount
    extra = 0


class TreeMeasurementInline(admin.TabularInline):
    model = TreeMeasurement
    extra = 0
    raw_id_fields = ("planting",)


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ("name", "started_on", "trees_target", "trees_target_year", "max_trees_per_ha")


@admin.register(Species)
class SpeciesAdmin(SimpleHistoryAdmin):
    list_display = (
        "local_name",
        "scientific_name",
        "native",
        "wood_density_g_cm3",
        "expected_survival",
    )
    list_filter = ("native",)
    search_fields = ("local_name", "scientific_name", "other_names")


@admin.register(Planting)
class PlantingAdmin(RecordedByMixin, ImportExportMixin, SimpleHistoryAdmin):
    # resource_classes: set by imports/admin.py, so the admin's Import runs imports.services.
    list_display = ("planted_on", "plot", "member", "species", "trees_planted", "arrangement")
    list_filter = ("species", "arrangement", "plot__land_use", "plot__member__community")
    search_fields = ("plot__code", "plot__member__last_name", "plot__member__dni", "nursery_batch")
    list_select_related = ("plot__member", "species")
    date_hierarchy = "planted_on"
    autocomplete_fields = ("plot",)
    readonly_fields = ("recorded_by", "created_at")
    list_per_page = 50

    @admin.display(description=_("member"), ordering="plot__member__last_name")
    def member(self, obj):
        return obj.plot.member.full_name


@admin.register(MonitoringVisit)
class MonitoringVisitAdmin(RecordedByMixin, SimpleHistoryAdmin):
    list_display = ("visited_on", "plot", "technician", "external_id")
    list_filter = ("plot__member__community", "plot__land_use")
    search_fields = ("plot__code", "technician", "plot__member__last_name", "external_id")
    list_select_related = ("plot",)
    date_hierarchy = "visited_on"
    autocomplete_fields = ("plot",)
    readonly_fields = ("recorded_by", "created_at")
    inlines = [SurvivalCountInline, TreeMeasurementInline]
    list_per_page = 50


@admin.register(SurvivalCount)
class SurvivalCountAdmin(ImportExportMixin, SimpleHistoryAdmin):
    # resource_classes: set by imports/admin.py, so the admin's Import runs imports.services.
    list_display = (
        "visit",
        "species",
        "trees_alive",
        "trees_dead",
        "trees_replanted",
        "loss_cause",
    )
    list_filter = ("species", "loss_cause")
    list_select_related = ("visit__plot", "species")
    search_fields = ("visit__plot__code",)
    list_per_page = 50


@admin.register(TreeMeasurement)
class TreeMeasurementAdmin(ImportExportMixin, SimpleHistoryAdmin):
    # resource_classes: set by imports/admin.py, so the admin's Import runs imports.services.
    list_display = ("visit", "species", "dbh_cm", "height_m", "tree_tag")
    list_filter = ("species",)
    raw_id_fields = ("planting",)
    list_select_related = ("visit__plot", "species")
    search_fields = ("visit__plot__code", "tree_tag")
    list_per_page = 50


# A plot's admin page lists its plantings: plantings builds on members, so it adds the inline.
admin.site.get_model_admin(Plot).inlines = [PlantingInline]


@admin.register(FieldDataLock)
class FieldDataLockAdmin(admin.ModelAdmin):
    """Read-only: closing a monitoring period writes the lock (credits.services.close_period)."""

    list_display = ("closed_through", "note", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LateDataEntry)
class LateDataEntryAdmin(RecordedByMixin, SimpleHistoryAdmin):
    """Field records entered after their period closed: why, by whom, and which period counts
    them. A visit or planting in a closed period is accepted only with one of these."""

    list_display = (
        "field_date",
        "plot",
        "reason",
        "recorded_by",
        "recorded_at",
        "accounted_through",
    )
    list_filter = ("accounted_through",)
    search_fields = ("plot__code", "reason")
    readonly_fields = ("recorded_by", "recorded_at", "accounted_through")
    autocomplete_fields = ("plot",)
