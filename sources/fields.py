"""Web addresses that may only be http or https, checked by forms and by the database.

A link that a reader may click on a status page must never be ``javascript:``, ``data:`` or
``ftp:``; the validator says so in words, and the database check (see
:func:`web_address_constraint`) refuses whatever slips past a form (a raw ``.update()``, a bad
import, a shell session).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models.functions import Left, Length

ALLOWED_SCHEMES = ("http", "https")

web_address_validator = URLValidator(
    schemes=list(ALLOWED_SCHEMES),
    message="Enter a web address that starts with http:// or https://.",
)


def normalise_scheme(value: str) -> str:
    """Lower-case the scheme only (``HTTPS://Example.com/A`` -> ``https://Example.com/A``)."""
    value = value.strip()
    scheme, sep, rest = value.partition("://")
    if sep and scheme.lower() in ALLOWED_SCHEMES:
        return f"{scheme.lower()}://{rest}"
    return value


class WebAddressFormField(forms.URLField):
    """Refuses an address without an http(s) scheme instead of guessing one."""

    def to_python(self, value):
        value = (value or "").strip()
        if value and not value.lower().startswith(tuple(f"{s}://" for s in ALLOWED_SCHEMES)):
            raise ValidationError(web_address_validator.message, code="invalid")
        return normalise_scheme(super().to_python(value))


class WebAddressField(models.URLField):
    """A URLField that accepts only http and https and stores the scheme in lower case."""

    default_validators = [web_address_validator]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 2000)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_scheme(value) if isinstance(value, str) else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return normalise_scheme(value) if isinstance(value, str) else value

    def formfield(self, **kwargs):
        # Never guess a scheme: "example.com" is an error to fix, not an http:// link to invent.
        kwargs.setdefault("form_class", WebAddressFormField)
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)


def web_address_constraint(field: str, *, name: str) -> models.CheckConstraint:
    """Blank, or ``http://`` / ``https://`` followed by at least one character.

    Compared with ``=`` on ``Left()`` rather than ``LIKE``: SQLite's LIKE ignores case, and the
    stored scheme must be exactly lower case on both databases.
    """
    return models.CheckConstraint(
        condition=models.Q(**{field: ""})
        | (
            models.Q(models.lookups.Exact(Left(field, 7), "http://"))
            & models.Q(models.lookups.GreaterThan(Length(field), 7))
        )
        | (
            models.Q(models.lookups.Exact(Left(field, 8), "https://"))
            & models.Q(models.lookups.GreaterThan(Length(field), 8))
        ),
        name=name,
        violation_error_message="Web addresses must start with http:// or https://.",
    )
