"""API endpoints: thin. Each scopes its queryset to what the caller may see, selects and
prefetches there, and writes through claims.services / sources.services."""

from contextlib import contextmanager
from functools import wraps

import orjson
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import http_date
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response
from rest_framework.views import APIView

from claims import services
from claims.models import (
    Claim,
    Evidence,
    PublicArticle,
    PublicClaim,
    PublicOutlet,
    PublicSource,
    PublishedVersion,
    ReviewEvent,
    StateChange,
)
from claims.public import feed, memory, reads
from claims.visibility import (
    is_desk_member,
    visible_articles,
    visible_claims,
    visible_evidence,
)
from common.api.caching import content_etag
from common.api.conditional import ConditionalMixin, etag_for, if_match_tags
from common.api.errors import PreconditionFailed, PreconditionRequired
from common.api.renderers import LINKED_DATA
from common.api.schema import IF_MODIFIED_SINCE, LAST_MODIFIED_HEADER, errors
from common.outage import answer_if_lost_after_commit
from sources.serializers import OutletSerializer, SourceSerializer

from . import serializers as s
from .etags import claim_etag, desk_version_in
from .filters import (
    ArticleFilter,
    ClaimFilter,
    EvidenceFilter,
    PublicEvidenceFilter,
    SourceFilter,
    public_filterset,
)
from .representation import claim_rows, represent

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


class PublicReads:
    """The public (anonymous clients, outsiders' tokens) reads the read model (claims.public):
    ``public_model``'s rows, filtered and ordered on its columns, served as stored."""

    public_model = None
    public_fields = ("id", "api")
    # Columns read under another type (name to expression), beside ``public_fields``.
    public_expressions: dict = {}

    @property
    def public(self) -> bool:
        return not is_desk_member(self.request.user)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.public and getattr(self, "filterset_class", None) is not None:
            # The same filters, on the read model's columns (claims.api.filters).
            self.filterset_class = public_filterset(type(self).filterset_class, self.public_model)

    def public_documents(self, rows) -> list:
        return reads.documents(rows)

    def public_list(self, request):
        """A page of the read model, or the same page this process answered for the same
        generation of it, address and media type (claims.public.memory): the same bytes."""
        self._keep_as = memory.key_for("list", request, request.accepted_media_type)
        kept = memory.SERVED.get(self._keep_as) if self._keep_as else None
        if kept is not None:
            return HttpResponse(
                kept.body, content_type=kept.content_type, headers={"ETag": kept.etag}
            )
        return self._public_list(request)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        key = getattr(self, "_keep_as", None)
        if key is not None and isinstance(response, Response) and response.status_code == 200:
            response.render()
            response["ETag"] = etag = content_etag(response)
            memory.SERVED.keep(key, memory.Kept(response.content, response["Content-Type"], etag))
        return response

    def _public_list(self, request):
        queryset = self.filter_queryset(self.public_model.objects.all())
        if "match_rank" in queryset.query.annotations:
            # A public search (q=): the most similar published claims, best first, one page.
            size = self.paginator.ranked_page_size(request)
            rows = queryset.order_by("match_rank").values(
                *self.public_fields, **self.public_expressions
            )[:size]
            documents = self.public_documents(list(rows))
            return Response(
                {"next": None, "previous": None, "results": [orjson.Fragment(d) for d in documents]}
            )
        ordering = [f.lstrip("-") for f in self.paginator.get_ordering(request, queryset, self)]
        rows = self.paginate_queryset(
            queryset.values(*self.public_fields, *ordering, **self.public_expressions)
        )
        return self.get_paginated_response(
            [orjson.Fragment(d) for d in self.public_documents(rows)]
        )

    def public_retrieve(self, pk) -> Response:
        row = self.public_model.objects.filter(pk=int(pk)).values(*self.public_fields).first()
        if row is None:
            raise NotFound(
                f"There is no {self.public_model._meta.verbose_name} #{pk} that you may see."
            )
        (document,) = self.public_documents([row])
        return Response(orjson.Fragment(document), headers={"ETag": reads.etag(document)})

    def get_queryset(self):
        if self.public:
            return self.public_model.objects.all()
        return super().get_queryset()

    def list(self, request, *args, **kwargs):
        if self.public:
            return self.public_list(request)
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        if self.public:
            return self.public_retrieve(self.kwargs["pk"])
        return super().retrieve(request, *args, **kwargs)


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
class OutletViewSet(PublicReads, ReadWriteViewSet):
    """Who publishes sources: news agencies, newspapers, government bodies, military commands."""

    queryset = OutletSerializer.Meta.model.objects.all()
    serializer_class = OutletSerializer
    ordering_fields = ["id", "name"]
    ordering = ["name", "id"]
    public_model = PublicOutlet


