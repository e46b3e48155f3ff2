"""`manage.py issue_token USER` prints the token a tool sends as `Authorization: Token <key>`."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def issue(*args, capsys):
    call_command("issue_token", *args)
    return capsys.readouterr().out.strip()


def test_the_printed_token_reads_as_its_user(api, fact_checker, capsys):
    key = issue(fact_checker.username, capsys=capsys)
    assert Token.objects.get(user=fact_checker).key == key
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/claims/").status_code == 200
    assert issue(fact_checker.username, capsys=capsys) == key  # printed again, not replaced


def test_rotate_revokes_the_old_token(api, fact_checker, capsys):
    old = issue(fact_checker.username, capsys=capsys)
    new = issue(fact_checker.username, "--rotate", capsys=capsys)
    assert new != old
    api.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert api.get("/api/v1/claims/").status_code == 401


def test_unknown_or_inactive_users_get_no_token(outsider):
    with pytest.raises(CommandError, match="no user named “nobody”"):
        call_command("issue_token", "nobody")
    outsider.is_active = False
    outsider.save()
    with pytest.raises(CommandError, match="not active"):
        call_command("issue_token", outsider.username)
