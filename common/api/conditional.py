"""ETags on detail responses and If-Match on writes, so a stale write never overwrites anything.

The ETag is a hash of the object's representation: whatever changes what a client sees changes
the tag. PUT and PATCH must send If-Match (428 without it); a tag that no longer matches the
object, read again under a row lock inside the write's transaction, is refused with 412.
"""

import hashlib

import orjson
from django.db import transaction
from rest_framework.response import Response

from .errors import PreconditionFailed, PreconditionRequired


def etag_for(data) -> str:
    payload = orjson.dumps(
        data, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS | orjson.OPT_UTC_Z, default=str
    )
    return '"' + hashlib.sha256(payload).hexdigest()[:32] + '"'


def if_match_tags(request) -> list[str] | None:
    header = request.headers.get("If-Match")
    if header is None:
        return None
    tags = [t.strip() for t in header.split(",") if t.strip()]
    return [t[2:] if t.startswith("W/") else t for t in tags]


class ConditionalMixin:
    """For ModelViewSets: ETag on retrieve; If-Match required and checked on update."""

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
        instance = self.get_object()
        data = self.get_serializer(instance).data
        return Response(data, headers={"ETag": etag_for(data)})
