"""API endpoints: thin. Each scopes its queryset to what the caller may see, selects and
prefetches there, and writes through claims.services / sources.services."""

import orjson
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from claims import services
from claims.claimreview import claim_review
from claims.models import (
    Claim,
    CorrectionNote,
    Evidence,
    ReviewEvent,
    StateChange,
)
from claims.visibility import (
    is_desk_member,
    visible_articles,
    visible_claims,
    visible_evidence,
    visible_outlets,
    visible_sources,
)
from common.api.conditional import ConditionalMixin, etag_for, if_match_tags
from common.api.errors import PreconditionFailed, PreconditionRequired
from sources.serializers import OutletSerializer, SourceSerializer

from . import serializers as s
from .filters import ArticleFilter, ClaimFilter, EvidenceFilter, SourceFilter
from .representation import claim_rows, represent


def errors(*codes: int) -> dict:
    descriptions = {
        400: "Invalid input: the detail and errors say what and where.",
        401: "The token is missing or wrong (send `Authorization: Token <key>`).",
        403: "Your role does not allow this.",
        404: "No such object, or not one you may see.",
        409: "Someone else changed the claim while this request was being made.",
        412: "If-Match does not match the object's current ETag: read it again.",
        413: "The request body is too large.",
        428: "PUT and PATCH need If-Match with the ETag from a GET.",
        429: "Too many requests: wait for Retry-After seconds.",
    }
    return {
        code: OpenApiResponse(s.ErrorSerializer, description=descriptions[code]) for code in codes
    }


READ_ERRORS = (400, 401, 429)
WRITE_ERRORS = (400, 401, 403, 413, 429)
UPDATE_ERRORS = (*WRITE_ERRORS, 404, 412, 428)
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the version you change.",
)


def crud_schema(name: str, serializer, request_serializer=None):
    request_serializer = request_serializer or serializer
    return extend_schema_view(
        list=extend_schema(
            summary=f"List {name}", responses={200: serializer(many=True), **errors(*READ_ERRORS)}
        ),
        retrieve=extend_schema(
            summary=f"One of the {name}, with its ETag",
            responses={200: serializer, **errors(401, 404, 429)},
        ),
        create=extend_schema(
            summary=f"Record one of the {name}",
            request=request_serializer,
            responses={201: serializer, **errors(*WRITE_ERRORS)},
        ),
        update=extend_schema(
            summary="Replace (If-Match required)",
            parameters=[IF_MATCH],
            request=request_serializer,
            responses={200: serializer, **errors(*UPDATE_ERRORS)},
        ),
        partial_update=extend_schema(
            summary="Change some fields (If-Match required)",
            parameters=[IF_MATCH],
            request=request_serializer,
            responses={200: serializer, **errors(*UPDATE_ERRORS)},
        ),
    )


