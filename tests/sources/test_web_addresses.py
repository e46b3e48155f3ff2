"""Web addresses are http or https only: the form says so in words, the database refuses the rest."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Value

from common.writes import writing_outside_services
from sources.models import Outlet, Source
from sources.services import save_outlet
from tests.factories import OutletFactory, SourceFactory, desk_author

pytestmark = pytest.mark.django_db

REFUSED = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "ftp://files.example.org/report.pdf",
    "//example.org/no-scheme",
    "example.org/no-scheme",
    " javascript:alert(1)",
    "http://",
    "https:/example.org",
]


@pytest.mark.parametrize("address", REFUSED)
def test_validation_refuses_non_web_addresses_with_a_sentence(address):
    source = SourceFactory.build(outlet=None, url=address)
    with pytest.raises(ValidationError) as caught:
        source.full_clean()
    assert caught.value.message_dict["url"] == [
        "Enter a web address that starts with http:// or https://."
    ]


@pytest.mark.parametrize(
    "address",
    ["javascript:alert(1)", "data:text/html,x", "ftp://x.org/", "HTTP://x.org", "http://"],
)
def test_database_refuses_what_skips_validation(address):
    source = SourceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        # .update() with a raw Value skips every form, model and field check (even the field's
        # lower-casing of the scheme): only the database stands in the way.
        Source.objects.filter(pk=source.pk).update(url=Value(address))


def test_mixed_case_scheme_is_stored_lower_case():
    outlet = OutletFactory.build(homepage="HTTPS://Example.org/Path")
    save_outlet(outlet=outlet, author=desk_author())
    outlet.refresh_from_db()
    assert outlet.homepage == "https://Example.org/Path"


def test_blank_address_is_allowed_when_none_is_known():
    source = SourceFactory(url="", archived_url="")
    source.full_clean()
    assert Source.objects.get(pk=source.pk).url == ""


def test_form_refuses_an_address_without_a_scheme_instead_of_guessing_one():
    field = Source._meta.get_field("url").formfield()
    with pytest.raises(ValidationError, match="starts with http:// or https://"):
        field.clean("example.org/page")
    assert field.clean("HTTPS://example.org/page") == "https://example.org/page"


def test_outlet_names_are_unique_whatever_their_case():
    OutletFactory(name="Reuters")
    duplicate = Outlet(name="REUTERS", kind="news_agency")
    with pytest.raises(ValidationError, match="An outlet with this name already exists"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic(), writing_outside_services():
        duplicate.save()


def test_a_source_is_not_read_before_it_was_published():
    import datetime as dt

    source = SourceFactory.build(
        outlet=None, published_on=dt.date(2020, 1, 6), accessed_on=dt.date(2020, 1, 5)
    )
    with pytest.raises(ValidationError) as caught:
        source.full_clean()
    assert "before it was published" in str(caught.value)
    with pytest.raises(IntegrityError), transaction.atomic(), writing_outside_services():
        source.save()