@crud_schema("sources", SourceSerializer)
class SourceViewSet(PublicReads, ReadWriteViewSet):
    """Pieces of evidence (reports, statements, documents, unnamed people) with their provenance:
    `derived_from` lists the sources each rests on. A loop is refused with its path. The public
    reads each source as the latest approval citing it (or a source resting on it) froze it,
    without the desk's notes and access dates."""

    queryset = SourceSerializer.Meta.model.objects.all()
    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    ordering_fields = ["id", "published_on", "updated_at"]
    public_model = PublicSource

    def get_queryset(self):
        if self.public:
            return PublicSource.objects.all()
        return SourceSerializer.Meta.model.objects.prefetch_related("derived_from")


@crud_schema("articles", s.ArticleSerializer)
class ArticleViewSet(PublicReads, ReadWriteViewSet):
    """The pieces being checked, with their full text (claims are anchored to passages of it).
    The public reads each article as an editor last approved it."""

    queryset = s.ArticleSerializer.Meta.model.objects.all()
    serializer_class = s.ArticleSerializer
    filterset_class = ArticleFilter
    ordering_fields = ["id", "published_on", "updated_at"]
    public_model = PublicArticle
    public_fields = ("id", "slug", "api")

    def get_queryset(self):
        if self.public:
            return PublicArticle.objects.all()
        return visible_articles(self.request.user)

    def public_documents(self, rows) -> list:
        return reads.article_documents(rows, self.request)

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
        evidence = visible_evidence(self.request.user)
        if is_desk_member(self.request.user):
            return evidence.prefetch_related("origins")
        return evidence.select_related("version")

    def get_serializer_class(self):
        if is_desk_member(self.request.user):
            return s.EvidenceSerializer
        return s.PublicEvidenceSerializer

    def get_object(self):
        # The public's evidence is the frozen copy, named by the id of the working row it was
        # copied from (the id its list and every claim show), not by the copy's own key.
        self.lookup_field = "pk" if is_desk_member(self.request.user) else "evidence_id"
        self.lookup_url_kwarg = "pk"
        return super().get_object()

    def filter_queryset(self, queryset):
        if is_desk_member(self.request.user):
            return super().filter_queryset(queryset)
        # The public's evidence is the frozen copy: the same filters, on its own fields.
        filters = PublicEvidenceFilter(
            self.request.query_params, queryset=queryset, request=self.request
        )
        if not filters.is_valid():
            raise translate_validation(filters.errors)
        return OrderingFilter().filter_queryset(self.request, filters.qs, self)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.add_evidence(
            claim=data["claim"],
            source=data["source"],
            stance=data["stance"],
            excerpt=data.get("excerpt", ""),
            note=data.get("note", ""),
            origins=data.get("origins"),
            own_reporting=data.get("own_reporting", False),
            author=self.request.user,
        )

    def perform_update(self, serializer):
        evidence = serializer.instance
        data = dict(serializer.validated_data)
        origins = data.pop("origins", None)
        if "claim" in data and data["claim"].pk != evidence.claim_id:
            raise ValidationError(
                {
                    "claim": "Evidence stays with its claim: add a new piece of evidence to the other claim."
                }
            )
        for key, value in data.items():
            setattr(evidence, key, value)
        services.change_evidence(evidence=evidence, author=self.request.user, origins=origins)