class ReadWriteViewSet(
    ConditionalMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, retrieve (with ETag), create and update (If-Match required). No delete over the API."""

    # Ids only: anything else (or a number too large to be an id) is a 404 before any query.
    lookup_value_regex = r"[0-9]{1,18}"

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        response["ETag"] = etag_for(response.data)
        return response


@crud_schema("outlets", OutletSerializer)
class OutletViewSet(ReadWriteViewSet):
    """Who publishes sources: news agencies, newspapers, government bodies, military commands."""

    queryset = OutletSerializer.Meta.model.objects.all()
    serializer_class = OutletSerializer
    ordering_fields = ["id", "name"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return visible_outlets(self.request.user)


@crud_schema("sources", SourceSerializer)
class SourceViewSet(ReadWriteViewSet):
    """Pieces of evidence (reports, statements, documents, unnamed people) with their provenance:
    `derived_from` lists the sources each rests on. A loop is refused with its path."""

    queryset = SourceSerializer.Meta.model.objects.all()
    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    ordering_fields = ["id", "published_on", "updated_at"]

    def get_queryset(self):
        return visible_sources(self.request.user).prefetch_related("derived_from")


@crud_schema("articles", s.ArticleSerializer)
class ArticleViewSet(ReadWriteViewSet):
    """The pieces being checked, with their full text (claims are anchored to passages of it)."""

    queryset = s.ArticleSerializer.Meta.model.objects.all()
    serializer_class = s.ArticleSerializer
    filterset_class = ArticleFilter
    ordering_fields = ["id", "published_on", "updated_at"]

    def get_queryset(self):
        return visible_articles(self.request.user)

    def perform_create(self, serializer):
        article = serializer.Meta.model(**serializer.validated_data)
        services.save_article(article=article, author=self.request.user)
        serializer.instance = article

    def perform_update(self, serializer):
        article = serializer.instance
        for key, value in serializer.validated_data.items():
            setattr(article, key, value)
        services.save_article(article=article, author=self.request.user)


@crud_schema("evidence", s.EvidenceSerializer)
class EvidenceViewSet(ReadWriteViewSet):
    """The link between a claim and a source: its stance (supports, contradicts, context), the
    excerpt that matters and a note. One per claim and source."""

    queryset = Evidence.objects.all()
    serializer_class = s.EvidenceSerializer
    filterset_class = EvidenceFilter
    ordering_fields = ["id"]

    def get_queryset(self):
        return visible_evidence(self.request.user).prefetch_related("origins")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.link_evidence(
            claim=data["claim"],
            source=data["source"],
            stance=data["stance"],
            excerpt=data.get("excerpt", ""),
            note=data.get("note", ""),
            origins=data.get("origins"),
            author=self.request.user,
        )

    def perform_update(self, serializer):
        evidence = serializer.instance
        data = dict(serializer.validated_data)
        origins = data.pop("origins", None)
        for key, value in data.items():
            setattr(evidence, key, value)
        services.save_evidence(evidence=evidence, author=self.request.user, origins=origins)


@extend_schema_view(
    list=extend_schema(
        summary="List claims, with their evidence, independence and verdict",
        responses={200: s.ClaimSerializer(many=True), **errors(*READ_ERRORS)},
    ),
    retrieve=extend_schema(
        summary="One claim, with its ETag",
        responses={200: s.ClaimSerializer, **errors(401, 404, 429)},
    ),
    create=extend_schema(
        summary="Record a claim (its quote is found in the article's text)",
        request=s.ClaimWriteSerializer,
        responses={201: s.ClaimSerializer, **errors(*WRITE_ERRORS)},
    ),
    update=extend_schema(
        summary="Replace a claim's wording, quote, claimant, assignee, rationale (If-Match required)",
        parameters=[IF_MATCH],
        request=s.ClaimWriteSerializer,
        responses={200: s.ClaimSerializer, **errors(*UPDATE_ERRORS, 409)},
    ),
    partial_update=extend_schema(
        summary="Change some of a claim's fields (If-Match required)",
        parameters=[IF_MATCH],
        request=s.ClaimWriteSerializer,
        responses={200: s.ClaimSerializer, **errors(*UPDATE_ERRORS, 409)},
    ),
)
class ClaimViewSet(ReadWriteViewSet):
    """Checkable statements of an article, each anchored to its passage, with its evidence, the
    independence of that evidence (counted by distinct origin), its confirmation `state` and its
    `review_state`. Anonymous readers see published verdicts only. The state changes through
    `state/`, the review through `review/`: both need a reason and are kept in `history/`."""

    queryset = Claim.objects.all()
    serializer_class = s.ClaimSerializer
    filterset_class = ClaimFilter
    ordering_fields = ["id", "updated_at", "created_at"]

    def get_queryset(self):
        return visible_claims(self.request.user)

    def get_serializer_class(self):
        if self.action in {"create", "update", "partial_update"}:
            return s.ClaimWriteSerializer
        return s.ClaimSerializer

    def representation(self, pk: int) -> dict:
        rows = list(claim_rows(self.get_queryset().filter(pk=pk)))
        if not rows:
            raise NotFound(f"There is no claim #{pk} that you may see.")
        return represent(rows, self.request)[0]

    def represent(self, claim, **response_kwargs) -> Response:
        data = self.representation(claim.pk)
        return Response(data, headers={"ETag": etag_for(data)}, **response_kwargs)

    def list(self, request, *args, **kwargs):
        rows = self.paginate_queryset(claim_rows(self.filter_queryset(self.get_queryset())))
        return self.get_paginated_response(represent(rows, request))

    def retrieve(self, request, *args, **kwargs):
        data = self.representation(int(self.kwargs["pk"]))
        return Response(data, headers={"ETag": etag_for(data)})

    def create(self, request, *args, **kwargs):
        serializer = s.ClaimWriteSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        claim = services.create_claim(
            article=data["article"],
            wording=data["wording"],
            quote=data["quote"],
            occurrence=data.get("occurrence"),
            claimant=data.get("claimant", ""),
            assignee=data.get("assignee"),
            author=request.user,
            about=data.get("about"),
        )
        if data.get("rationale"):
            claim.rationale = data["rationale"]
            claim = services.save_claim(
                claim=claim, author=request.user, expected_version=claim.version
            )
        return self.represent(claim, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        with transaction.atomic():
            claim = self.get_object()
            current = Claim.objects.select_for_update().get(pk=claim.pk)
            self._check_if_match(request, current, required=True)
            serializer = s.ClaimWriteSerializer(
                current, data=request.data, partial=partial, context=self.get_serializer_context()
            )
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            for field in ("article", "wording", "claimant", "about", "assignee", "rationale"):
                if field in data:
                    setattr(current, field, data[field])
            if "quote" in data or "occurrence" in data or "article" in data:
                services.anchor_claim(
                    claim=current,
                    quote=data.get("quote", current.quote),
                    occurrence=data.get("occurrence"),
                )
            services.save_claim(
                claim=current,
                author=request.user,
                expected_version=current.version,
                reason=data.get("change_note", ""),
            )
        return self.represent(current)

    def _check_if_match(self, request, claim, *, required: bool) -> int | None:
        """428 when required and missing; 412 when it does not match. Returns the version the
        client saw (for the services' own check), or None when no If-Match came."""
        tags = if_match_tags(request)
        if tags is None:
            if required:
                raise PreconditionRequired()
            return None
        if "*" in tags:
            return None
        if etag_for(self.representation(claim.pk)) not in tags:
            raise PreconditionFailed()
        return claim.version

    def _expected_version(self, request, claim) -> int | None:
        """Actions accept an optional If-Match: when sent, a stale one is refused (412)."""
        return self._check_if_match(request, claim, required=False)

    @extend_schema(
        summary="Change the claim's confirmation state, with the reason",
        request=s.StateChangeRequestSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False)],
        responses={200: s.ClaimSerializer, **errors(*WRITE_ERRORS, 404, 409, 412)},
    )
    @action(detail=True, methods=["post"], url_path="state")
    def state(self, request, pk=None):
        claim = self.get_object()
        body = s.StateChangeRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        updated = services.change_state(
            claim=claim,
            to_state=body.validated_data["state"],
            rationale=body.validated_data["rationale"],
            author=request.user,
            expected_version=self._expected_version(request, claim),
        )
        return self.represent(updated)

    @extend_schema(
        summary="Take a review step: submit (fact-checkers), approve or send back (editors)",
        request=s.ReviewRequestSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False)],
        responses={200: s.ClaimSerializer, **errors(*WRITE_ERRORS, 404, 409, 412)},
    )
    @action(detail=True, methods=["post"], url_path="review")
    def review(self, request, pk=None):
        claim = self.get_object()
        body = s.ReviewRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        step, comment = body.validated_data["action"], body.validated_data["comment"]
        expected = self._expected_version(request, claim)
        if step == "submit":
            updated = services.submit_for_review(
                claim=claim, author=request.user, comment=comment, expected_version=expected
            )
        elif step == "approve":
            updated = services.approve(
                claim=claim,
                author=request.user,
                comment=comment,
                override_reason=body.validated_data["override_reason"],
                expected_version=expected,
            )
        else:
            updated = services.send_back(
                claim=claim, author=request.user, comment=comment, expected_version=expected
            )
        return self.represent(updated)

    @extend_schema(
        summary="The claim's state changes and correction notes",
        responses={200: s.ClaimHistorySerializer, **errors(401, 404, 429)},
    )
    @action(
        detail=True, methods=["get"], url_path="history", pagination_class=None, filter_backends=[]
    )
    def history(self, request, pk=None):
        claim = self.get_object()
        context = self.get_serializer_context()
        data = {
            "claim": claim.pk,
            "state_changes": s.StateChangeSerializer(
                StateChange.objects.filter(claim=claim).select_related("author"),
                many=True,
                context=context,
            ).data,
            "corrections": s.CorrectionNoteSerializer(
                CorrectionNote.objects.filter(claim=claim).select_related("author"),
                many=True,
                context=context,
            ).data,
        }
        if is_desk_member(request.user):
            data["review_events"] = s.ReviewEventSerializer(
                ReviewEvent.objects.filter(claim=claim).select_related("author"),
                many=True,
                context=context,
            ).data
        return Response(data)

    @extend_schema(
        summary="schema.org ClaimReview (JSON-LD) of a published verdict",
        responses={(200, "application/ld+json"): OpenApiTypes.OBJECT, **errors(401, 404, 429)},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="claimreview",
        pagination_class=None,
        filter_backends=[],
    )
    def claimreview(self, request, pk=None):
        # Published implies a verdict (constraint claim_published_is_a_dated_verdict): every
        # published claim has a ClaimReview, and no other claim has one.
        claim = (
            Claim.objects.published()
            .select_related("article__outlet")
            .defer("article__text")
            .filter(pk=pk)
            .first()
        )
        if claim is None:
            raise NotFound(f"Claim #{pk} has no published verdict.")
        body = orjson.dumps(claim_review(claim, base_url=request.build_absolute_uri("/")))
        return HttpResponse(body, content_type="application/ld+json")


class ClaimReviewFeedView(APIView):
    """Every published verdict as a schema.org DataFeed of ClaimReviews, streamed: the feed is
    written as it is read from the database, so memory stays flat however many there are."""

    @extend_schema(
        summary="Feed of every published verdict (schema.org DataFeed of ClaimReview), streamed",
        responses={(200, "application/ld+json"): OpenApiTypes.OBJECT, **errors(401, 429)},
    )
    def get(self, request):
        base_url = request.build_absolute_uri("/")
        claims = (
            Claim.objects.published()
            .select_related("article__outlet")
            .defer("article__text", "quote")
            .order_by("id")
        )

        def chunks():
            yield b'{"@context":"https://schema.org","@type":"DataFeed","dataFeedElement":['
            first = True
            for claim in claims.iterator(chunk_size=1000):
                review = claim_review(claim, base_url=base_url)
                del review["@context"]  # once, on the feed
                yield (b"" if first else b",") + orjson.dumps(review)
                first = False
            yield b"]}"

        return StreamingHttpResponse(chunks(), content_type="application/ld+json")
