import pytest


@pytest.fixture
def seeded(db, load_seed_copy):
    load_seed_copy()
