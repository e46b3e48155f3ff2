"""The fact-checkers' and editors' workspace. One module a concern; importing registers them."""

from . import articles, audit, claims, desk_members  # noqa: F401
