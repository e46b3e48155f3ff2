"""Every page is well-formed, has one h1, headings in order, the landmarks, and a skip link."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Claim

from .conftest import SEED_SLUG

pytestmark = pytest.mark.django_db

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class Outline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.headings: list[int] = []
        self.landmarks: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag in {"header", "nav", "main", "footer"} and tag not in self.landmarks:
            self.landmarks.append(tag)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):  # <rect/>, <path/> in SVG
        if "id" in dict(attrs):
            self.ids.append(dict(attrs)["id"])

    def handle_endtag(self, tag):
        assert self.stack, f"</{tag}> closes nothing"
        opened = self.stack.pop()
        assert opened == tag, f"</{tag}> closes <{opened}>"


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    parser.close()
    assert parser.stack == [], f"unclosed: {parser.stack}"
    return parser


def pages(seeded) -> list[str]:
    claim = Claim.objects.filter(article=seeded, review_state="in_review").first()
    published = Claim.objects.filter(article=seeded).published().first()
    return [
        reverse("claims:dashboard"),
        reverse("claims:article", args=[SEED_SLUG]),
        reverse("claims:claim", args=[published.pk]),
        reverse("claims:claim", args=[claim.pk]),
    ]


@pytest.mark.parametrize("persona", [None, "editor"])
def test_pages_are_well_formed_with_headings_in_order_and_landmarks(request, seeded, persona):
    client = Client()
    if persona:
        client.force_login(request.getfixturevalue(persona))
    for url in pages(seeded):
        response = client.get(url)
        if response.status_code == 404:
            assert persona is None  # an in-review claim is not public
            continue
        page = outline(response.text)
        assert page.headings.count(1) == 1, url
        assert page.headings[0] == 1, url
        for before, after in zip(page.headings, page.headings[1:], strict=False):
            assert after <= before + 1, f"{url}: h{before} then h{after}"
        assert page.landmarks == ["header", "nav", "main", "footer"], url
        assert len(page.ids) == len(set(page.ids)), f"{url}: duplicate ids"
        assert '<a class="skip-link" href="#main">' in response.text
        assert '<main id="main"' in response.text
