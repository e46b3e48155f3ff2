"""A desk lead adds fact-checkers and editors in one form, and issues, names, expires and revokes
their API tokens in the admin (through the test client; the browser test clicks the same)."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services
from accounts.models import ApiToken
from notifications.models import EmailStatus, Notification, NotificationKind
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
ADD = "/admin/accounts/deskmember/add/"
ISSUE = "/admin/accounts/apitoken/add/"


@pytest.fixture
def lead(db):
    """A desk lead who is not a superuser: staff in the groups Editors and Desk leads."""
    user = UserFactory(username="lena.lead", is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=["Editors", "Desk leads"]))
    return user


def add_member(client, **fields):
    data = {
        "first_name": "Nadia",
        "last_name": "Novak",
        "email": "nadia@example.org",
        "username": "nadia",
        "role": "fact_checker",
        "_save": "Save",
        **fields,
    }
    return client.post(ADD, data)


def test_a_lead_adds_a_fact_checker_in_one_form(client_for, lead):
    response = add_member(client_for(lead))

    nadia = User.objects.get(username="nadia")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:accounts_deskmember_change", args=[nadia.pk])
    assert nadia.is_staff
    assert nadia.is_active
    assert not nadia.is_superuser
    assert [g.name for g in nadia.groups.all()] == ["Fact-checkers"]
    assert nadia.get_full_name() == "Nadia Novak"
    assert nadia.email == "nadia@example.org"
    # Nobody chose her password for her: she sets it from the invitation.
    assert not nadia.has_usable_password()
    welcome = Notification.objects.get(recipient=nadia)
    assert welcome.kind == NotificationKind.WELCOME
    assert welcome.email_status == EmailStatus.PENDING
    assert welcome.title == "lena.lead added you to the desk as a fact-checker."
    page = client_for(lead).get(response["Location"]).content.decode()
    assert "Nadia Novak is on the desk as a fact-checker" in page
    assert "An invitation to set a password is on its way to nadia@example.org" in page
    assert f'href="{ISSUE}?user={nadia.pk}"' in page


def test_an_editor_gets_the_editors_group_and_may_publish(client_for, admin_user):
    add_member(client_for(admin_user), username="ed", email="ed@example.org", role="editor")
    ed = User.objects.get(username="ed")
    assert [g.name for g in ed.groups.all()] == ["Editors"]
    assert ed.has_perm("claims.publish_claim")


@pytest.mark.parametrize(
    ("fields", "field", "sentence"),
    [
        ({"username": "FIONA.factchecker"}, "username", "is taken"),
        ({"email": "Fiona.Factchecker@example.org"}, "email", "Another account uses"),
        ({"email": ""}, "email", "This field is required."),
        ({"role": "superuser"}, "role", "Select a valid choice."),
        ({"username": "has space"}, "username", "Enter a valid username."),
    ],
)
def test_the_form_says_what_is_wrong_beside_the_field(
    client_for, lead, fact_checker, fields, field, sentence
):
    response = add_member(client_for(lead), **fields)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert sentence in " ".join(errors[field]), errors
    assert not User.objects.filter(email="nadia@example.org").exists()


def test_only_a_lead_adds_desk_members(client_for, fact_checker, editor):
    for person in (fact_checker, editor):
        client = client_for(person)
        assert client.get(ADD).status_code == 403
        assert add_member(client).status_code == 403
        assert client.get(ISSUE).status_code == 403
    assert not User.objects.filter(username="nadia").exists()
    with pytest.raises(PermissionDenied):
        services.add_desk_member(
            author=editor, username="nadia", email="n@example.org", role="fact_checker"
        )


def test_a_lead_who_is_not_a_superuser_cannot_reach_a_superusers_account(
    client_for, lead, admin_user
):
    client = client_for(lead)
    members = client.get("/admin/accounts/deskmember/").content.decode()
    assert "lena.lead" in members
    assert ">admin<" not in members
    assert client.get(f"/admin/accounts/deskmember/{admin_user.pk}/change/").status_code == 302
    form = client.get(ISSUE).content.decode()
    assert f'<option value="{admin_user.pk}"' not in form
    response = client.post(ISSUE, {"user": admin_user.pk, "name": "take over"})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    with pytest.raises(Exception, match="superuser"):
        services.issue_token(user=admin_user, name="take over", issued_by=lead)


def test_a_lead_changes_a_role_and_deactivates_a_member(client_for, lead, fact_checker):
    url = f"/admin/accounts/deskmember/{fact_checker.pk}/change/"
    client = client_for(lead)
    page = client.get(url).content.decode()
    assert re.search(r'value="fact_checker"[^>]*checked', page)
    data = {
        "first_name": "Fiona",
        "last_name": "Frank",
        "email": "fiona@example.org",
        "role": "editor",
        "is_active": "on",
        "_save": "Save",
    }
    assert client.post(url, data).status_code == 302
    fact_checker.refresh_from_db()
    assert [g.name for g in fact_checker.groups.all()] == ["Editors"]
    assert fact_checker.email == "fiona@example.org"
    del data["is_active"]
    client.post(url, data)
    fact_checker.refresh_from_db()
    assert not fact_checker.is_active


def issue_in_the_admin(client, user, **fields):
    return client.post(ISSUE, {"user": user.pk, "name": "Nadia's script", **fields})


def test_a_token_issued_in_the_admin_is_shown_once_and_never_stored(client_for, lead, fact_checker):
    response = issue_in_the_admin(client_for(lead), fact_checker)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = re.search(r'id="issued-key"[^>]*value="([^"]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert (token.user, token.name) == (fact_checker, "Nadia's script")
    assert key.startswith(token.prefix + ".")
    secret = key.partition(".")[2]
    for table in connection.introspection.table_names():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            assert not any(secret in str(v) for row in cursor.fetchall() for v in row), table
    # Not again: the token's page and the list show its prefix only.
    client = client_for(lead)
    for url in ["/admin/accounts/apitoken/", f"/admin/accounts/apitoken/{token.pk}/change/"]:
        page = client.get(url).content.decode()
        assert token.prefix in page
        assert secret not in page

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/claims/").status_code == 200


def test_a_token_is_renamed_expired_and_revoked_in_the_admin(client_for, lead, fact_checker):
    token, key = services.issue_token(user=fact_checker, name="old name")
    url = f"/admin/accounts/apitoken/{token.pk}/change/"
    client = client_for(lead)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    past = timezone.now() - timedelta(days=1)
    response = client.post(
        url, {"name": "CMS", "expiry_date_0": f"{past:%Y-%m-%d}", "expiry_date_1": "10:00:00"}
    )
    assert response.status_code == 200
    assert "Choose an expiry in the future" in " ".join(
        response.context["adminform"].form.errors["expiry_date"]
    )

    soon = timezone.now() + timedelta(days=30)
    data = {"name": "CMS", "expiry_date_0": f"{soon:%Y-%m-%d}", "expiry_date_1": "10:00:00"}
    assert client.post(url, data).status_code == 302
    token.refresh_from_db()
    assert token.name == "CMS"
    assert token.expiry_date.date() == soon.date()
    assert api.get("/api/v1/claims/").status_code == 200

    assert client.post(url, {**data, "revoked": "on"}).status_code == 302
    token.refresh_from_db()
    assert token.revoked
    assert api.get("/api/v1/claims/").status_code == 401
    # A revoked token's page is a record: nothing on it can be saved.
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(url, {**data, "revoked": ""}).status_code == 403


def test_the_command_and_the_admin_issue_through_one_service(fact_checker, capsys):
    from django.core.management import call_command

    call_command("issue_token", fact_checker.username, "--name", "shell")
    key = capsys.readouterr().out.strip()
    token = ApiToken.objects.get()
    assert token.name == "shell"
    assert key.startswith(token.prefix)
    fact_checker.is_active = False
    fact_checker.save()
    with pytest.raises(Exception, match="not active"):
        services.issue_token(user=fact_checker, name="late")
