"""Desk members and their API tokens: the writes a desk lead makes, and ``manage.py issue_token``.

A desk lead is a superuser, or a desk member (active staff) given "Can add desk member" (the
group "Desk leads" holds it, with the tokens' permissions). A lead adds fact-checkers and editors
(never a superuser, and no other permission than their role's group), changes their role, name
and address, deactivates them, and issues, names, expires and revokes API tokens. A lead who is
not a superuser cannot touch a superuser's account or tokens: adding a desk member gives nobody
more than an editor has.

A new member gets no password from anyone: an invitation email (``notifications.welcome``, sent
by the worker) carries a link to set their own (``accounts.invitations``).
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from claims.visibility import is_desk_member
from common.writes import service
from notifications import services as notify

from .models import ApiToken

ADD_MEMBER_PERMISSION = "accounts.add_deskmember"
CHANGE_MEMBER_PERMISSION = "accounts.change_deskmember"


class Role(models.TextChoices):
    """The two roles of a desk, each one of the groups the claims' migrations made."""

    FACT_CHECKER = "fact_checker", "Fact-checker"
    EDITOR = "editor", "Editor"

    @property
    def group_name(self) -> str:
        return {"fact_checker": "Fact-checkers", "editor": "Editors"}[self.value]

    @property
    def with_article(self) -> str:
        return {"fact_checker": "a fact-checker", "editor": "an editor"}[self.value]


ROLE_GROUPS = [role.group_name for role in Role]


def role_of(user) -> Role | None:
    """The person's desk role, from their groups (an editor who is also in Fact-checkers is an
    editor: editing is the wider role)."""
    names = {group.name for group in user.groups.all()}
    for role in (Role.EDITOR, Role.FACT_CHECKER):
        if role.group_name in names:
            return role
    return None


def is_desk_lead(user) -> bool:
    return is_desk_member(user) and user.has_perm(ADD_MEMBER_PERMISSION)


def desk_member_problems(*, username: str, email: str, member=None) -> dict[str, str]:
    """What stops these details from naming a new (or this) desk member, as {field: sentence}.
    Shared by the admin's form, so it says so before anything is saved."""
    accounts = get_user_model().objects.exclude(pk=getattr(member, "pk", None))
    problems = {}
    if member is None and accounts.filter(username__iexact=username).exists():
        problems["username"] = f"“{username}” is taken: choose another username."
    if not (email or "").strip():
        problems["email"] = "Give their email address: the invitation to set a password goes there."
    elif accounts.filter(email__iexact=email.strip()).exists():
        problems["email"] = (
            f"Another account uses {email.strip()}: each person has their own address."
        )
    return problems


def _set_role(user, role: Role) -> None:
    user.groups.remove(*Group.objects.filter(name__in=ROLE_GROUPS))
    user.groups.add(Group.objects.get(name=role.group_name))


@service
@transaction.atomic
def add_desk_member(
    *,
    author: AbstractBaseUser,
    username: str,
    email: str,
    role: Role | str,
    first_name: str = "",
    last_name: str = "",
) -> AbstractBaseUser:
    """A desk lead adds a fact-checker or an editor: a staff account in the role's group, with no
    password until they set one from the invitation that is emailed to them."""
    if not is_desk_lead(author):
        raise PermissionDenied("Only a desk lead adds desk members.")
    role = Role(role)
    email = email.strip()
    problems = desk_member_problems(username=username, email=email)
    if problems:
        raise ValidationError(problems)
    user = get_user_model()(
        username=username,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        is_staff=True,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    _set_role(user, role)
    notify.welcome(user=user, by=author, role=role.with_article)
    return user


@service
@transaction.atomic
def change_desk_member(
    *,
    author: AbstractBaseUser,
    member: AbstractBaseUser,
    email: str,
    role: Role | str,
    first_name: str = "",
    last_name: str = "",
    is_active: bool = True,
) -> AbstractBaseUser:
    """A desk lead changes a member's name, address or role, or deactivates them (they can no
    longer sign in, and their tokens stop working)."""
    if not (is_desk_member(author) and author.has_perm(CHANGE_MEMBER_PERMISSION)):
        raise PermissionDenied("Only a desk lead changes desk members.")
    if member.is_superuser and not author.is_superuser:
        raise PermissionDenied("Only a superuser changes a superuser's account.")
    problems = desk_member_problems(username=member.username, email=email, member=member)
    if problems:
        raise ValidationError(problems)
    member.email, member.first_name, member.last_name = email.strip(), first_name, last_name
    member.is_active = is_active
    member.full_clean(exclude=["password"])
    member.save()
    _set_role(member, Role(role))
    return member


@service
@transaction.atomic
def invite_again(*, author: AbstractBaseUser, member: AbstractBaseUser) -> None:
    """A new invitation (a fresh link) for a member who has not set their password yet."""
    if not is_desk_lead(author):
        raise PermissionDenied("Only a desk lead invites desk members.")
    if member.has_usable_password():
        raise ValidationError(
            f"{member.get_username()} has set a password already: they sign in with it."
        )
    role = role_of(member)
    notify.welcome(user=member, by=author, role=role.with_article if role else "a desk member")


# -- API tokens -------------------------------------------------------------------------------


def token_problem(*, user, expires_at: datetime | None, issued_by=None) -> dict[str, str]:
    """Why a token cannot be issued, as {field: sentence} (the admin's form asks it too)."""
    if not user.is_active:
        return {"user": f"“{user.get_username()}” is not active: a token would not let them in."}
    if issued_by is not None and user.is_superuser and not issued_by.is_superuser:
        return {"user": "Only a superuser issues tokens for a superuser's account."}
    if expires_at is not None and expires_at <= timezone.now():
        return {"expiry_date": "Choose an expiry in the future (or none)."}
    return {}


@service
@transaction.atomic
def issue_token(
    *,
    user: AbstractBaseUser,
    name: str = "",
    expires_at: datetime | None = None,
    rotate: bool = False,
    issued_by: AbstractBaseUser | None = None,
) -> tuple[ApiToken, str]:
    """A new token for ``user``: returns it with its key, which exists only here (the database
    keeps a prefix and a hash). ``rotate`` revokes the user's other tokens. ``issued_by``: the desk
    lead in the admin (None from ``manage.py issue_token``, whoever holds the shell)."""
    problem = token_problem(user=user, expires_at=expires_at, issued_by=issued_by)
    if problem:
        raise ValidationError(problem)
    if rotate:
        ApiToken.objects.filter(user=user, revoked=False).update(revoked=True)
    return ApiToken.objects.create_key(
        user=user,
        name=(name or "").strip() or f"{user.get_username()}'s token",
        expiry_date=expires_at,
    )


@service
@transaction.atomic
def change_token(
    *, token: ApiToken, name: str, expires_at: datetime | None, revoke: bool = False
) -> ApiToken:
    """Rename a token, change when it expires, or revoke it. A revoked token stays revoked."""
    current = ApiToken.objects.select_for_update().get(pk=token.pk)
    if current.revoked:
        raise ValidationError("This token is revoked: it cannot be changed or used again.")
    current.name = (name or "").strip() or current.name
    current.expiry_date = expires_at
    current.save(update_fields=["name", "expiry_date"])
    return revoke_token(token=current) if revoke else current


@service
@transaction.atomic
def revoke_token(*, token: ApiToken) -> ApiToken:
    """Ends the token for good (a revoked token is never usable again)."""
    ApiToken.objects.filter(pk=token.pk).update(revoked=True)
    token.revoked = True
    return token
