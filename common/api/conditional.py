"""ETags on detail responses and If-Match on writes, so a stale write never overwrites anything.

The ETag is a hash of the object's representation: whatever changes what a client sees changes
the tag. PUT and PATCH must send If-Match (428 without it); a tag that no longer matches the
object, read again under a row lock inside the write's transaction, is refused with 412.

If-Match uses the strong comparison (RFC 9110 13.1.1): a weak tag (W/"...") can never match,
and a header that is not a list of quoted tags or ``*`` is malformed. Both are a 400 that says
so, rather than a 412 claiming the object changed. ``*`` means "whatever the current version".
"""

import hashlib
import re

import orjson
from django.db import transaction
from django.urls import reverse
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .errors import PreconditionFailed, PreconditionRequired


def etag_for(data) -> str:
    payload = orjson.dumps(
        data, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS | orjson.OPT_UTC_Z, default=str
    )
    return '"' + hashlib.sha256(payload).hexdigest()[:32] + '"'


# An entity-tag: optional W/, then a quoted string of etagc characters (no " or spaces).
ENTITY_TAG = re.compile(r'\s*(W/)?("[\x21\x23-\x7e\x80-\xff]*")\s*(?:,|$)')


def if_match_tags(request) -> list[str] | None:
    """The strong tags of If-Match, ["*"] for any, None when absent; a 400 when weak or malformed."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    if header.strip() == "*":
        return ["*"]
    tags, position = [], 0
    while position < len(header):
        match = ENTITY_TAG.match(header, position)
        if match is None or match.end() == position:
            raise ValidationError(
                {
                    "If-Match": [
                        "If-Match must be the ETag exactly as a GET returned it, quotes "
                        'included (If-Match: "3f2a…"), or * for any version.'
                    ]
                }
            )
        if match.group(1):
            raise ValidationError(
                {
                    "If-Match": [
                        'If-Match compares strongly: a weak tag (W/"…") never matches. Send '
                        "the ETag exactly as a GET returned it, without W/."
                    ]
                }
            )
        tags.append(match.group(2))
        position = match.end()
    if not tags:
        raise ValidationError({"If-Match": ["If-Match is empty: send the ETag from a GET."]})
    return tags


class ConditionalMixin:
    """For ModelViewSets: ETag on retrieve; If-Match required and checked on update; a 201
    says where the new object is (Location)."""

    def get_success_headers(self, data):
        # DRF puts data["url"] in Location: an article's url is the article's address elsewhere
        # (or ""), not this object's. finalize_response below sets the right one.
        return {}

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        created = response.status_code == 201 and isinstance(data, dict) and "id" in data
        if created and not response.has_header("Location"):
            name = f"{request.resolver_match.namespace}:{self.basename}-detail"
            response["Location"] = request.build_absolute_uri(
                reverse(name, kwargs={self.lookup_field: data["id"]})
            )
        return response

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.get_serializer(instance).data
        return Response(data, headers={"ETag": etag_for(data)})

    def check_if_match(self, request, instance) -> None:
        tags = if_match_tags(request)
        if tags is None:
            raise PreconditionRequired()
        if "*" in tags:
            return
        if etag_for(self.get_serializer(instance).data) not in tags:
            raise PreconditionFailed()

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        with transaction.atomic():
            instance = self.get_object()
            # Lock the row, then compare against what it is now, inside the write's transaction.
            locked = type(instance).objects.select_for_update().filter(pk=instance.pk)
            list(locked)
            instance = self.get_object()
            self.check_if_match(request, instance)
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            self.perform_update(serializer)
            # Read back under the row's lock, before the commit: the answer is what this write
            # made, never what a writer after it made.
            data = self.get_serializer(self.get_object()).data
        return Response(data, headers={"ETag": etag_for(data)})