def answered_in_its_transaction(write):
    """A write and the representation it answers with, in one transaction: the claim's row lock,
    which the service takes, is held until the answer has been read, so a client is handed the
    version it wrote and its ETag, never a later writer's (twenty parallel If-Match: * writes
    handed one client version 20 for its write of version 19)."""

    @wraps(write)
    def in_one_transaction(self, request, *args, **kwargs):
        try:
            with transaction.atomic():
                return write(self, request, *args, **kwargs)
        except BaseException:
            # Not committed after all: nothing may be answered as saved (common/outage.py).
            request._request.committed_answer = None
            raise

    return in_one_transaction


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
class ClaimViewSet(PublicReads, ReadWriteViewSet):
    """Checkable statements of an article, each anchored to its passage, with its evidence, the
    independence of that evidence (counted by distinct origin), its confirmation `state` and its
    `review_state`. Anonymous readers see published verdicts only. The state changes through
    `state/`, the review through `review/`: both need a reason and are kept in `history/`."""

    queryset = Claim.objects.all()
    serializer_class = s.ClaimSerializer
    filterset_class = ClaimFilter
    ordering_fields = ["id", "updated_at", "created_at"]
    public_model = PublicClaim
    public_fields = ("id", "api")
    public_expressions = reads.IN_FORCE

    def get_queryset(self):
        if self.public:
            return PublicClaim.objects.all()
        return visible_claims(self.request.user)

    def public_documents(self, rows) -> list:
        return reads.claim_documents(rows, self.request)

    # The bodies the claim's own actions take: what OPTIONS on them describes.
    ACTION_BODIES = {"state": s.StateChangeRequestSerializer, "review": s.ReviewRequestSerializer}

    def get_serializer_class(self):
        if self.action in {"create", "update", "partial_update"}:
            return s.ClaimWriteSerializer
        # DRF answers OPTIONS with no action set (only POST routes to these): the POST's.
        action = self.action or (getattr(self, "action_map", None) or {}).get("post")
        if action in self.ACTION_BODIES:
            return self.ACTION_BODIES[action]
        return s.ClaimSerializer

    def representation(self, pk: int) -> dict:
        """The desk's representation of one claim (the public's is stored: ``public_retrieve``)."""
        rows = list(claim_rows(visible_claims(self.request.user).filter(pk=pk)))
        if not rows:
            raise NotFound(f"There is no claim #{pk} that you may see.")
        return represent(rows, self.request)[0]

    def etag(self, data: dict) -> str:
        """A strong tag (claims.api.etags): If-Match reads the version from it; If-None-Match
        compares the whole tag."""
        return claim_etag(data["id"], data["version"], public=self.public, data=data)

    def represent(self, claim, **response_kwargs) -> Response:
        """The answer to a write, which has committed: should the database go while the full
        representation is read, the client still learns that its write was saved."""
        answer_if_lost_after_commit(
            self.request,
            {
                "id": claim.pk,
                "version": claim.version,
                "state": claim.state,
                "review_state": claim.review_state,
                "detail": "Saved. The full representation could not be read just now: GET it again.",
            },
            status=response_kwargs.get("status", 200),
            headers={"ETag": claim_etag(claim.pk, claim.version)},  # enough for If-Match
        )
        data = self.representation(claim.pk)
        return Response(data, headers={"ETag": self.etag(data)}, **response_kwargs)

    def list(self, request, *args, **kwargs):
        if self.public:
            return self.public_list(request)
        queryset = self.filter_queryset(self.get_queryset())
        if "match_rank" in queryset.query.annotations:
            # A desk search (q=): the most similar claims, best first, on one page.
            size = self.paginator.ranked_page_size(request)
            rows = list(claim_rows(queryset.order_by("match_rank")[:size]))
            return Response({"next": None, "previous": None, "results": represent(rows, request)})
        rows = self.paginate_queryset(claim_rows(queryset))
        return self.get_paginated_response(represent(rows, request))

    def public_retrieve(self, pk) -> Response:
        row = PublicClaim.objects.filter(pk=int(pk)).values(
            "id", "version", "api", **reads.IN_FORCE
        )
        row = row.first()
        if row is None:
            raise NotFound(f"There is no claim #{pk} that you may see.")
        (document,) = self.public_documents([row])
        tag = claim_etag(row["id"], row["version"], public=True, data=orjson.loads(document))
        return Response(orjson.Fragment(document), headers={"ETag": tag})

    def retrieve(self, request, *args, **kwargs):
        if self.public:
            return self.public_retrieve(self.kwargs["pk"])
        data = self.representation(int(self.kwargs["pk"]))
        return Response(data, headers={"ETag": self.etag(data)})

    @answered_in_its_transaction
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
            rationale=data.get("rationale", ""),
            author=request.user,
            about=data.get("about"),
        )
        return self.represent(claim, status=status.HTTP_201_CREATED)

    def _claim(self) -> Claim:
        """The claim named in the URL, if this person may see it (one query, no lock: the
        service locks it)."""
        claim = self.get_queryset().filter(pk=int(self.kwargs["pk"])).first()
        if claim is None:
            raise NotFound(f"There is no claim #{self.kwargs['pk']} that you may see.")
        return claim

    @answered_in_its_transaction
    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        claim = self._claim()
        expected = self._if_match_version(request, claim, required=True)
        serializer = s.ClaimWriteSerializer(
            claim, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        changes = {
            field: data[field]
            for field in (
                "article",
                "wording",
                "quote",
                "claimant",
                "about",
                "assignee",
                "rationale",
            )
            if field in data
        }
        with self._stale_as_412(expected):
            updated = services.edit_claim(
                claim=claim,
                author=request.user,
                expected_version=expected,
                occurrence=data.get("occurrence"),
                reason=data.get("change_note", ""),
                **changes,
            )
        return self.represent(updated)

    def _if_match_version(self, request, claim, *, required: bool) -> int | None:
        """The version the client read, from If-Match: 428 when required and missing; 412 when
        it names another version; None when absent (or ``*``)."""
        expected = self._version_in_if_match(request, claim.pk, required=required)
        if expected is not None and expected != claim.version:
            raise PreconditionFailed()
        return expected

    def _version_in_if_match(self, request, pk: int, *, required: bool) -> int | None:
        """The claim version named by If-Match (the desk's ETag is "<id>-v<version>"), checked
        by the service under its lock; None when absent or ``*``."""
        tags = if_match_tags(request)
        if tags is None:
            if required:
                raise PreconditionRequired()
            return None
        if "*" in tags:
            return None
        for tag in tags:
            version = desk_version_in(tag, pk)
            if version is not None:
                return version
        raise PreconditionFailed()

    @contextmanager
    def _stale_as_412(self, expected: int | None):
        """A version that changed since the client read it: its If-Match is stale (412), not a
        conflict it could not have known about. A claim that is not there: 404."""
        try:
            yield
        except Claim.DoesNotExist:
            raise NotFound(f"There is no claim #{self.kwargs['pk']} that you may see.") from None
        except services.ConflictError:
            if expected is None:
                raise
            raise PreconditionFailed() from None

    def _claim_to_write(self) -> Claim:
        """The claim a write names, unread: only the desk writes, and the desk sees every claim,
        so the service's one locked read is the only read (a missing claim is its 404)."""
        return Claim(pk=int(self.kwargs["pk"]))

    @extend_schema(
        summary="Change the claim's confirmation state, with the reason",
        request=s.StateChangeRequestSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False)],
        responses={200: s.ClaimSerializer, **errors(*WRITE_ERRORS, 404, 409, 412)},
    )
    @action(detail=True, methods=["post"], url_path="state")
    @answered_in_its_transaction
    def state(self, request, pk=None):
        claim = self._claim_to_write()
        body = s.StateChangeRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        expected = self._version_in_if_match(request, claim.pk, required=False)
        with self._stale_as_412(expected):
            updated = services.change_state_with_reason(
                claim=claim,
                to_state=body.validated_data["state"],
                reason=body.validated_data["reason"],
                rationale=body.validated_data.get("rationale"),
                change_note=body.validated_data["change_note"],
                author=request.user,
                expected_version=expected,
            )
        return self.represent(updated)

    @extend_schema(
        summary="Take a review step: submit (fact-checkers), approve, send back or withdraw (editors)",
        request=s.ReviewRequestSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False)],
        responses={200: s.ClaimSerializer, **errors(*WRITE_ERRORS, 404, 409, 412)},
    )
    @action(detail=True, methods=["post"], url_path="review")
    @answered_in_its_transaction
    def review(self, request, pk=None):
        claim = self._claim_to_write()
        body = s.ReviewRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        expected = self._version_in_if_match(request, claim.pk, required=False)
        with self._stale_as_412(expected):
            updated = services.take_review_step(
                claim=claim,
                author=request.user,
                step=body.validated_data["action"],
                comment=body.validated_data["comment"],
                correction=body.validated_data["correction"],
                override_reason=body.validated_data["override_reason"],
                expected_version=expected,
                # Always checked here: an API client confirms the article's pending changes
                # with their token, as the pages' confirmation does.
                article_changes_confirmed=body.validated_data["article_changes"],
            )
        return self.represent(updated)

    @extend_schema(
        summary="The claim's published versions (and, for the desk, its state changes and review steps)",
        responses={200: s.ClaimHistorySerializer, **errors(401, 404, 429)},
    )
    @action(
        detail=True, methods=["get"], url_path="history", pagination_class=None, filter_backends=[]
    )
    def history(self, request, pk=None):
        claim = self._claim()
        context = self.get_serializer_context()
        data = {"claim": claim.pk, "versions": self._versions(claim)}
        if not self.public:
            data["state_changes"] = s.StateChangeSerializer(
                StateChange.objects.filter(claim=claim).select_related("author"),
                many=True,
                context=context,
            ).data
            data["review_events"] = s.ReviewEventSerializer(
                ReviewEvent.objects.filter(claim=claim).select_related("author"),
                many=True,
                context=context,
            ).data
        return Response(data)

    def _versions(self, claim) -> list:
        versions = PublishedVersion.objects.filter(claim_id=claim.pk).select_related("approved_by")
        return s.PublishedVersionSerializer(versions.order_by("number"), many=True).data

    @extend_schema(
        summary="Every version of the claim the public has read, with dates and correction notes",
        responses={200: s.PublishedVersionSerializer(many=True), **errors(401, 404, 429)},
    )
    @action(
        detail=True, methods=["get"], url_path="versions", pagination_class=None, filter_backends=[]
    )
    def versions(self, request, pk=None):
        return Response(self._versions(self._claim()))

    @extend_schema(
        summary="schema.org ClaimReview (JSON-LD) of a published verdict",
        responses={
            (200, "application/ld+json"): OpenApiTypes.OBJECT,
            (200, "application/json"): OpenApiTypes.OBJECT,
            **errors(401, 404, 406, 429),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="claimreview",
        pagination_class=None,
        filter_backends=[],
        **LINKED_DATA,
    )
    def claimreview(self, request, pk=None):
        # The public version, whoever asks: a ClaimReview is what was approved, never a draft.
        tail = (
            PublicClaim.objects.filter(pk=int(pk), in_force=True)
            .exclude(claimreview="")
            .values_list("claimreview", flat=True)
            .first()
        )
        if tail is None:
            raise NotFound(f"Claim #{pk} has no published verdict.")
        base_url = request.build_absolute_uri("/")
        return Response(orjson.Fragment(reads.claimreview_document(int(pk), tail, base_url)))


class ClaimReviewFeedView(APIView):
    """Every published verdict as a schema.org DataFeed of ClaimReviews, streamed: the feed is
    written as it is read from the database, so memory stays flat however many there are.

    Its ETag and Last-Modified come from the feed's stored state (claims.public.feed: one
    lookup), so a crawler's If-None-Match or If-Modified-Since is answered with a 304 without
    writing it, and a feed this process wrote for the same tag is sent again from memory (up to
    a budget) without reading its rows."""

    renderer_classes = LINKED_DATA["renderer_classes"]
    content_negotiation_class = LINKED_DATA["content_negotiation_class"]

    @extend_schema(
        summary="Feed of every published verdict (schema.org DataFeed of ClaimReview), streamed",
        parameters=[IF_MODIFIED_SINCE, LAST_MODIFIED_HEADER],
        responses={
            (200, "application/ld+json"): OpenApiTypes.OBJECT,
            (200, "application/json"): OpenApiTypes.OBJECT,
            304: OpenApiResponse(description="Not modified since the ETag or date you sent."),
            **errors(401, 406, 429),
        },
    )
    def get(self, request):
        base_url = request.build_absolute_uri("/")
        state = feed.stored_state()
        modified = state["modified"]
        tag = feed.feed_etag(state, base_url, request.accepted_media_type)
        kept = memory.SERVED.get(("feed", tag))
        if kept is not None:
            response = HttpResponse(kept.body, content_type=kept.content_type)
        else:
            response = StreamingHttpResponse(
                self.chunks(base_url, state, tag, request.accepted_media_type),
                content_type=request.accepted_media_type,
            )
        response["ETag"] = tag
        if modified:
            response["Last-Modified"] = http_date(modified.timestamp())
        return response

    @staticmethod
    def chunks(base_url: str, state: dict, tag: str, media_type: str):
        kept = memory.WhileSmall(memory.SERVED)
        head = {"@context": "https://schema.org", "@type": "DataFeed"}
        if state["modified"]:
            head["dateModified"] = state["modified"].isoformat()
        yield kept(orjson.dumps(head)[:-1] + b',"dataFeedElement":[')
        # Written in pieces of about 256 KB: one write per review cost a system call each.
        buffer, size, separator = [], 0, b""
        rows = feed.feed_claims().values_list("id", "claimreview").iterator(chunk_size=1000)
        document = reads.ClaimReviewDocuments(base_url, context=False)  # @context once, above
        digest = feed.Digest()
        for pk, tail in rows:
            digest.add(pk, tail)
            review = document(pk, tail)
            buffer.append(review)
            size += len(review)
            if size >= 2**18:
                yield kept(separator + b",".join(buffer))
                buffer, size, separator = [], 0, b","
        yield kept((separator + b",".join(buffer) if buffer else b"") + b"]}")
        # Read to its end, and the rows are the ones the tag was made from (an approval may have
        # come between): the next read of the same tag is these bytes (claims.public.feed).
        if kept.pieces is not None and digest.hexdigest() == state["digest"]:
            memory.SERVED.keep(("feed", tag), memory.Kept(b"".join(kept.pieces), media_type, tag))
