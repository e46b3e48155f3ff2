"""Cursor pagination: stable however deep, with a bounded page size.

Both the cursor and page_size come from the client, never a 500 from a value the database cannot
compare (a position "abc", a NUL byte, a date out of range): a page size that is not ASCII digits
from 1 to 500 is a 400 naming the parameter; a cursor the API did not give out names a page that
does not exist, a 404 (as DRF's own cursor pagination answers) naming the parameter. A cursor is
opaque: no schema can tell a real one from a string of the same characters, so its refusal is
"no such page", not "this request is malformed"."""

import datetime as dt
import re

from django.core.exceptions import FieldDoesNotExist
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination

from common.untrusted import Untrusted, field_value

MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 100
ASCII_DIGITS = re.compile(r"[0-9]{1,4}")


class UnknownCursor(NotFound):
    default_detail = (
        "There is no such page: this is not a cursor the API gave out (for this ordering). "
        "Follow the next and previous links."
    )


class StableCursorPagination(CursorPagination):
    """A cursor, not a page number: the 1,000th page costs what the first does (an indexed
    range, never an OFFSET over everything before), and rows added meanwhile never shift it."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = "-id"

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        # str.isdigit() is true for "²" and "١", which int() refuses or reads as another number.
        if not ASCII_DIGITS.fullmatch(raw) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {"page_size": [f"page_size must be a whole number from 1 to {self.max_page_size}."]}
            )
        return int(raw)

    def ranked_page_size(self, request) -> int:
        """The size of a ranked search's one page (the best matches, ``q=``). That page gives
        out no cursor, so a cursor sent with it names no page: a 404, as for any cursor the API
        did not give out, never the first page answered as though it were the one asked for."""
        if request.query_params.get(self.cursor_query_param) is not None:
            raise UnknownCursor()
        return self.get_page_size(request)

    def paginate_queryset(self, queryset, request, view=None):
        self._model = getattr(queryset, "model", None)
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise UnknownCursor() from None
        if cursor is None or cursor.position is None:
            return cursor
        return Cursor(cursor.offset, cursor.reverse, self._checked_position(cursor.position))

    def _checked_position(self, position: str):
        """The position as the ordering field's own type, or a 404: the cursor is base64 the
        client can rewrite, so its position is input like any other (common/untrusted.py)."""
        if self._model is None:
            raise UnknownCursor()
        name = self.ordering[0].lstrip("-")
        try:
            value = field_value(self._model._meta.get_field(name), position, "The cursor")
        except (FieldDoesNotExist, Untrusted):
            raise UnknownCursor() from None
        if value is None:
            raise UnknownCursor()
        if isinstance(value, dt.datetime):
            try:  # an offset that takes it past year 1 or 9999 once in UTC
                if value.tzinfo is not None:
                    value.astimezone(dt.UTC)
            except OverflowError:
                raise UnknownCursor() from None
        return value
