"""A claim's row as every claim write takes it: the version that guards it, its lock, its
validation and its save."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from ..models import Claim


class ConflictError(Exception):
    """The claim changed since the version the writer started from. Nothing was saved."""

    api_status = 409  # what the API answers (common.api.errors)

    def __init__(self, claim: Claim, expected_version: int):
        self.claim_id = claim.pk
        self.current_version = claim.version
        self.expected_version = expected_version
        latest = (
            claim.history.order_by("-history_date", "-history_id")
            .select_related("history_user")
            .first()
        )
        self.changed_by = str(latest.history_user) if latest and latest.history_user else "someone"
        self.changed_at = latest.history_date if latest else claim.updated_at
        when = date_format(timezone.localtime(self.changed_at), "j M Y, H:i:s T")
        super().__init__(
            f"Claim #{claim.pk} was changed by {self.changed_by} at {when} while you were working on it "
            f"(you started from version {expected_version}; it is now at version {claim.version}). "
            "Nothing of yours was saved and nothing of theirs was overwritten: reload the claim to see "
            "their change, then make yours again."
        )


def require(author: AbstractBaseUser | None, permission: str, doing: str) -> None:
    if author is None or not author.is_active or not author.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to {doing}.")


def lock_claim(pk: int, expected_version: int | None) -> Claim:
    """The claim's current row (with its article and public version), locked until the
    transaction ends; refuses a stale version. One query."""
    current = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("article", "live_version")
        .get(pk=pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(current, expected_version)
    return current


def validate_claim(claim: Claim, *, anchor_moved: bool) -> None:
    """Validate once, in Python: the fields, the verdict's rationale and the anchor (Claim.clean);
    the unique anchor only when it moved. The database's constraints stand behind all of it."""
    claim.full_clean(
        exclude=["article", "assignee", "live_version", "verdict_changed_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    if anchor_moved and (
        Claim.objects.filter(
            article_id=claim.article_id, quote_start=claim.quote_start, quote_end=claim.quote_end
        )
        .exclude(pk=claim.pk)
        .exists()
    ):
        raise ValidationError(
            {"quote": "Another claim is already anchored to exactly this passage."},
            code="anchor_taken",
        )


def save_claim_row(claim: Claim, author, *, insert: bool = False, anchor_moved: bool = False):
    claim._history_user = author
    if not (insert or anchor_moved):
        claim.save()  # no unique rule can be broken by this write: no savepoint needed
        return
    try:
        with transaction.atomic():
            claim.save(force_insert=insert)
    except IntegrityError as error:  # a race the checks above could not see
        raise ValidationError(
            "The claim could not be saved because another change got there first "
            f"({error.__class__.__name__}): reload it and try again.",
            code="integrity",
        ) from error
