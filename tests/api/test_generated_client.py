"""A client generated from /api/schema/ by openapi-python-client (a third-party generator, as
an outside team would use it) does the whole tour with no hand-written request: page through
every published claim, change a state with If-Match, and get a 304 for an unchanged claim
(issue 11).

The client's httpx speaks to the whole Django stack (every middleware, as under a server)
through httpx's WSGI transport, inside the test's transaction: a live server would need a
transactional test, whose flush leaves the browser tests that follow without the role groups.
The README's curl tour shows the same over a socket."""

import importlib
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from accounts.models import ApiToken
from claims.models import Claim, ConfirmationState, ReviewState

pytestmark = pytest.mark.django_db

BASE_URL = "http://testserver"

BIN = Path(sys.executable).parent


@pytest.fixture
def generated(tmp_path, monkeypatch):
    """The client package, generated from the live server's schema into tmp_path."""
    schema = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(schema))
    subprocess.run(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(schema),
            "--output-path",
            str(tmp_path / "claim_tracker_client"),
            "--meta",
            "none",
        ],
        check=True,
        capture_output=True,
        cwd=tmp_path,
        # Its post-generation hooks run ruff, from this virtual environment.
        env={"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield importlib.import_module("claim_tracker_client")
    for name in [m for m in sys.modules if m.startswith("claim_tracker_client")]:
        del sys.modules[name]


@pytest.fixture
def wsgi():
    """httpx's transport into Django's WSGI application. As Django's test client does, the
    connection is kept open between requests (it holds the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"transport": httpx.WSGITransport(app=get_wsgi_application())}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def module(name):
    return importlib.import_module(f"claim_tracker_client.{name}")


def test_the_generated_client_does_the_tour(generated, wsgi, fact_checker):
    call_command("load_seed", stdout=open("/dev/null", "w"))  # noqa: SIM115
    claims_list = module("api.claims.claims_list")
    claims_retrieve = module("api.claims.claims_retrieve")
    claims_state_create = module("api.claims.claims_state_create")
    state_change = module("models.state_change_request_request").StateChangeRequestRequest
    state = module("models.confirmation_state_enum").ConfirmationStateEnum

    anonymous = generated.Client(base_url=BASE_URL, httpx_args=wsgi)
    seen, cursor = [], None
    while True:  # every published claim, 5 a page, following the cursor
        answer = claims_list.sync_detailed(
            client=anonymous, page_size=5, cursor=cursor or generated.types.UNSET
        )
        assert answer.status_code == 200, (answer.status_code, answer.content[:300])
        page = answer.parsed
        seen += [claim.id for claim in page.results]
        if not page.next_:
            break
        cursor = parse_qs(urlsplit(page.next_).query)["cursor"][0]
    published = Claim.objects.filter(review_state=ReviewState.PUBLISHED)
    assert sorted(seen) == sorted(published.values_list("pk", flat=True))
    assert len(seen) > 5

    # Conditional GET: unchanged claim, 304 and no body.
    first = claims_retrieve.sync_detailed(client=anonymous, id=seen[0])
    assert first.status_code == 200
    etag = first.headers["ETag"]
    again = claims_retrieve.sync_detailed(client=anonymous, id=seen[0], if_none_match=etag)
    assert again.status_code == 304

    # A state change with If-Match, as a fact-checker with a token.
    _, key = ApiToken.objects.create_key(user=fact_checker, name="generated client")
    desk = generated.AuthenticatedClient(
        base_url=BASE_URL, token=key, prefix="Token", httpx_args=wsgi
    )
    draft = Claim.objects.filter(state=ConfirmationState.UNVERIFIED).first()
    current = claims_retrieve.sync_detailed(client=desk, id=draft.pk)
    changed = claims_state_create.sync_detailed(
        client=desk,
        id=draft.pk,
        body=state_change(state=state("in_progress"), reason="Started checking the figures."),
        if_match=current.headers["ETag"],
    )
    assert changed.status_code == 200, changed.content
    assert changed.parsed.state.value == "in_progress"
    stale = claims_state_create.sync_detailed(
        client=desk,
        id=draft.pk,
        body=state_change(state=state("unverified"), reason="Back."),
        if_match=current.headers["ETag"],
    )
    assert stale.status_code == 412
