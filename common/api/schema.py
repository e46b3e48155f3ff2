"""OpenAPI pieces every endpoint shares: the response headers and conditional request headers
(drf-spectacular objects), so the schema says what the API sends and takes."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="A strong tag of this representation: send it in If-None-Match (304 when "
    "unchanged) or, to change the object, in If-Match.",
    response=True,
)
LAST_MODIFIED_HEADER = OpenApiParameter(
    "Last-Modified",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="When the feed last changed (HTTP date): send it back in If-Modified-Since.",
    response=True,
)
CACHE_CONTROL_HEADER = OpenApiParameter(
    "Cache-Control",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="public, max-age=… for anonymous reads; private, no-store with a token.",
    response=True,
)
LOCATION_HEADER = OpenApiParameter(
    "Location",
    OpenApiTypes.URI,
    OpenApiParameter.HEADER,
    description="The URL of the object just created.",
    response=True,
)
RETRY_AFTER_HEADER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    description="Seconds to wait before the next request.",
    response=True,
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="An ETag from an earlier GET: 304 Not Modified, without a body, if unchanged.",
)
IF_MODIFIED_SINCE = OpenApiParameter(
    "If-Modified-Since",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="An HTTP date (Last-Modified of an earlier GET): 304 if nothing changed since.",
)

ERROR_DESCRIPTIONS = {
    400: "Invalid input: the detail and errors say what and where.",
    401: "The token is wrong (send `Authorization: Token <key>`, or no token to read as anyone).",
    403: "Your role does not allow this.",
    404: "No such object, or not one you may see.",
    406: "None of the media types in Accept is one this endpoint writes.",
    409: "Someone else changed the claim while this request was being made.",
    412: "If-Match does not match the object's current ETag: read it again.",
    413: "The request body is too large.",
    415: "The body is not JSON (send Content-Type: application/json).",
    428: "PUT and PATCH need If-Match with the ETag from a GET.",
    429: "Too many requests: wait for Retry-After seconds.",
}


def errors(*codes: int) -> dict:
    """Error responses in the one shape, by status (their headers: see ``postprocess``)."""
    from drf_spectacular.utils import OpenApiResponse

    from claims.api.serializers import ErrorSerializer

    return {
        code: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code])
        for code in codes
    }
