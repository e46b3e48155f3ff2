"""No page a desk member reaches holds a form inside another form.

A browser drops a <form> written inside another: its fields and button then belong to the outer
form, and the button submits that one ("Add comment" on a claim's page saved the claim and lost
the comment). This sweep loads, as a superuser, an editor, a fact-checker and a desk lead, every
admin page of every registered model (list, add page, an object's change, history and delete
pages, and the model admin's own GET pages), the admin home with its queues, and the status
pages of the seed, and parses the HTML served.
"""

import json
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse

from accounts import services as accounts
from claims import services
from claims.models import Article, Claim
from intake import services as intake
from matching import services as matching
from sources import services as sources
from sources.models import Source
from suggestions import services as suggestions
from suggestions.sentences import split_sentences
from tests.factories import UserFactory
from tests.matching.test_import import FEED

pytestmark = pytest.mark.django_db

# Registered models nothing in the seed or this test makes a row of: their change pages are
# Django's or a library's own (login attempts, task results), with no form of this project's.
NO_ROW_HERE = {"axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}
STANDARD_VIEWS = ("changelist", "add", "change", "history", "delete", "autocomplete")


class FormNesting(HTMLParser):
    """Counts how deep each <form> opens; a form that opens at depth one or more is nested."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.nested: list[tuple[int, int]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            if self.depth:
                self.nested.append(self.getpos())
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "form" and self.depth:
            self.depth -= 1


def nested_forms(html: str) -> list[tuple[int, int]]:
    parser = FormNesting()
    parser.feed(html)
    parser.close()
    return parser.nested


def test_the_parser_finds_a_nested_form():
    assert nested_forms("<form><p><form></form></p></form>") == [(1, 9)]
    assert nested_forms("<form></form><form><input></form>") == []


def _rows_the_seed_has_not(editor, fact_checker):
    claim = Claim.objects.order_by("pk").first()
    services.add_comment(claim=claim, author=editor, body=f"@{fact_checker.username} the date?")
    draft = Claim.objects.filter(review_state="draft").order_by("pk").first() or claim
    services.change_state(
        claim=draft, to_state="in_progress", rationale="Checking again.", author=fact_checker
    )
    intake.read_pasted_text(
        text="Officials said the bridge would open in May.\n\nCritics doubted it.",
        author=fact_checker,
    )
    source = Source.objects.exclude(url="").order_by("pk").first()
    sources.request_snapshot(source=source, author=fact_checker)  # and its task's result row
    accounts.issue_token(user=fact_checker, name="The desk's script")
    article = Article.objects.order_by("pk").first()
    first = split_sentences(article.text)[0]
    suggestions.dismiss_suggestion(
        article=article, start=first.start, end=first.end, author=fact_checker
    )
    # Another desk's fact-check, and an import of one from an address (and its task's row).
    matching.import_feed(content=json.dumps(FEED).encode(), author=fact_checker)
    matching.request_import_from_address(url="https://checks.example.org/1", author=fact_checker)


def _object_of(model_admin):
    return model_admin.model._default_manager.order_by("pk").first()


def _admin_pages(user) -> list[str]:
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        urls.append(reverse(f"{prefix}_changelist"))
        urls.append(reverse(f"{prefix}_add"))
        row = _object_of(model_admin)
        if row is None:
            assert opts.label_lower in NO_ROW_HERE, f"no {opts.label} to open: make one"
            continue
        for view in ("change", "history", "delete"):
            urls.append(reverse(f"{prefix}_{view}", args=[row.pk]))
        for pattern in model_admin.get_urls():
            name = pattern.name or ""
            if not name.startswith(f"{opts.app_label}_{opts.model_name}_") or name.endswith(
                STANDARD_VIEWS
            ):
                continue
            for args in ([], [row.pk]):
                try:
                    urls.append(reverse(f"admin:{name}", args=args))
                    break
                except NoReverseMatch:
                    continue
    return urls


def _status_pages() -> list[str]:
    urls = [reverse("claims:dashboard")]
    urls += [
        reverse("claims:article", args=[slug])
        for slug in Article.objects.values_list("slug", flat=True)
    ]
    urls += [
        reverse("claims:claim", args=[pk]) for pk in Claim.objects.values_list("pk", flat=True)
    ]
    return urls


def test_no_page_a_desk_member_reaches_holds_a_form_inside_a_form(
    client, load_seed_copy, admin_user, editor, fact_checker
):
    load_seed_copy()
    lead = UserFactory(username="lena.lead", is_staff=True)
    lead.groups.add(*Group.objects.filter(name__in=["Editors", "Desk leads"]))
    _rows_the_seed_has_not(editor, fact_checker)

    loaded, found = 0, []
    for user in (admin_user, editor, fact_checker, lead):
        client.force_login(user)
        for url in _admin_pages(user) + _status_pages():
            response = client.get(url)
            assert response.status_code < 500, url
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue  # not theirs (403), moved on (302), a file: nothing to parse
            loaded += 1
            found += [
                f"{user.username} {url} line {line}"
                for line, _ in nested_forms(response.content.decode())
            ]
    assert found == []
    assert loaded > 150  # the sweep reached the pages, not only their sign-in redirects
