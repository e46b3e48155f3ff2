"""Sign-in lockout with a cool-off (per account and per address), and rate limits that count the
real client address: X-Forwarded-For is believed only through TRUSTED_PROXY_COUNT proxies."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's


def sign_in(client, username, password, address="192.0.2.10"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def signed_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_twenty_wrong_passwords_pause_the_account_then_the_cool_off_ends_it(settings):
    editor = UserFactory(username="ed", is_staff=True)
    client = Client()
    for _ in range(19):
        assert sign_in(client, editor.username, "wrong").status_code == 200
    # The twentieth wrong password pauses the account; the right one is then refused too.
    assert sign_in(client, editor.username, "wrong").status_code == 429
    locked = sign_in(client, editor.username, PASSWORD)
    assert locked.status_code == 429
    assert "Too many wrong passwords" in locked.content.decode()
    assert "15 minutes" in locked.content.decode()
    # Per account: another address gets no further with this account.
    assert sign_in(Client(), editor.username, PASSWORD, address="198.51.100.7").status_code == 429
    # A cool-off, not a permanent lock: once it has passed, the right password signs in.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert signed_in(sign_in(client, editor.username, PASSWORD))


def test_one_address_trying_many_accounts_is_paused(settings):
    editor = UserFactory(username="ed", is_staff=True)
    client = Client()
    for k in range(20):
        sign_in(client, f"someone{k}", "wrong", address="203.0.113.5")
    assert sign_in(client, editor.username, PASSWORD, address="203.0.113.5").status_code == 429
    assert signed_in(sign_in(Client(), editor.username, PASSWORD, address="203.0.113.99"))


def test_a_made_up_forwarded_for_does_not_escape_the_lockout():
    editor = UserFactory(username="ed", is_staff=True)
    client = Client()
    for k in range(20):
        client.post(
            "/admin/login/",
            {"username": f"someone{k}", "password": "wrong"},
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{k}",
        )
    response = client.post(
        "/admin/login/",
        {"username": editor.username, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.5",
        HTTP_X_FORWARDED_FOR="10.9.9.9",
    )
    assert response.status_code == 429


def test_a_spoofed_forwarded_for_gains_nothing_against_the_rate_limit(settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anon": "5/min"}
    api = APIClient()
    statuses = [
        api.get("/api/v1/outlets/", HTTP_X_FORWARDED_FOR=f"10.0.{k // 250}.{k % 250}").status_code
        for k in range(8)
    ]
    assert statuses == [200] * 5 + [429] * 3


def test_behind_a_trusted_proxy_the_forwarded_address_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anon": "2/min"}
    api = APIClient()
    # Through the proxy (REMOTE_ADDR 127.0.0.1), two clients each get their own allowance; what a
    # client writes before the proxy's entry is not believed.
    for client_address in ("198.51.100.1", "198.51.100.2"):
        for _ in range(2):
            forwarded = f"6.6.6.{_}, {client_address}"
            response = api.get("/api/v1/outlets/", HTTP_X_FORWARDED_FOR=forwarded)
            assert response.status_code == 200
        assert (
            api.get(
                "/api/v1/outlets/", HTTP_X_FORWARDED_FOR=f"7.7.7.7, {client_address}"
            ).status_code
            == 429
        )
