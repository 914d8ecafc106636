"""Read-only API of the carbon programme: projects, and the credits selectors' summaries."""

from django.utils.dateparse import parse_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError as BadRequest
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import HasPermissions, RoleModelPermissions, TokenFirst
from credits import selectors
from credits.models import CarbonProject
from plantings.models import Planting

DATE_RANGE = [
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="First day (YYYY-MM-DD)."),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Last day (YYYY-MM-DD)."),
]


def date_param(request, name):
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        value = parse_date(raw)
    except ValueError:
        value = None
    if value is None:
        raise BadRequest({name: ["Enter a valid date (YYYY-MM-DD)."]})
    return value


def date_range(request) -> dict:
    """The `date_from` and `date_to` query parameters, as the selectors' keyword arguments."""
    return {name: date_param(request, name) for name in ("date_from", "date_to")}


class SummaryView(TokenFirst, APIView):
    """A read-only summary for the roles that hold `required_permissions`."""

    permission_classes = [HasPermissions]


class CarbonProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = CarbonProject
        fields = "__all__"


class CarbonProjectViewSet(TokenFirst, viewsets.ReadOnlyModelViewSet):
    queryset = CarbonProject.objects.order_by("pk")
    serializer_class = CarbonProjectSerializer
    permission_classes = [RoleModelPermissions]


def money():
    return serializers.DecimalField(max_digits=16, decimal_places=2)


class CreditCountsSerializer(serializers.Serializer):
    """The credits by where they stand, as the selectors count them."""

    issued = serializers.IntegerField()
    buffer = serializers.IntegerField()
    sold = serializers.IntegerField()
    retired = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    available = serializers.IntegerField()


class CreditTotalsSerializer(CreditCountsSerializer):
    revenue = money()
    producers_pool = money()
    paid_to_producers = money()
    currency = serializers.CharField()


class CreditTotalsView(SummaryView):
    """Credits issued, in the buffer, sold, retired, cancelled and available; money totals."""

    required_permissions = ("credits.view_creditblock",)

    @extend_schema(parameters=DATE_RANGE, responses=CreditTotalsSerializer)
    def get(self, request):
        totals = selectors.credit_totals(**date_range(request))
        return Response(CreditTotalsSerializer(totals).data)


class VintageSerializer(CreditCountsSerializer):
    period_id = serializers.IntegerField()
    vintage = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()


class VintageSummaryView(SummaryView):
    """Per vintage: credits issued, buffer, sold, retired, cancelled and available now."""

    required_permissions = ("credits.view_creditblock",)

    @extend_schema(responses=VintageSerializer(many=True))
    def get(self, request):
        return Response(VintageSerializer(selectors.vintage_summary(), many=True).data)


class SaleSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    buyer = serializers.CharField()
    buyer_country = serializers.CharField()
    vintage = serializers.CharField()
    quantity = serializers.IntegerField()
    price = money()
    currency = serializers.CharField()
    revenue = money()
    producers_pool = money()
    distributed = serializers.BooleanField()
    paid = money()


class SaleSummaryView(SummaryView):
    """Per sale: date, buyer, credits, price, revenue, producers' pool and what was paid."""

    required_permissions = ("credits.view_sale",)

    @extend_schema(parameters=DATE_RANGE, responses=SaleSummarySerializer(many=True))
    def get(self, request):
        sales = selectors.sale_summaries(**date_range(request))
        return Response(SaleSummarySerializer(sales, many=True).data)


class TreesBySpeciesSerializer(serializers.Serializer):
    species_id = serializers.IntegerField()
    local_name = serializers.CharField(source="species__local_name")
    scientific_name = serializers.CharField(source="species__scientific_name")
    trees = serializers.IntegerField()


class TreesBySpeciesView(SummaryView):
    """Report: trees planted per species, largest first (the manager's reports permission)."""

    required_permissions = ("plantings.view_reports",)

    @extend_schema(responses=TreesBySpeciesSerializer(many=True))
    def get(self, request):
        rows = Planting.objects.trees_by_species()
        return Response(TreesBySpeciesSerializer(rows, many=True).data)
