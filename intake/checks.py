from django.conf import settings
from django.core import checks


def check_fetch_test_setting(app_configs=None, **kwargs):
    """The test suite's loopback allowance must never reach production."""
    if getattr(settings, "FETCH_ALLOW_LOCAL_TEST_SERVER", False):
        return [
            checks.Warning(
                "FETCH_ALLOW_LOCAL_TEST_SERVER is on: the fetcher may reach 127.0.0.1, this "
                "server itself.",
                hint="Unset FETCH_ALLOW_LOCAL_TEST_SERVER: it is for the test suite only.",
                id="intake.W001",
            )
        ]
    return []
