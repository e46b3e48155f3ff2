"""A test-only URL configuration: a write that commits, then loses the database while it builds
its answer (as a re-read after the commit would when PostgreSQL's connections are killed)."""

from django.db import OperationalError, transaction
from django.urls import include, path
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.response import Response

from common.outage import answer_if_lost_after_commit
from common.writes import writing_outside_services
from sources.models import Outlet, OutletKind


@api_view(["POST"])
@authentication_classes([])
@permission_classes([])
def write_then_lose_the_database(request):
    with transaction.atomic(), writing_outside_services():  # a test's stand-in for a service
        outlet = Outlet.objects.create(
            name=request.data["name"], kind=OutletKind.NEWSPAPER, homepage=""
        )
    answer_if_lost_after_commit(
        request, {"id": outlet.pk, "name": outlet.name}, status=201, headers={"ETag": '"1"'}
    )
    if request.data.get("lose_it"):
        # What psycopg raises when the server ends the connection under the request.
        raise OperationalError("server closed the connection unexpectedly")
    return Response({"id": outlet.pk, "name": outlet.name, "read_again": True}, status=201)


@api_view(["GET"])
@authentication_classes([])
@permission_classes([])
def read_while_the_database_is_gone(request):
    raise OperationalError("connection refused")


urlpatterns = [
    path("api/v1/write/", write_then_lose_the_database),
    path("api/v1/read/", read_while_the_database_is_gone),
    path("", include("tracker.urls")),
]
