"""Sources archived as they were seen: dated snapshots fetched by the real worker, never
overwritten, opened by the desk only in a sandbox, seen by the public as a date and a hash."""

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from common.writes import writing_outside_services
from sources.models import SnapshotStatus, SourceSnapshot
from sources.services import request_snapshot
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    UserFactory,
    make_public,
)

REPORT = "<html><head><title>Report</title></head><body><p>What the minister said.</p><script>document.title='ran'</script></body></html>"


def admin_page(snapshot) -> str:
    return f"/admin/sources/sourcesnapshot/{snapshot.pk}/change/"


@pytest.fixture
def checker(transactional_db):
    user = UserFactory(username="fiona", is_staff=True)
    user.groups.add(Group.objects.get(name="Fact-checkers"))
    return user


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_snapshots_are_dated_copies_kept_side_by_side_never_overwritten(
    client, checker, local_site, run_task_worker
):
    report = SourceFactory(url=local_site.page("/report", REPORT))
    gone = SourceFactory(url=local_site.page("/gone", "gone", status=404))
    sneaky = SourceFactory(url=local_site.redirect("/r", "http://10.1.2.3/admin"))

    first = request_snapshot(source=report, author=checker)
    failures = [request_snapshot(source=s, author=checker) for s in (gone, sneaky)]
    # A second click while the first waits is the same snapshot, not a second fetch.
    assert request_snapshot(source=report, author=checker) == first
    assert DBTaskResult.objects.count() == 3
    run_task_worker()

    first.refresh_from_db()
    assert first.status == SnapshotStatus.ARCHIVED
    assert bytes(first.content) == REPORT.encode()
    assert first.sha256 == hashlib.sha256(REPORT.encode()).hexdigest()
    assert (first.http_status, first.final_url) == (200, report.url)
    gone_snapshot, sneaky_snapshot = (SourceSnapshot.objects.get(pk=s.pk) for s in failures)
    assert (gone_snapshot.status, gone_snapshot.error) == (
        SnapshotStatus.FAILED,
        "The site answered 404 (Not Found).",
    )
    assert sneaky_snapshot.error.startswith("That address (10.1.2.3) is on a private network")

    # The page changes; archiving again keeps a second snapshot beside the first.
    local_site.page("/report", REPORT.replace("minister", "prime minister"))
    second = request_snapshot(source=report, author=checker)
    run_task_worker()
    second.refresh_from_db()
    kept = SourceSnapshot.objects.get(pk=first.pk)
    assert second.status == SnapshotStatus.ARCHIVED
    assert second.sha256 != kept.sha256
    assert (kept.sha256, kept.fetched_at, bytes(kept.content)) == (
        first.sha256,
        first.fetched_at,
        REPORT.encode(),
    )

    client.force_login(checker)
    source_page = client.get(f"/admin/sources/source/{report.pk}/change/").text
    assert source_page.count("open the stored copy") == 2
    assert f'SHA-256 <code title="{second.sha256}">{second.sha256[:4]}…</code>' in source_page
    assert (
        "failed. The site answered 404 (Not Found)."
        in client.get(f"/admin/sources/source/{gone.pk}/change/").text
    )
    assert "Not archived." in client.get(admin_page(gone_snapshot)).text

    # The stored copy: the exact bytes, in a sandbox that runs no script, or as a download.
    shown = client.get(f"/admin/sources/sourcesnapshot/{first.pk}/copy/")
    assert shown.content == REPORT.encode()
    assert shown["Content-Security-Policy"].startswith("sandbox; default-src 'none'")
    assert "script-src" not in shown["Content-Security-Policy"]
    assert shown["X-Content-Type-Options"] == "nosniff"
    download = client.get(f"/admin/sources/sourcesnapshot/{first.pk}/download/")
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download.content == REPORT.encode()


@pytest.mark.django_db
def test_a_snapshot_needs_an_address_and_the_right_to_change_sources(fact_checker, outsider):
    with pytest.raises(ValidationError, match="no web address to archive"):
        request_snapshot(source=SourceFactory(url=""), author=fact_checker)
    with pytest.raises(PermissionDenied):
        request_snapshot(source=SourceFactory(), author=outsider)
    assert not SourceSnapshot.objects.exists()


@pytest.mark.django_db
def test_a_snapshot_lost_by_a_stopped_worker_is_failed_and_asked_again(fact_checker):
    source = SourceFactory()
    lost = request_snapshot(source=source, author=fact_checker)
    with writing_outside_services():
        SourceSnapshot.objects.filter(pk=lost.pk).update(
            requested_at=lost.requested_at - timedelta(minutes=11)
        )

    again = request_snapshot(source=source, author=fact_checker)

    assert again != lost
    lost.refresh_from_db()
    assert lost.status == SnapshotStatus.FAILED
    assert "did not finish" in lost.error


@pytest.mark.django_db
def test_the_snapshot_page_follows_the_fetch_and_desk_members_only_open_copies(
    client_for, fact_checker, outsider
):
    snapshot = request_snapshot(source=SourceFactory(), author=fact_checker)
    waiting = client_for(fact_checker).get(admin_page(snapshot)).text
    assert "Waiting for the background worker…" in waiting
    assert '<meta http-equiv="refresh" content="2">' in waiting
    # No stored copy before it is archived; nobody but the desk sees one.
    assert (
        client_for(fact_checker)
        .get(f"/admin/sources/sourcesnapshot/{snapshot.pk}/copy/")
        .status_code
        == 404
    )
    assert client_for(outsider).get(admin_page(snapshot)).status_code == 302


def archived_snapshot(source, author) -> SourceSnapshot:
    with writing_outside_services():
        snapshot = SourceSnapshot(
            source=source, requested_by=author, status=SnapshotStatus.ARCHIVED, http_status=200
        )
        snapshot.keep_bytes(REPORT.encode(), "text/html; charset=utf-8")
        snapshot.requested_url = snapshot.final_url = source.url
        snapshot.fetched_at = timezone.now()
        snapshot.save()
    return snapshot


@pytest.mark.django_db
def test_the_public_sees_a_snapshots_date_and_hash_and_its_copy_only_when_allowed(
    client, client_for, editor, settings
):
    # The public reads what was approved (claims.public): the evidence and its source's
    # snapshot are there before the editor approves.
    claim = ClaimFactory(article=ArticleFactory())
    cited = SourceFactory()
    EvidenceFactory(claim=claim, source=cited)
    shown = archived_snapshot(cited, editor)
    uncited = archived_snapshot(SourceFactory(), editor)
    claim = make_public(claim)

    page = client.get(f"/claims/{claim.pk}/").text
    assert "archived by the desk" in page
    assert shown.sha256 in page
    assert f"/snapshots/{shown.pk}/" not in page
    assert client.get(f"/snapshots/{shown.pk}/").status_code == 404

    # The public pages are stored as served: a change of the setting reaches them when the
    # read model is rebuilt, as the README says.
    settings.PUBLIC_SNAPSHOTS = True
    call_command("refresh_public")
    assert f"/snapshots/{shown.pk}/" in client.get(f"/claims/{claim.pk}/").text
    copy = client.get(f"/snapshots/{shown.pk}/")
    assert copy.content == REPORT.encode()
    assert copy["Content-Security-Policy"].startswith("sandbox;")
    # A snapshot of a source no published verdict cites is not public, setting or not.
    assert client.get(f"/snapshots/{uncited.pk}/").status_code == 404
    assert client_for(editor).get(f"/snapshots/{uncited.pk}/").status_code == 200
