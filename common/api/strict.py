"""Strict input: a body field the endpoint does not take, one it only shows (read-only), or a
JSON value of the wrong type is a 400 naming the field, never silently ignored or coerced.

Before: an outlet named ``0`` (a JSON number) was stored as "0", ``derived_from: {}`` was taken
for an empty list, and a ``state`` sent to a claim's PUT was dropped without a word.
"""

from collections.abc import Mapping

from rest_framework import relations, serializers
from rest_framework.exceptions import ValidationError

JSON_TYPE_NAMES = {
    bool: "true or false",
    int: "a whole number",
    float: "a number",
    str: "a string",
    list: "an array",
    dict: "an object",
}


def _expected_types(field) -> tuple[type, ...] | None:
    """The JSON types a field takes, or None for any (a JSON field)."""
    if isinstance(field, serializers.JSONField | serializers.HiddenField):
        return None
    if isinstance(field, serializers.BooleanField):
        return (bool,)
    if isinstance(field, relations.ManyRelatedField | serializers.ListField):
        return (list,)
    if isinstance(field, serializers.ListSerializer):
        return (list,)
    if isinstance(field, serializers.Serializer | serializers.DictField):
        return (dict,)
    if isinstance(field, relations.PrimaryKeyRelatedField):
        return (int,)
    if isinstance(field, serializers.IntegerField):
        return (int,)
    if isinstance(field, serializers.FloatField | serializers.DecimalField):
        return (int, float)
    if isinstance(field, serializers.ChoiceField):
        keys = list(field.choices)
        if keys and all(isinstance(k, int) and not isinstance(k, bool) for k in keys):
            return (int,)
        return (str,)
    if isinstance(
        field,
        serializers.CharField
        | serializers.DateField
        | serializers.DateTimeField
        | serializers.TimeField
        | relations.SlugRelatedField,
    ):
        return (str,)
    return None


def type_problem(field, value) -> str | None:
    if value is None:
        return None  # allowed or not, DRF says so itself ("may not be null")
    expected = _expected_types(field)
    if expected is None:
        return None
    # bool is an int in Python; in JSON true is not 1.
    wrong_bool = isinstance(value, bool) and bool not in expected
    if isinstance(value, expected) and not wrong_bool:
        return None
    names = " or ".join(JSON_TYPE_NAMES[t] for t in expected)
    got = next((n for t, n in JSON_TYPE_NAMES.items() if type(value) is t), "another type")
    return f"Must be {names}, not {got}."


class StrictInputMixin:
    """For serializers that take a request body. ``field_hints`` maps a field a client might send
    but may not (here) to where it goes instead."""

    field_hints: dict[str, str] = {}

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {f.field_name: f for f in self._writable_fields}
            errors = {}
            for key, value in data.items():
                field = writable.get(key)
                if field is None:
                    errors[key] = [self._not_writable(key)]
                    continue
                problem = type_problem(field, value)
                if problem:
                    errors[key] = [problem]
            if errors:
                raise ValidationError(errors)
        return super().to_internal_value(data)

    def _not_writable(self, key: str) -> str:
        hint = self.field_hints.get(key)
        if hint:
            return hint
        if key in self.fields:
            return f"{key} is read-only: the server sets it."
        names = ", ".join(sorted(f.field_name for f in self._writable_fields))
        return f"{key} is not a field this endpoint takes; it takes: {names}."
