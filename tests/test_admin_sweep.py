"""Every admin URL a desk member can reach, with a fixed corpus of bad values, never ends in a 500
(issue 18): the ids in its path, its query values and filters, its autocomplete search and a
forged bulk-action selection all pass through common/untrusted.py first. Runs on whichever
database the suite runs on (CI: both)."""

from urllib.parse import quote

import pytest
from django.contrib import admin
from django.contrib.admin import helpers
from django.db import models, transaction

pytestmark = pytest.mark.django_db

# Not ids, ids too large for any column, NUL, what a lone surrogate's bytes decode to.
BAD_IDS = ["abc", "9" * 25, "%00", "%ED%A0%80"]
BAD_VALUES = ["a%00b", "%ED%A0%80", "9" * 25, "(["]


@pytest.fixture
def seeded(load_seed_copy):
    load_seed_copy()


REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def urls_for(model, model_admin, real_pk) -> list[str]:
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    urls = [
        base + f"{bad}/{view}" for bad in BAD_IDS for view in ("change/", "history/", "delete/")
    ]
    urls += [base + f"?q={bad}" for bad in BAD_VALUES]
    urls += [base + f"?p={'9' * 25}", base + "?o=abc.-9x"]
    fields = [f for f in model._meta.get_fields() if getattr(f, "concrete", False)]
    for field in fields:
        name = field.name
        if isinstance(field, models.DateField | models.DateTimeField):
            urls += [base + f"?{name}__year=99999", base + f"?{name}__gte=99999-01-01"]
        elif isinstance(field, models.CharField | models.TextField):
            urls += [base + f"?{name}__regex=(", base + f"?{name}={quote(chr(0))}"]
        elif field.is_relation or isinstance(field, models.IntegerField | models.AutoField):
            urls += [base + f"?{name}={'9' * 25}", base + f"?{name}__in=1,abc"]
    urls += [base + "add/?" + "&".join(f"{f.name}=abc" for f in fields if f.is_relation)]
    for field_name in getattr(model_admin, "autocomplete_fields", ()):
        for bad in BAD_VALUES:
            urls.append(
                f"/admin/autocomplete/?term={bad}&app_label={model._meta.app_label}"
                f"&model_name={model._meta.model_name}&field_name={field_name}"
            )
    if real_pk is not None:
        urls += [base + f"{real_pk}/history/{bad}/" for bad in BAD_IDS]
    return urls


@pytest.mark.parametrize(
    ("model", "model_admin"), REGISTRY, ids=[m._meta.label for m, _ in REGISTRY]
)
def test_no_admin_url_answers_500_to_bad_values(client_for, admin_user, seeded, model, model_admin):
    client = client_for(admin_user)
    real = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    failures = []
    for url in urls_for(model, model_admin, real):
        try:
            with transaction.atomic():  # on PostgreSQL a failed query would end the test's
                status = client.get(url).status_code
        except Exception as error:
            failures.append((url, f"{type(error).__name__}: {error}"[:200]))
            continue
        if status >= 500:
            failures.append((url, status))
    changelist = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    for forged in (["abc"], ["9" * 25], ["1\x00"]):
        data = {"action": "delete_selected", helpers.ACTION_CHECKBOX_NAME: forged}
        try:
            with transaction.atomic():
                status = client.post(changelist, data).status_code
        except Exception as error:
            failures.append((f"POST {changelist} {forged}", f"{type(error).__name__}: {error}"))
            continue
        if status >= 500:
            failures.append((f"POST {changelist} {forged}", status))
    assert failures == []


def test_bad_values_are_answered_with_a_sentence(client_for, admin_user, seeded):
    client = client_for(admin_user)
    response = client.get("/admin/claims/article/?created_at__year=99999")
    assert response.status_code == 400
    assert (
        "The filter created_at__year takes a whole number from 1 to 9999"
        in response.content.decode()
    )
    response = client.get("/admin/claims/claim/?wording__regex=(")
    assert response.status_code == 400
    assert "regular expression" in response.content.decode()
    assert client.get("/admin/claims/article/abc/change/").status_code == 404
    response = client.post(
        "/admin/claims/claim/", {"action": "delete_selected", helpers.ACTION_CHECKBOX_NAME: ["abc"]}
    )
    assert response.status_code == 400
    assert "nothing was done" in response.content.decode()
