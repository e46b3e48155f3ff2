"""Strict request bodies: a field the client may not write is a 400 that names it.

DRF ignores unknown and read-only fields silently, so a client that sends ``{"state":
"confirmed"}`` to the wrong endpoint gets a 200 and believes it changed something. Here such a
body is refused, naming each field, with a pointer to the right endpoint where there is one.
"""

from collections.abc import Mapping

from rest_framework import serializers


class StrictFieldsMixin:
    """For serializers: refuse body keys that are not writable fields.

    ``Meta.field_hints`` maps a field name to the sentence to give instead of the generic one
    (for example: "the state changes through claims/<id>/state/").
    """

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            hints = getattr(getattr(self, "Meta", None), "field_hints", {})
            errors = {}
            for key in data:
                if key in writable:
                    continue
                if key in hints:
                    errors[key] = [hints[key]]
                elif key in self.fields:
                    errors[key] = [f"“{key}” is read-only: it cannot be written here."]
                else:
                    allowed = ", ".join(sorted(writable))
                    errors[key] = [
                        f"There is no field “{key}” to write. Writable fields: {allowed}."
                    ]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)
