"""A JSON parser that refuses bodies over the limit (413) before reading them whole."""

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from .errors import RequestTooLarge


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_BODY_BYTES
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        too_large = RequestTooLarge(
            f"The request body is larger than {limit:,} bytes, the most this API accepts."
        )
        if declared and declared.isdigit() and int(declared) > limit:
            raise too_large
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise too_large
        if not body.strip():
            raise ParseError("The request body is empty: send a JSON object.")
        import io

        try:
            return super().parse(io.BytesIO(body), media_type, parser_context)
        except ParseError as error:
            raise ParseError(f"The request body is not valid JSON ({error.detail}).") from error
