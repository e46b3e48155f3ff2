"""OpenAPI pieces every endpoint shares: the response headers and conditional request headers
(drf-spectacular objects), so the schema says what the API sends and takes."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from .errors import ErrorSerializer
from .pagination import UnknownCursor

LAST_MODIFIED_HEADER = OpenApiParameter(
    "Last-Modified",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="When the feed last changed (HTTP date): send it back in If-Modified-Since.",
    response=True,
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
    411: "A chunked body the server could not read: send Content-Length.",
    413: "The request body is too large.",
    414: "The URL is longer than 8,190 bytes (the request line's limit).",
    415: "The body is not JSON (send Content-Type: application/json).",
    428: "PUT and PATCH need If-Match with the ETag from a GET.",
    429: "Too many requests: wait for Retry-After seconds.",
}


def errors(*codes: int) -> dict:
    """Error responses in the one shape, by status (their headers: see ``postprocess``)."""
    return {
        code: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code])
        for code in codes
    }


# -- the schema, made to say exactly what the API does ------------------------------------------

MAX_ID = 2**63 - 1
PATH_ID_MAX = 10**18 - 1  # lookup_value_regex: at most 18 digits
ID_PARAMETERS = {"article", "outlet", "claim", "source"}
BOUNDS = {
    "page_size": {"type": "integer", "minimum": 1, "maximum": 500},
    # The cursor is the "next" link's, opaque: URL-safe base64 (common/api/pagination.py); one
    # the API did not give out names no page, a 404.
    "cursor": {"type": "string", "maxLength": 1000, "pattern": "^[A-Za-z0-9+/_=-]*$"},
}
# If-Match is * or the ETag a GET returned (etag_for: 32 hex digits in quotes). The API also reads
# a list of strong tags (RFC 9110), which a client of this API never needs to send.
NO_NUL = "^[^\\u0000]*$"


def _free_text(schema: dict) -> bool:
    return schema.get("type") == "string" and not {"enum", "pattern", "format"} & schema.keys()


IF_MATCH_SCHEMA = {"type": "string", "pattern": '^(\\*|"[0-9a-f]{32}")$'}


def _header(description: str, schema: dict | None = None) -> dict:
    return {"schema": schema or {"type": "string"}, "description": description}


RESPONSE_HEADERS = {
    "ETag": _header("A strong tag of this representation (If-None-Match, If-Match)."),
    "Cache-Control": _header(
        "public, max-age=… for anonymous reads; private, no-store with a token or session."
    ),
    "Vary": _header("Accept, Authorization, Cookie (and Origin)."),
}
LOCATION = _header("The URL of the object just created.", {"type": "string", "format": "uri"})
RETRY_AFTER = _header("Seconds to wait before the next request.", {"type": "integer"})
ERROR_REF = {"$ref": "#/components/schemas/Error"}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}


def postprocess(result, generator, request, public):
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete", "head", "options"):
                continue
            _parameters(operation)
            responses = operation.setdefault("responses", {})
            if any(
                p.get("in") == "query" and p.get("name") == "cursor"
                for p in operation.get("parameters", [])
            ):
                responses.setdefault("404", _error(str(UnknownCursor.default_detail)))
            if method == "get":
                # Reads need no token: anonymous clients see published verdicts.
                security = operation.setdefault("security", [])
                if {} not in security:
                    security.append({})
                ok = responses.get("200")
                if ok is not None:
                    ok.setdefault("headers", {}).update(RESPONSE_HEADERS)
                responses.setdefault(
                    "304",
                    {
                        "description": "Not modified: the ETag in If-None-Match (or the date in "
                        "If-Modified-Since) is still current.",
                        "headers": {"ETag": RESPONSE_HEADERS["ETag"]},
                    },
                )
                operation.setdefault("parameters", []).append(
                    {
                        "in": "header",
                        "name": "If-None-Match",
                        "required": False,
                        "schema": {"type": "string"},
                        "description": "An ETag from an earlier GET: 304 if unchanged.",
                    }
                )
            if "201" in responses:
                responses["201"].setdefault("headers", {}).update(
                    {"Location": LOCATION, "ETag": RESPONSE_HEADERS["ETag"]}
                )
            if method in ("put", "patch") and "200" in responses:
                responses["200"].setdefault("headers", {})["ETag"] = RESPONSE_HEADERS["ETag"]
            if "requestBody" in operation:
                responses.setdefault("411", _error(ERROR_DESCRIPTIONS[411]))
                responses.setdefault("413", _error(ERROR_DESCRIPTIONS[413]))
                responses.setdefault("415", _error(ERROR_DESCRIPTIONS[415]))
            responses.setdefault("406", _error(ERROR_DESCRIPTIONS[406]))
            responses.setdefault("414", _error(ERROR_DESCRIPTIONS[414]))
            responses.setdefault("429", _error(ERROR_DESCRIPTIONS[429]))
            responses["429"].setdefault("headers", {})["Retry-After"] = RETRY_AFTER
        _links(result["paths"], path, operations)
    _closed_request_bodies(result)
    return result


def _closed_request_bodies(result: dict) -> None:
    """Every request body takes only the fields it names: the API answers an unknown field with
    a 400 naming it (common.api.strict), so its schema says ``additionalProperties: false``."""
    components = result.get("components", {}).get("schemas", {})
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for content in operation.get("requestBody", {}).get("content", {}).values():
                ref = content.get("schema", {}).get("$ref", "")
                name = ref.rpartition("/")[2]
                if name in components:
                    components[name]["additionalProperties"] = False


def _links(paths: dict, path: str, operations: dict) -> None:
    """OpenAPI links from a created object (and from a list's first row) to every operation on
    it, so that a client, or Schemathesis's stateful phase, follows real ids instead of guessing."""
    targets = {
        f"{method}:{target}": operation["operationId"]
        for target, target_operations in paths.items()
        if target.startswith(path + "{id}/")
        for method, operation in target_operations.items()
        if isinstance(operation, dict) and "operationId" in operation
    }
    if not targets:
        return
    created = operations.get("post", {}).get("responses", {}).get("201")
    if created is not None:
        created["links"] = {
            operation_id: {
                "operationId": operation_id,
                "parameters": {
                    "path.id": "$response.body#/id",
                    # A write needs the ETag the creation returned.
                    **(
                        {"header.If-Match": "$response.header.ETag"}
                        if key.split(":")[0] in ("put", "patch")
                        else {}
                    ),
                },
            }
            for key, operation_id in targets.items()
        }


def _parameters(operation: dict) -> None:
    for parameter in operation.get("parameters", []):
        name, where = parameter.get("name"), parameter.get("in")
        if where == "path" and name == "id":
            parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": PATH_ID_MAX}
        elif (
            where == "query"
            and name in ID_PARAMETERS
            # A filter that takes more than ids (claims' article: an id or a slug) says so itself.
            and parameter.get("schema", {}).get("type") != "string"
        ):
            parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        elif where == "header" and name == "If-Match":
            parameter["schema"] = dict(IF_MATCH_SCHEMA)
        elif where == "query" and name in BOUNDS:
            parameter["schema"] = dict(BOUNDS[name])
        elif parameter.get("schema", {}).get("type") == "boolean":
            parameter["schema"] = {"type": "boolean"}
        elif where == "query" and _free_text(parameter.get("schema", {})):
            # No text the API stores or compares may hold NUL (common.untrusted): a 400.
            parameter["schema"]["pattern"] = NO_NUL
