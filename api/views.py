"""API viewsets: list (filter, paginate), read, create, update, delete under the role permissions.

Credits and reports are read-only: their writes are workflows (issue, sell, retire, distribute)
that go through the credits services and pages, not through generic create/update.
"""

from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.exceptions import APIException
from rest_framework.filters import OrderingFilter

from api import serializers as api
from api.permissions import RoleModelPermissions, TokenFirst
from members.models import Community, Member, Plot
from plantings.models import MonitoringVisit, Planting, Species


class InUse(APIException):
    status_code = 409
    default_code = "protected"


class RoleViewSet(TokenFirst, viewsets.ModelViewSet):
    permission_classes = [RoleModelPermissions]
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering = ["id"]

    def perform_destroy(self, instance):
        # Records with plantings, visits or members hang on are protected (PROTECT): 409.
        try:
            instance.delete()
        except ProtectedError as exc:
            names = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
            raise InUse(
                _("%(object)s cannot be deleted: %(related)s refer to it.")
                % {"object": instance, "related": ", ".join(names)}
            ) from exc


class CommunityViewSet(RoleViewSet):
    queryset = Community.objects.all()
    serializer_class = api.CommunitySerializer
    filterset_fields = ["district"]


class MemberViewSet(RoleViewSet):
    queryset = Member.objects.select_related("community")
    serializer_class = api.MemberSerializer
    filterset_fields = [
        "community",
        "status",
        "gender",
        "dni",
        "code",
        "organic_certified",
        "fairtrade_certified",
    ]
    ordering_fields = ["id", "code", "last_name", "joined_on"]


class PlotViewSet(RoleViewSet):
    queryset = Plot.objects.all()
    serializer_class = api.PlotSerializer
    filterset_fields = ["member", "land_use", "code", "member__community"]
    ordering_fields = ["id", "code", "area_ha"]


class SpeciesViewSet(RoleViewSet):
    queryset = Species.objects.all()
    serializer_class = api.SpeciesSerializer
    filterset_fields = ["native", "local_name", "scientific_name"]


class PlantingViewSet(RoleViewSet):
    queryset = Planting.objects.all()
    serializer_class = api.PlantingSerializer
    filterset_fields = {
        "plot": ["exact"],
        "species": ["exact"],
        "plot__member": ["exact"],
        "arrangement": ["exact"],
        "planted_on": ["exact", "gte", "lte"],
    }
    ordering_fields = ["id", "planted_on", "trees_planted"]


class MonitoringVisitViewSet(RoleViewSet):
    queryset = MonitoringVisit.objects.prefetch_related("survival_counts", "measurements")
    serializer_class = api.MonitoringVisitSerializer
    filterset_fields = {
        "plot": ["exact"],
        "plot__member": ["exact"],
        "external_id": ["exact"],
        "visited_on": ["exact", "gte", "lte"],
    }
    ordering_fields = ["id", "visited_on"]
