"""Import-export resources of members and plots for the Django admin (acopagro/dataio)."""

from import_export import fields

from imports.resources.base import ServiceResource
from members.models import MEMBER_RECORD_FIELDS, Member, Plot
from members.records import PLOT_DESCRIPTION_FIELDS


class MemberResource(ServiceResource):
    kind = "members"
    community = fields.Field(attribute="community__name", column_name="community")

    class Meta:
        model = Member
        fields = MEMBER_RECORD_FIELDS
        export_order = fields
        import_id_fields = ("dni",)


class PlotResource(ServiceResource):
    kind = "plots"
    member_code = fields.Field(attribute="member__code", column_name="member_code")

    class Meta:
        model = Plot
        fields = (
            "code",
            "member_code",
            *PLOT_DESCRIPTION_FIELDS,
        )
        export_order = fields
        import_id_fields = ("code",)
