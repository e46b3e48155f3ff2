"""Untrusted values from a request turned into database values, in one place, for the admin and the
API: a value the database cannot take is a sentence for the person who sent it, never a 500.

What reached the database and failed there (issue 18): an object id that is not a number
(``/admin/…/abc/change/``, its history page, a forged bulk-action selection), a number too large
for a 64-bit column, a year past 9999 (``?created_at__year=99999``), a NUL character (PostgreSQL
refuses it in text), a lone surrogate (no encoder writes it), a regular expression the database
cannot compile (PostgreSQL's error; on SQLite it failed inside Python's ``re`` and looked like an
outage, a 503 asking the client to retry what can never work).

- ``check_text(value, what)``: NUL and lone surrogates out.
- ``problems_in_data(data)``: the same through a decoded JSON body, by field (the API's parser).
- ``pk_value(model, raw)``: an object id as the model's primary key takes it.
- ``lookup_value(model, lookup, raw)``: a filter (``created_at__year``, ``wording__regex``,
  ``article__id__in``) from a URL, checked the way the database will read it.
- ``UntrustedAdminInputMiddleware``: every admin view's URL id, query values, changelist
  filters and bulk-action selections pass through the above before the view runs.
"""

import inspect
import re

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DatabaseError, connection, models, transaction
from django.http import Http404, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.urls import reverse

SURROGATE = re.compile("[\ud800-\udfff]")
# Transforms a URL filter may apply, and the whole numbers each can equal.
PART_RANGES = {
    "year": (1, 9999),
    "iso_year": (1, 9999),
    "month": (1, 12),
    "day": (1, 31),
    "week": (1, 53),
    "week_day": (1, 7),
    "iso_week_day": (1, 7),
    "quarter": (1, 4),
    "hour": (0, 23),
    "minute": (0, 59),
    "second": (0, 59),
}
TEXT_LOOKUPS = {"contains", "icontains", "startswith", "istartswith", "endswith", "iendswith"}
REGEX_LOOKUPS = {"regex", "iregex"}
# The changelist's own parameters (Django's ChangeList), not filters.
CHANGELIST_PARAMETERS = {"all", "o", "p", "q", "e", "_popup", "_to_field", "_facets",
                         "_changelist_filters"}  # fmt: skip


class Untrusted(ValueError):
    """A value from a request that the database cannot take; its message says why."""


def check_text(value: str, what: str) -> str:
    if "\x00" in value:
        raise Untrusted(f"{what} holds a NUL character (\\x00), which no text here may hold.")
    surrogate = SURROGATE.search(value)
    if surrogate:
        code = f"\\u{ord(surrogate.group()):04x}"
        raise Untrusted(f"{what} holds a lone surrogate ({code}), which is not a character.")
    return value


def problems_in_data(data, field: str = "non_field_errors", problems=None) -> dict:
    """Every string (keys too) of a decoded JSON body, checked: {top-level field: [sentences]}."""
    problems = {} if problems is None else problems
    if isinstance(data, str):
        try:
            check_text(data, "This value")
        except Untrusted as error:
            problems.setdefault(field, []).append(str(error))
    elif isinstance(data, dict):
        for key, value in data.items():
            name = field if field != "non_field_errors" else key
            problems_in_data(key, name, problems)
            problems_in_data(value, name, problems)
    elif isinstance(data, list):
        for item in data:
            problems_in_data(item, field, problems)
    return problems


def _integer_range(field) -> tuple[int, int]:
    low, high = connection.ops.integer_field_range(field.get_internal_type())
    return (-(2**63) if low is None else low), (2**63 - 1 if high is None else high)


def field_value(field, raw: str, what: str):
    """``raw`` as ``field`` stores it, or Untrusted saying why it cannot be."""
    check_text(raw, what)
    target = getattr(field, "target_field", None)
    field = target if target is not None else field
    try:
        value = field.to_python(raw)
    except (ValidationError, ValueError, TypeError, OverflowError):
        raise Untrusted(f"{what} is not a valid {field.description.lower()}: {raw!r}.") from None
    if isinstance(field, models.IntegerField | models.AutoField) and value is not None:
        low, high = _integer_range(field)
        if not low <= value <= high:
            raise Untrusted(f"{what} is out of range: {raw!r}.")
    return value


def pk_value(model, raw: str):
    return field_value(model._meta.pk, str(raw), f"The id of a {model._meta.verbose_name}")


def regex_value(pattern: str, what: str) -> str:
    """A regular expression as the database will compile it (PostgreSQL's own dialect; SQLite's
    is Python's ``re``, which Django runs for it)."""
    check_text(pattern, what)
    if connection.vendor == "postgresql":
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT '' ~ %s", [pattern])
        except DatabaseError:
            raise Untrusted(f"{what} is not a regular expression the database reads.") from None
    else:
        try:
            re.compile(pattern)
        except (re.error, OverflowError, RecursionError) as error:
            raise Untrusted(f"{what} is not a valid regular expression ({error}).") from None
    return pattern


