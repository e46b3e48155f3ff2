"""A new desk member sets their own password from the link in their invitation, which the worker
emails (the console backend here): the link works once; a lead sends a new one on request."""

import re

from django.contrib.auth import get_user_model
from django.test import Client

from accounts import services
from notifications.models import Notification, NotificationKind

User = get_user_model()


def invitation_link(output: str) -> str:
    return re.search(r"http://127\.0\.0\.1:8000(/account/set-password/\S+/)", output).group(1)


def test_the_invitation_link_sets_a_password_once(run_task_worker, admin_user, client_for):
    services.add_desk_member(
        author=admin_user, username="nadia", email="nadia@example.org", role="editor"
    )
    output = run_task_worker()
    assert "To: nadia@example.org" in output
    assert 'You sign in as "nadia"' in output
    link = invitation_link(output)

    visitor = Client()
    form = visitor.get(link, follow=True)
    assert "Choose a password" in form.content.decode()
    new = {"new_password1": "a long walk to the river", "new_password2": "a long walk to the river"}
    done = visitor.post(form.redirect_chain[-1][0], new, follow=True)
    assert "Your password is set." in done.content.decode()
    signed_in = visitor.post(
        "/admin/login/?next=/admin/", {"username": "nadia", "password": new["new_password1"]}
    )
    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/admin/"

    again = Client().get(link, follow=True).content.decode()
    assert "This link has been used already, or it has expired." in again


def test_a_lead_sends_a_new_invitation_to_who_has_not_set_a_password(
    db, admin_user, client_for, fact_checker
):
    nadia = services.add_desk_member(
        author=admin_user, username="nadia", email="nadia@example.org", role="fact_checker"
    )
    response = client_for(admin_user).post(
        "/admin/accounts/deskmember/",
        {"action": "invite_again", "_selected_action": [nadia.pk, fact_checker.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "A new invitation is on its way to nadia." in page
    assert "No invitation for fiona.factchecker: they have set a password already." in page
    welcomes = Notification.objects.filter(kind=NotificationKind.WELCOME)
    assert [n.recipient.username for n in welcomes] == ["nadia", "nadia"]
