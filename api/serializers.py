"""API serializers. Every write runs the model's full_clean(), so the API accepts exactly what
the forms, the admin and the imports accept, with the same messages."""

from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.settings import api_settings

from members.models import MEMBER_RECORD_FIELDS, Community, Member, Plot
from members.records import PLOT_DESCRIPTION_FIELDS, PLOT_LAND_USE_2020_FIELDS
from plantings import services
from plantings.models import MonitoringVisit, Planting, Species, SurvivalCount, TreeMeasurement
from plantings.records import SPECIES_DETAIL_FIELDS


def drf_errors(exc: DjangoValidationError) -> serializers.ValidationError:
    errors = {
        (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
        for field, messages in exc.message_dict.items()
    }
    return serializers.ValidationError(errors)


class FullCleanMixin:
    """validate(): build the instance with the submitted values and run its full_clean()."""

    clean_exclude: tuple[str, ...] = ()

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        plain = {k: v for k, v in attrs.items() if k not in self.nested_fields()}
        if self.instance is not None:
            candidate = model.objects.get(pk=self.instance.pk)
            for name, value in plain.items():
                setattr(candidate, name, value)
        else:
            candidate = model(**plain)
        self.prepare_candidate(candidate)
        try:
            candidate.full_clean(exclude=list(self.clean_exclude))
        except DjangoValidationError as exc:
            raise drf_errors(exc) from exc
        return attrs

    def nested_fields(self) -> set[str]:
        return set()

    def prepare_candidate(self, candidate):
        pass


class CommunitySerializer(FullCleanMixin, serializers.ModelSerializer):
    class Meta:
        model = Community
        fields = ["id", "name", "district"]


class MemberSerializer(FullCleanMixin, serializers.ModelSerializer):
    class Meta:
        model = Member
        fields = ["id", *MEMBER_RECORD_FIELDS]
        # Uniqueness is checked by full_clean(), with the message naming the holder of a DNI.
        extra_kwargs = {"code": {"validators": []}, "dni": {"validators": []}}


class PlotSerializer(FullCleanMixin, serializers.ModelSerializer):
    class Meta:
        model = Plot
        fields = [
            "id",
            "code",
            "member",
            *PLOT_DESCRIPTION_FIELDS,
            "boundary_geojson",
            "boundary_area_ha",
            *PLOT_LAND_USE_2020_FIELDS,
        ]
        read_only_fields = ["boundary_area_ha"]
        # The model's validator is MinValueValidator(0.01), a float that DRF would warn about.
        extra_kwargs = {"code": {"validators": []}, "area_ha": {"min_value": Decimal("0.01")}}


class SpeciesSerializer(FullCleanMixin, serializers.ModelSerializer):
    class Meta:
        model = Species
        fields = [
            "id",
            "scientific_name",
            "local_name",
            *SPECIES_DETAIL_FIELDS,
        ]
        extra_kwargs = {"scientific_name": {"validators": []}}


class PlantingSerializer(FullCleanMixin, serializers.ModelSerializer):
    clean_exclude = ("recorded_by",)

    class Meta:
        model = Planting
        fields = [
            "id",
            "plot",
            "species",
            "planted_on",
            "trees_planted",
            "nursery_batch",
            "arrangement",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["recorded_by", "created_at"]

    def create(self, validated_data):
        validated_data["recorded_by"] = self.context["request"].user
        return super().create(validated_data)


class VisitRowSerializer(serializers.ModelSerializer):
    """A nested row of a visit; on update, `id` names the row to change in place."""

    id = serializers.IntegerField(required=False)


class SurvivalCountSerializer(VisitRowSerializer):
    class Meta:
        model = SurvivalCount
        fields = ["id", "species", "trees_alive", "trees_dead", "trees_replanted", "loss_cause"]


class TreeMeasurementSerializer(VisitRowSerializer):
    class Meta:
        model = TreeMeasurement
        fields = ["id", "species", "dbh_cm", "height_m", "tree_tag", "latitude", "longitude"]


def visit_errors(errors: services.VisitErrors) -> serializers.ValidationError:
    """The service's errors as the API's: fields of the visit, then rows by index."""
    detail = {
        (api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name): messages
        for name, messages in errors.visit.items()
    }
    for key, rows in (("survival_counts", errors.counts), ("measurements", errors.measurements)):
        if rows:
            detail[key] = {
                index: {
                    (api_settings.NON_FIELD_ERRORS_KEY if f == NON_FIELD_ERRORS else f): m
                    for f, m in row.items()
                }
                for index, row in rows.items()
            }
    return serializers.ValidationError(detail)


def plain_rows(rows):
    return None if rows is None else [dict(row) for row in rows]


class MonitoringVisitSerializer(serializers.ModelSerializer):
    """A visit with its survival counts and sample trees, recorded and updated by
    plantings.services (the rules of the visit form). On update, a nested list that is sent is
    the visit's new list: rows with an `id` are changed in place, rows without one are added,
    rows left out are deleted (which needs the delete permission: 403 otherwise); a list that
    is left out stays as it is."""

    survival_counts = SurvivalCountSerializer(many=True, required=False)
    measurements = TreeMeasurementSerializer(many=True, required=False)

    class Meta:
        model = MonitoringVisit
        fields = [
            "id",
            "plot",
            "visited_on",
            "technician",
            "notes",
            "external_id",
            "survival_counts",
            "measurements",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["recorded_by", "created_at"]
        extra_kwargs = {"external_id": {"validators": []}}
        validators = []  # (plot, visited_on) uniqueness: the service says it in its words

    def create(self, validated_data):
        counts = plain_rows(validated_data.pop("survival_counts", [])) or []
        trees = plain_rows(validated_data.pop("measurements", [])) or []
        for row in (*counts, *trees):
            row.pop("id", None)
        try:
            return services.record_visit(
                counts=counts,
                measurements=trees,
                recorded_by=self.context["request"].user,
                **validated_data,
            )
        except services.VisitErrors as errors:
            raise visit_errors(errors) from None

    def update(self, instance, validated_data):
        counts = plain_rows(validated_data.pop("survival_counts", None))
        trees = plain_rows(validated_data.pop("measurements", None))
        try:
            return services.update_visit(
                visit=instance,
                user=self.context["request"].user,
                changes=validated_data,
                counts=counts,
                measurements=trees,
            )
        except services.VisitErrors as errors:
            raise visit_errors(errors) from None
