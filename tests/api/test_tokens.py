"""API tokens: `manage.py issue_token USER` prints a key once; only its hash is stored; tokens
are named, expire and are revoked; a header that is not `Token <key>` is refused; wrong tokens
are throttled per address."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def issue(*args, capsys):
    call_command("issue_token", *args)
    return capsys.readouterr().out.strip()


def reads_as(api, key):
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get("/api/v1/claims/")


def test_the_printed_token_reads_as_its_user(api, fact_checker, capsys):
    key = issue(fact_checker.username, "--name", "newsroom tool", capsys=capsys)
    token = ApiToken.objects.get(user=fact_checker)
    assert token.name == "newsroom tool"
    assert key.startswith(token.prefix + ".")
    assert reads_as(api, key).status_code == 200
    # Asked again, a new key: the first one cannot be shown again, nothing holds it.
    again = issue(fact_checker.username, capsys=capsys)
    assert again != key
    assert reads_as(api, key).status_code == 200


def test_no_token_is_readable_from_the_database(fact_checker, capsys):
    key = issue(fact_checker.username, capsys=capsys)
    secret = key.partition(".")[2]
    for table in connection.introspection.table_names():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            assert not any(secret in str(value) for row in cursor.fetchall() for value in row), (
                table
            )


def test_rotate_revokes_the_old_token(api, fact_checker, capsys):
    old = issue(fact_checker.username, capsys=capsys)
    new = issue(fact_checker.username, "--rotate", capsys=capsys)
    assert new != old
    response = reads_as(api, old)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert reads_as(api, new).status_code == 200


def test_an_expired_token_is_refused(api, fact_checker, capsys):
    key = issue(fact_checker.username, "--expires-in-days", "1", capsys=capsys)
    assert reads_as(api, key).status_code == 200
    ApiToken.objects.update(expiry_date=timezone.now() - timedelta(seconds=1))
    response = reads_as(api, key)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_unknown_or_inactive_users_get_no_token(outsider):
    with pytest.raises(CommandError, match="no user named “nobody”"):
        call_command("issue_token", "nobody")
    outsider.is_active = False
    outsider.save()
    with pytest.raises(CommandError, match="not active"):
        call_command("issue_token", outsider.username)


@pytest.mark.parametrize("scheme", ["Bearer", "Basic", "Tokenx", "garbage"])
def test_another_scheme_is_refused_never_read_as_anonymous(api, fact_checker, capsys, scheme):
    key = issue(fact_checker.username, capsys=capsys)
    api.credentials(HTTP_AUTHORIZATION=f"{scheme} {key}")
    response = api.get("/api/v1/claims/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    body = response.json()
    assert body["status"] == 401
    assert body["type"] == "authentication_failed"
    assert "Authorization: Token <key>" in body["detail"]


def test_wrong_tokens_are_throttled_per_address(api, fact_checker, capsys, settings):
    settings.API_AUTH_FAILURE_RATE = "5/min"
    key = issue(fact_checker.username, capsys=capsys)
    for attempt in range(5):
        api.credentials(HTTP_AUTHORIZATION=f"Token {key[:-1]}x{attempt}")
        assert api.get("/api/v1/claims/").status_code == 401
    # Even the right key waits now: guessing cannot go on at full speed from one address.
    response = reads_as(api, key)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["type"] == "throttled"
    # Another address is not held back (no proxy is trusted: REMOTE_ADDR counts).
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/claims/", REMOTE_ADDR="10.1.2.3").status_code == 200


def test_the_admin_shows_the_prefix_only(client_for, admin_user, fact_checker, capsys):
    key = issue(fact_checker.username, capsys=capsys)
    token = ApiToken.objects.get()
    page = client_for(admin_user).get("/admin/accounts/apitoken/").content.decode()
    assert token.prefix in page
    assert key.partition(".")[2] not in page
    change = client_for(admin_user).get(f"/admin/accounts/apitoken/{token.pk}/change/")
    assert change.status_code == 200
    assert key.partition(".")[2] not in change.content.decode()
