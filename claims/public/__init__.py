"""What the public reads: one read model, written when what the public may read changes.

``refresh`` is the one way in: the services call it in the transaction of an approval, a
withdrawal, the publication of an article's changes and the seed's load, with the claims and
articles concerned. ``rebuild`` and ``differences`` are ``manage.py refresh_public`` (and
``--check``). The rows (``claims.public.models``) are built from the frozen versions only
(``claims.public.build``), so a rebuild changes nothing unless something was written around the
services.
"""


def refresh(*, claims=(), articles=()) -> None:
    """Bring the public rows of these claims (ids or instances) and articles up to date with
    their live published versions, and the rows of what they show (the other claims of their
    articles, their sources and outlets, the articles' old addresses)."""
    from .sync import refresh_rows

    refresh_rows(
        claim_ids={getattr(c, "pk", c) for c in claims},
        article_ids={getattr(a, "pk", a) for a in articles},
    )


def rebuild() -> int:
    """Every row again; returns how many rows were written or removed."""
    from .sync import rebuild_all

    return rebuild_all(write=True)


def differences() -> list[str]:
    """What a rebuild would change, one line a row (nothing written)."""
    from .sync import differences_all

    return differences_all()
