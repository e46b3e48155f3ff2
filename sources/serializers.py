"""API representations of outlets and sources (used by the claims API, which decides who sees what)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api.strict import StrictInputMixin

from .fields import WebAddressField, normalise_scheme, web_address_validator
from .models import Outlet, Source
from .services import save_outlet, save_source


@extend_schema_field(
    {
        "type": "string",
        "format": "uri",
        # http or https, in any case (stored lower case); where the field may be empty, the
        # schema adds the empty string beside it (drf-spectacular, from allow_blank).
        "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://\\S+$",
        "maxLength": 2000,
    }
)
class WebAddressSerializerField(serializers.CharField):
    """http(s) only, with the same sentence as the admin; the scheme stored lower case."""

    def __init__(self, **kwargs):
        kwargs.pop("allow_unicode", None)
        super().__init__(**kwargs)
        if self.read_only:
            # DRF drops allow_blank from read-only fields; a stored address may be empty, and
            # the schema must say so (the empty string beside the pattern).
            self.allow_blank = True

    def to_internal_value(self, data):
        value = normalise_scheme(super().to_internal_value(data))
        if value and not value.startswith(("http://", "https://")):
            raise serializers.ValidationError(web_address_validator.message)
        return value


# Ids are 64-bit integers in both databases; a larger number is a 400, not an overflow.
MAX_ID = 2**63 - 1


class RelatedId(serializers.PrimaryKeyRelatedField):
    """A related object by its id, refusing ids that cannot exist with a sentence."""

    def __init__(self, **kwargs):
        kwargs.setdefault("pk_field", serializers.IntegerField(min_value=1, max_value=MAX_ID))
        super().__init__(**kwargs)


class ModelSerializer(StrictInputMixin, serializers.ModelSerializer):
    """ModelSerializer that maps web addresses to WebAddressSerializerField, and takes only the
    fields it writes, each in its JSON type (common.api.strict)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        WebAddressField: WebAddressSerializerField,
    }


class OutletSerializer(ModelSerializer):
    class Meta:
        model = Outlet
        fields = ["id", "name", "kind", "homepage"]

    def create(self, validated_data):
        return save_outlet(outlet=Outlet(**validated_data), author=self.context["request"].user)

    def update(self, instance, validated_data):
        for key, value in validated_data.items():
            setattr(instance, key, value)
        return save_outlet(outlet=instance, author=self.context["request"].user)


class OutletSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Outlet
        fields = ["id", "name", "kind"]
        read_only_fields = fields


class SourceSummarySerializer(ModelSerializer):
    """A source as it appears inside evidence: enough to judge it without another request."""

    outlet = OutletSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Source
        fields = [
            "id",
            "title",
            "kind",
            "outlet",
            "author",
            "url",
            "archived_url",
            "published_on",
            "on_record",
        ]
        read_only_fields = fields


class SourceSerializer(ModelSerializer):
    outlet = RelatedId(
        queryset=Outlet.objects.all(), allow_null=True, required=False, help_text="The outlet's id."
    )
    derived_from = RelatedId(
        many=True,
        required=False,
        queryset=Source.objects.all(),
        help_text="Ids of the sources this one rests on (its provenance). A loop is refused with its path.",
    )

    class Meta:
        model = Source
        fields = [
            "id", "title", "kind", "outlet", "author", "url", "archived_url", "published_on",
            "accessed_on", "on_record", "notes", "derived_from", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]

    def create(self, validated_data):
        parents = validated_data.pop("derived_from", [])
        return save_source(
            source=Source(**validated_data),
            author=self.context["request"].user,
            derived_from=parents,
        )

    def update(self, instance, validated_data):
        parents = validated_data.pop("derived_from", None)
        for key, value in validated_data.items():
            setattr(instance, key, value)
        return save_source(
            source=instance, author=self.context["request"].user, derived_from=parents
        )
