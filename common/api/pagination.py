"""Cursor pagination: stable however deep, with a bounded page size."""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

MAX_PAGE_SIZE = 500


class StableCursorPagination(CursorPagination):
    """A cursor, not a page number: the 1,000th page costs what the first does (an indexed
    range, never an OFFSET over everything before), and rows added meanwhile never shift it."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = "-id"

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {"page_size": [f"page_size must be a whole number from 1 to {self.max_page_size}."]}
            )
        return int(raw)

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError(
                {
                    "cursor": [
                        "This is not a cursor the API gave out: follow the next and previous links."
                    ]
                }
            ) from None
