"""A JSON parser that refuses bodies over the limit (413) and bodies nested beyond a sane depth
(400), each before the JSON is decoded."""

import io
import re

from django.conf import settings
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import JSONParser

from common.untrusted import problems_in_data

# No body this API takes is nested more than a few levels; 1,000 levels was a RecursionError.
MAX_DEPTH = 32
STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
BRACKETS = re.compile(rb"[\[\]{}]")


def nesting_depth(body: bytes) -> int:
    """How deep arrays and objects nest, brackets inside strings aside (no decoding needed)."""
    depth = deepest = 0
    for match in BRACKETS.finditer(STRINGS.sub(b"", body)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_BODY_BYTES
        # APIRequestMiddleware already refused a declared length over the limit; a body that
        # came without one is still read no further than the limit.
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            # Imported here: errors imports DRF's views, whose settings import this module.
            from .errors import RequestTooLarge

            raise RequestTooLarge(
                f"The request body is larger than {limit:,} bytes, the most this API accepts."
            )
        if not body.strip():
            raise ParseError("The request body is empty: send a JSON object.")
        if nesting_depth(body) > MAX_DEPTH:
            raise ParseError(
                f"The request body is nested too deeply (more than {MAX_DEPTH} levels of arrays "
                "and objects)."
            )
        try:
            data = super().parse(io.BytesIO(body), media_type, parser_context)
        except ParseError as error:
            raise ParseError(f"The request body is not valid JSON ({error.detail}).") from error
        # NUL characters and lone surrogates ("\ud800") are valid JSON escapes but no text the
        # database stores or the renderer writes: refused here, by field (common/untrusted.py).
        problems = problems_in_data(data)
        if problems:
            raise ValidationError(problems)
        return data