def _field_path(model, parts: list[str]):
    """The field a filter's leading parts name (following relations), and the parts left."""
    field = None
    for index, part in enumerate(parts):
        current = model if field is None else field.related_model
        if current is None:
            return field, parts[index:]
        try:
            field = current._meta.get_field("pk" if part == "pk" else part)
        except FieldDoesNotExist:
            if part == "pk":
                field = current._meta.pk
                continue
            return field, parts[index:]
    return field, []


def lookup_value(model, lookup: str, raw: str):
    """A URL filter's value checked against the field and lookup it names. A parameter that names
    no field is left alone (a list filter of the admin's own reads it)."""
    what = f"The filter {lookup}"
    check_text(raw, what)
    field, rest = _field_path(model, lookup.split("__"))
    if field is None:
        return raw
    if field.is_relation and (field.many_to_many or field.one_to_many):
        field = field.related_model._meta.pk
    transform = rest[0] if rest and rest[0] in PART_RANGES else None
    lookup_name = (rest[1:] if transform else rest)[:1]
    lookup_name = lookup_name[0] if lookup_name else "exact"
    if lookup_name == "isnull":
        return raw
    values = raw.split(",") if lookup_name in ("in", "range") else [raw]
    for value in values:
        if transform:
            low, high = PART_RANGES[transform]
            if not (value.strip().isascii() and value.strip().lstrip("-").isdigit()):
                raise Untrusted(f"{what} takes a whole number from {low} to {high}: {raw!r}.")
            if not low <= int(value) <= high:
                raise Untrusted(f"{what} takes a whole number from {low} to {high}: {raw!r}.")
        elif lookup_name in REGEX_LOOKUPS:
            regex_value(value, what)
        elif lookup_name in TEXT_LOOKUPS or lookup_name == "iexact":
            continue  # text searched for: NUL and surrogates were the only danger
        else:
            field_value(field, value, what)
    return raw


def _bad_input(request, sentence: str):
    body = render_to_string(
        "admin/bad_input.html", {"sentence": sentence, "back": reverse("admin:index")}, request
    )
    return HttpResponseBadRequest(body)


class UntrustedAdminInputMiddleware:
    """Before any admin view runs: its URL's object id (a 404 when no object can have it), every
    query value, a changelist's field filters and a bulk action's selection (a 400 page with the
    sentence of what is wrong)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path_info.startswith(reverse("admin:index")):
            return None
        # The ModelAdmin method under the admin's wrappers, and its arguments by name
        # (simple-history's URLs pass them positionally).
        method = inspect.unwrap(view_func, stop=lambda f: hasattr(f, "__self__"))
        model = getattr(getattr(method, "__self__", None), "model", None)
        try:
            arguments = inspect.signature(method).bind_partial(request, *view_args, **view_kwargs)
            view_kwargs = arguments.arguments
        except TypeError:
            pass
        try:
            if model is not None and "object_id" in view_kwargs:
                try:
                    pk_value(model, unquote(view_kwargs["object_id"]))
                except Untrusted:
                    raise Http404(f"There is no {model._meta.verbose_name} with that id.") from None
            # simple-history's page of one past version: a history row's id.
            version = str(view_kwargs.get("version_id", "0"))
            if not (version.isascii() and version.isdigit() and int(version) < 2**63):
                raise Http404("There is no such version.")
            for key, values in request.GET.lists():
                check_text(key, "A parameter's name")
                for value in values:
                    check_text(value, f"The value of {key}")
            if model is not None and method.__name__ == "changelist_view":
                self.check_changelist(request, model)
            if model is not None and method.__name__ == "add_view":
                self.check_initial(request, model)
        except Untrusted as error:
            return _bad_input(request, str(error))
        return None

    def check_initial(self, request, model) -> None:
        """An add page's initial values from its URL (``?article=12``): the related ids must be
        ids (a list of them, comma-separated, for many-to-many fields, as Django reads them)."""
        for key, value in request.GET.items():
            try:
                field = model._meta.get_field(key)
            except FieldDoesNotExist:
                continue
            if not field.is_relation:
                continue
            target = field.related_model._meta.pk
            for item in value.split(",") if field.many_to_many else [value]:
                field_value(target, item, f"The initial {field.verbose_name}")

    def check_changelist(self, request, model) -> None:
        for key, values in request.GET.lists():
            if key in CHANGELIST_PARAMETERS:
                continue
            for value in values:
                lookup_value(model, key, value)
        if request.method == "POST":
            for selected in request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME):
                try:
                    pk_value(model, selected)
                except Untrusted as error:
                    raise Untrusted(
                        f"The selection holds something that is not an id ({error}); "
                        "nothing was done. Select the rows again."
                    ) from None
