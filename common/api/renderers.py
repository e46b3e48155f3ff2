"""JSON rendered with orjson: several times faster than the standard library on big lists."""

import orjson
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"
    format = "json"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        # str() for lazy translations in DRF's messages; datetimes as ISO 8601 with "Z" for UTC.
        return orjson.dumps(data, default=str, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS)


class JSONLDRenderer(ORJSONRenderer):
    """JSON-LD (schema.org ClaimReview): the same bytes as JSON, under the type crawlers ask for.
    ``Accept: application/ld+json`` matches with or without a ``profile`` parameter."""

    media_type = "application/ld+json"
    format = "jsonld"


class LinkedDataNegotiation(DefaultContentNegotiation):
    """For endpoints that speak JSON-LD first (renderers: JSON, then JSON-LD). No Accept, or
    only wildcards, gets JSON-LD; ``application/json`` gets the same document as JSON. JSON stays
    first in the list so that DRF's fallback for a 406 writes the one error shape as JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        accept = request.META.get("HTTP_ACCEPT", "").strip()
        wildcards = {"*/*", "application/*"}
        if not accept or all(t.split(";")[0].strip() in wildcards for t in accept.split(",")):
            for renderer in renderers:
                if isinstance(renderer, JSONLDRenderer):
                    return renderer, renderer.media_type
        return super().select_renderer(request, renderers, format_suffix)


LINKED_DATA = {
    "renderer_classes": [ORJSONRenderer, JSONLDRenderer],
    "content_negotiation_class": LinkedDataNegotiation,
}
