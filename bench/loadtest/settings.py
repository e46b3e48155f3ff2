"""Settings for `make loadtest` only: production's, plus the floor view's URL configuration.
Never used in production: only bench/loadtest/run.sh names this module."""

from tracker.settings import *  # noqa: F403

ROOT_URLCONF = "bench.loadtest.urls"
