"""One JSON shape for every API error.

    {"type": "validation_error", "status": 400, "detail": "A sentence a person can act on.",
     "errors": {"field": ["What is wrong with it."]}}

``errors`` is present when the error is about particular fields; ``non_field_errors`` holds the
rest. DRF's errors, Django's (validation, permission, 404) and the URL-level 404/500 of /api/
all come out in this shape.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


# The shape above, for the schema (common.api.schema.errors). A comment, not a docstring: the
# docstring would become the schema's description.
class ErrorSerializer(serializers.Serializer):
    type = serializers.CharField(
        help_text="A stable code: validation_error, not_found, precondition_failed, …"
    )
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="A sentence a person can act on.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For validation errors: the problems, by field (non_field_errors for the rest).",
    )


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = (
        "Send If-Match with the ETag of the version you are changing (read it from a GET first)."
    )
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The object changed since the version you sent in If-Match: read it again, then apply your change."
    default_code = "precondition_failed"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


TYPES = {
    400: "validation_error",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    411: "length_required",
    412: "precondition_failed",
    413: "request_too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    428: "precondition_required",
    429: "throttled",
    500: "server_error",
}


def error_body(
    status_code: int, detail: str, errors: dict | None = None, type_: str | None = None
) -> dict:
    body = {
        "type": type_ or TYPES.get(status_code, "error"),
        "status": status_code,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return body


def _flatten(detail) -> list[str]:
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _flatten(value)]
    if isinstance(detail, list):
        return [m for item in detail for m in _flatten(item)]
    return [str(detail)]


def _as_drf(exc):
    api_status = getattr(exc, "api_status", None)  # a domain error that names its HTTP status
    if api_status is not None:
        translated = exceptions.APIException(str(exc))
        translated.status_code = api_status
        return translated
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(
                {
                    ("non_field_errors" if k == "__all__" else k): v
                    for k, v in exc.message_dict.items()
                }
            )
        return exceptions.ValidationError({"non_field_errors": exc.messages})
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        return exceptions.NotFound(str(exc) or None)
    return exc


def api_exception_handler(exc, context):
    exc = _as_drf(exc)
    request = context.get("request")
    if getattr(getattr(request, "accepted_renderer", None), "format", None) == "jsonld":
        # Errors are JSON everywhere (the schema says so), also on the JSON-LD endpoints.
        from .renderers import ORJSONRenderer

        request.accepted_renderer = ORJSONRenderer()
        request.accepted_media_type = ORJSONRenderer.media_type
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500 handling (api_server_error) answers
    code = response.status_code
    if isinstance(exc, exceptions.ValidationError):
        data = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        messages = _flatten(data)
        detail = (
            messages[0]
            if len(messages) == 1
            else f"{len(messages)} problems with the request: " + " ".join(messages)
        )
        body = error_body(code, detail, {k: _flatten(v) for k, v in data.items()})
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        # DRF's own codes say more than the status alone (parse_error, authentication_failed).
        type_ = getattr(exc, "default_code", None)
        body = error_body(
            code, " ".join(_flatten(detail)), type_=None if type_ in (None, "error") else type_
        )
    return Response(
        body,
        status=code,
        headers={
            k: v for k, v in response.items() if k in ("Retry-After", "WWW-Authenticate", "Allow")
        },
    )


def api_not_found(request, exception=None):
    return JsonResponse(error_body(404, f"There is no API endpoint at {request.path}."), status=404)


def api_server_error(request):
    return JsonResponse(
        error_body(500, "Something went wrong on our side; it has been logged. Try again later."),
        status=500,
    )
