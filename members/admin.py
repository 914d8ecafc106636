from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import RecordedByMixin
from members.models import Community, Member, Plot, PlotOverlap, ScreeningResult


class PlotInline(admin.TabularInline):
    model = Plot
    extra = 0
    fields = ("code", "name", "land_use", "area_ha", "latitude", "longitude", "altitude_m")
    show_change_link = True


@admin.register(Community)
class CommunityAdmin(SimpleHistoryAdmin):
    list_display = ("name", "district", "ubigeo", "member_count")
    list_filter = ("district",)
    search_fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count


@admin.register(Member)
class MemberAdmin(ImportExportMixin, SimpleHistoryAdmin):
    # resource_classes: set by imports/admin.py, so the admin's Import runs imports.services.
    list_display = (
        "code",
        "last_name",
        "first_name",
        "dni",
        "community",
        "status",
        "organic_certified",
        "fairtrade_certified",
        "joined_on",
    )
    list_filter = ("status", "community", "organic_certified", "fairtrade_certified", "gender")
    search_fields = ("code", "dni", "first_name", "last_name", "search_text")
    list_select_related = ("community",)
    date_hierarchy = "joined_on"
    autocomplete_fields = ("community",)
    inlines = [PlotInline]
    list_per_page = 50


@admin.register(Plot)
class PlotAdmin(ImportExportMixin, SimpleHistoryAdmin):
    # resource_classes: set by imports/admin.py; the plantings inline: by plantings/admin.py.
    list_display = ("code", "name", "member", "land_use", "area_ha", "latitude", "longitude")
    list_filter = ("land_use", "member__community")
    search_fields = ("code", "name", "member__last_name", "member__dni", "member__code")
    list_select_related = ("member",)
    autocomplete_fields = ("member",)
    readonly_fields = ("boundary_area_ha",)
    list_per_page = 50


@admin.register(ScreeningResult)
class ScreeningResultAdmin(RecordedByMixin, SimpleHistoryAdmin):
    list_display = ("plot", "screened_on", "source", "result", "recorded_by")
    list_filter = ("result", "source")
    search_fields = ("plot__code", "plot__member__last_name")
    list_select_related = ("plot", "recorded_by")
    autocomplete_fields = ("plot",)
    readonly_fields = ("recorded_by",)
    list_per_page = 50


@admin.register(PlotOverlap)
class PlotOverlapAdmin(admin.ModelAdmin):
    """Read only: members.services keeps these rows from the plots' boundaries."""

    list_display = ("plot", "other_plot", "overlap_m2", "found_at")
    list_select_related = ("plot", "other_plot")
    search_fields = ("plot__code", "other_plot__code")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
