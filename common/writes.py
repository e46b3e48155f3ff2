"""One write path: domain models are saved only from inside a service function.

Every write with rules goes through a service (``claims.services``, ``sources.services``): it
checks the author's permission, validates, writes and records the history. A model that mixes in
:class:`ServiceWritten` refuses ``save()`` and ``delete()`` anywhere else, so a new admin hook,
serializer or command that writes around the services fails the first time it runs (and its
test), instead of quietly skipping the review gate.

Services are marked with :func:`service`. Test factories and data migrations that build fixtures
on purpose say so with :func:`writing_outside_services`.
"""

import contextvars
import functools
from contextlib import contextmanager

_inside = contextvars.ContextVar("inside_service", default=0)


class WriteOutsideServices(RuntimeError):
    """A domain model was saved or deleted without going through its service."""


@contextmanager
def writing_outside_services():
    """For test factories and fixtures only: allow direct saves inside the block."""
    token = _inside.set(_inside.get() + 1)
    try:
        yield
    finally:
        _inside.reset(token)


def service(func):
    """Mark a function as a service: domain models may be saved while it runs."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        token = _inside.set(_inside.get() + 1)
        try:
            return func(*args, **kwargs)
        finally:
            _inside.reset(token)

    return wrapper


def inside_service() -> bool:
    return _inside.get() > 0


class ServiceWritten:
    """Mixin for models written only through services (put it before models.Model)."""

    def _refuse_outside_services(self, verb: str) -> None:
        if not inside_service():
            raise WriteOutsideServices(
                f"{type(self).__name__} is {verb} only through its service "
                f"({type(self)._meta.app_label}.services), which checks permissions and keeps "
                "the history; nothing else writes it."
            )

    def save(self, *args, **kwargs):
        self._refuse_outside_services("saved")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_outside_services("deleted")
        return super().delete(*args, **kwargs)
