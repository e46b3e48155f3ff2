"""Who is told of what: each event of the desk reaches the people it concerns, written with the
change that caused it (a change that rolls back tells nobody), and never the person who acted."""

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from claims import services
from claims.models import ConfirmationState
from notifications.models import EmailStatus, Notification, NotificationKind
from notifications.services import set_email_preference
from tests.factories import ClaimFactory, EvidenceFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

K = NotificationKind


@pytest.fixture
def claim():
    claim = ClaimFactory()
    EvidenceFactory(claim=claim, source=SourceFactory(title="Reuters"))
    EvidenceFactory(claim=claim, source=SourceFactory(title="AFP"))
    return claim


@pytest.fixture
def second_editor(db):
    user = UserFactory(username="erin.editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def told(kind=None):
    """(recipient's username, kind) of every notification, in the order written."""
    rows = Notification.objects.order_by("id")
    if kind:
        rows = rows.filter(kind=kind)
    return [(n.recipient.username, n.kind) for n in rows]


def confirm(claim, who):
    return services.change_state(
        claim=claim, to_state=ConfirmationState.CONFIRMED, rationale="Reuters and AFP.", author=who
    )


def test_an_assignment_tells_the_assignee_but_not_who_takes_a_claim_themselves(
    claim, fact_checker, editor
):
    services.edit_claim(claim=claim, author=fact_checker, assignee=fact_checker)
    assert told() == []

    services.edit_claim(claim=claim, author=fact_checker, assignee=None)
    services.edit_claim(claim=claim, author=editor, assignee=fact_checker)
    (notification,) = Notification.objects.all()
    assert notification.recipient == fact_checker
    assert notification.kind == K.ASSIGNED
    assert notification.actor == editor
    assert notification.claim == claim
    assert notification.title.startswith(f"eddie.editor assigned you claim #{claim.pk}")
    # Saving the claim again, still theirs, tells nobody anything new.
    services.edit_claim(claim=claim, author=editor, wording="Reworded", assignee=fact_checker)
    assert Notification.objects.count() == 1


def test_a_claim_recorded_for_someone_else_tells_them(fact_checker, editor):
    article = ClaimFactory().article
    services.create_claim(
        article=article,
        wording="Critics doubt June",
        quote="it would not open before June",
        assignee=fact_checker,
        author=editor,
    )
    assert told() == [("fiona.factchecker", K.ASSIGNED)]


def test_a_submission_asks_every_editor_who_may_approve_it(
    claim, fact_checker, editor, second_editor
):
    claim = confirm(claim, fact_checker)
    services.submit_for_review(claim=claim, author=fact_checker, comment="Two wires agree.")
    assert sorted(told()) == [
        ("eddie.editor", K.REVIEW_REQUESTED),
        ("erin.editor", K.REVIEW_REQUESTED),
    ]
    assert {n.body for n in Notification.objects.all()} == {"Two wires agree."}


def test_four_eyes_asks_only_the_editor_who_did_not_write_the_verdict(
    claim, fact_checker, editor, second_editor
):
    claim = confirm(claim, editor)  # eddie set it: erin must approve
    services.submit_for_review(claim=claim, author=fact_checker)
    assert told() == [("erin.editor", K.REVIEW_REQUESTED)]


def test_where_four_eyes_leave_nobody_every_editor_is_told(claim, editor, settings):
    settings.FOUR_EYES = "on"
    claim = confirm(claim, editor)
    fact_checker = UserFactory(username="fred", is_staff=True)
    fact_checker.groups.add(Group.objects.get(name="Fact-checkers"))
    services.submit_for_review(claim=claim, author=fact_checker)
    assert told() == [("eddie.editor", K.REVIEW_REQUESTED)]


def test_a_published_claim_changed_back_into_review_asks_the_editors(
    claim, fact_checker, editor, second_editor
):
    claim = confirm(claim, fact_checker)
    claim = services.submit_for_review(claim=claim, author=fact_checker)
    claim = services.approve(claim=claim, author=editor)
    Notification.objects.all().delete()
    services.edit_claim(
        claim=claim, author=fact_checker, wording="A sharper wording", reason="Tightened."
    )
    assert sorted(told()) == [
        ("eddie.editor", K.REVIEW_REQUESTED),
        ("erin.editor", K.REVIEW_REQUESTED),
    ]


def test_sending_back_tells_whose_claim_it_is_with_the_editors_comment(claim, fact_checker, editor):
    claim = confirm(claim, fact_checker)
    claim = services.submit_for_review(claim=claim, author=fact_checker)
    Notification.objects.all().delete()
    services.send_back(claim=claim, author=editor, comment="Name the AFP report's date.")
    (notification,) = Notification.objects.all()
    # Unassigned: the fact-checker who sent it to review.
    assert (notification.recipient, notification.kind) == (fact_checker, K.SENT_BACK)
    assert notification.body == "Name the AFP report's date."
    assert "sent" in notification.title
    assert "back to you" in notification.title


def test_sending_back_tells_the_assignee(claim, fact_checker, editor):
    other = UserFactory(username="fred", is_staff=True)
    other.groups.add(Group.objects.get(name="Fact-checkers"))
    claim = services.edit_claim(claim=claim, author=editor, assignee=other)
    claim = confirm(claim, fact_checker)
    claim = services.submit_for_review(claim=claim, author=fact_checker)
    Notification.objects.all().delete()
    services.send_back(claim=claim, author=editor, comment="Fred: check the date.")
    assert told() == [("fred", K.SENT_BACK)]


def test_a_comment_tells_each_desk_member_it_mentions(claim, fact_checker, editor, outsider):
    body = (
        "@Fiona.Factchecker can you find the letter? Ask @eddie.editor. "
        "Mail oscar@oscar.outsider, not @oscar.outsider; @nobody is nobody."
    )
    services.add_comment(claim=claim, author=editor, body=body)
    # fiona (any case); eddie wrote it; the outsider is not on the desk; nobody does not exist.
    (notification,) = Notification.objects.all()
    assert (notification.recipient, notification.kind) == (fact_checker, K.MENTIONED)
    assert notification.body == body
    assert notification.title.startswith(f"eddie.editor mentioned you on claim #{claim.pk}")


def test_an_approval_tells_who_set_the_verdict_and_a_correction_says_so(
    claim, fact_checker, editor
):
    claim = confirm(claim, fact_checker)
    claim = services.submit_for_review(claim=claim, author=fact_checker)
    Notification.objects.all().delete()
    claim = services.approve(claim=claim, author=editor, comment="Good work.")
    (approved,) = Notification.objects.all()
    assert (approved.recipient, approved.kind, approved.body) == (
        fact_checker,
        K.VERDICT_APPROVED,
        "Good work.",
    )
    assert "approved your verdict" in approved.title
    assert "confirmed" in approved.title

    claim = services.change_state(
        claim=claim,
        to_state=ConfirmationState.PARTLY_CONFIRMED,
        rationale="AFP now says the date was wrong.",
        author=fact_checker,
    )  # back in review by itself: the public verdict changes
    services.approve(claim=claim, author=editor, correction="The date was wrong; the rest holds.")
    corrected = Notification.objects.filter(kind=K.VERDICT_CORRECTED).get()
    assert corrected.recipient == fact_checker
    assert corrected.body == "The date was wrong; the rest holds."
    assert "now partly confirmed" in corrected.title


def test_nobody_is_told_of_a_change_that_rolled_back(claim, fact_checker, editor):
    claim = confirm(claim, fact_checker)
    seen_inside = []

    def submit_then_fail():
        with transaction.atomic():
            services.submit_for_review(claim=claim, author=fact_checker)
            # its email, enqueued in the same transaction
            seen_inside.append((told(), DBTaskResult.objects.count()))
            raise RuntimeError("the request failed after the service")

    with pytest.raises(RuntimeError):
        submit_then_fail()
    assert seen_inside == [([("eddie.editor", K.REVIEW_REQUESTED)], 1)]
    assert told() == []
    assert DBTaskResult.objects.count() == 0


def test_email_is_enqueued_only_for_people_who_get_it(claim, fact_checker, editor):
    set_email_preference(user=editor, email=False)
    claim = confirm(claim, fact_checker)
    claim = services.submit_for_review(claim=claim, author=fact_checker)
    services.add_comment(claim=claim, author=editor, body="@fiona.factchecker which letter?")
    statuses = {n.recipient.username: n.email_status for n in Notification.objects.all()}
    assert statuses == {
        "eddie.editor": EmailStatus.NOT_WANTED,
        "fiona.factchecker": EmailStatus.PENDING,
    }
    (task,) = DBTaskResult.objects.all()
    assert task.queue_name == "email"
    assert task.task_path == "notifications.tasks.send_notification_email"
