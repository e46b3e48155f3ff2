import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture
def api():
    """An anonymous API client; ``api_as(user)`` gives one that sends the user's token."""
    return APIClient()


@pytest.fixture
def api_as():
    def with_token(user):
        token, _ = Token.objects.get_or_create(user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return with_token


@pytest.fixture
def seeded(db, load_seed_copy):
    load_seed_copy()
