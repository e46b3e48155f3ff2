import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken


@pytest.fixture
def api():
    """An anonymous API client; ``api_as(user)`` gives one that sends the user's token."""
    return APIClient()


@pytest.fixture
def api_as():
    def with_token(user):
        _, key = ApiToken.objects.create_key(user=user, name="test client")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return with_token


@pytest.fixture
def seeded(db, load_seed_copy):
    load_seed_copy()
