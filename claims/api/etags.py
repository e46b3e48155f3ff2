"""A claim's ETag, built and read in this one place.

    "<id>-<p|v><version>-<digest>"

``p`` is the public's tag (the number of the published version), ``v`` the desk's (the working
copy's version, which If-Match names, and which the service checks under its lock). The digest is
of the bytes: a renamed source or a new provenance link changes the representation without
changing the claim. A write whose answer could not be read after it committed carries the tag
without a digest, which is still enough for If-Match.
"""

from common.api.conditional import etag_for

DIGEST_LENGTH = 12
MAX_VERSION_DIGITS = 18
HEX = frozenset("0123456789abcdef")


def claim_etag(pk: int, version: int, *, public: bool = False, data: dict | None = None) -> str:
    parts = [str(pk), f"{'p' if public else 'v'}{version}"]
    if data is not None:
        parts.append(etag_for(data).strip('"')[:DIGEST_LENGTH])
    return '"' + "-".join(parts) + '"'


def desk_version_in(tag: str, pk: int) -> int | None:
    """The working-copy version a desk tag of claim ``pk`` names; None for any other tag."""
    if len(tag) < 2 or tag[0] != '"' or tag[-1] != '"':
        return None
    parts = tag[1:-1].split("-")
    if len(parts) not in (2, 3) or parts[0] != str(pk) or not parts[1].startswith("v"):
        return None
    version = parts[1][1:]
    if not (version.isascii() and version.isdigit() and len(version) <= MAX_VERSION_DIGITS):
        return None
    if len(parts) == 3 and not (len(parts[2]) == DIGEST_LENGTH and set(parts[2]) <= HEX):
        return None
    return int(version)
