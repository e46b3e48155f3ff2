"""Reading other desks' ClaimReview: from a fact-check page (JSON-LD, microdata and RDFa, with
extruct) or from a schema.org DataFeed of them (Claim Tracker's own feed is one)."""

import datetime as dt
import json
from dataclasses import dataclass

import extruct

SCHEMA = ("http://schema.org/", "https://schema.org/")


@dataclass
class Review:
    claim_reviewed: str
    title: str
    rating_name: str
    rating_value: float | None
    best_rating: float | None
    worst_rating: float | None
    publisher: str
    reviewed_on: dt.date | None
    url: str
    language: str


def _type_of(item) -> set[str]:
    kinds = item.get("@type", item.get("type", []))
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return {str(kind).removeprefix(SCHEMA[0]).removeprefix(SCHEMA[1]) for kind in kinds}


def _first(value):
    while isinstance(value, list):
        value = value[0] if value else None
    return value


def _text(value) -> str:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("@value", value.get("name", ""))
    return str(value or "").strip()


def _number(value) -> float | None:
    try:
        return float(_text(value))
    except ValueError:
        return None


def _date(value) -> dt.date | None:
    text = _text(value)[:10]
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _name(value) -> str:
    value = _first(value)
    if isinstance(value, dict):
        return _text(value.get("name", ""))
    return _text(value)


def _normalised(item):
    """RDFa and microdata items as JSON-LD-like dicts (property names without the vocabulary)."""
    if not isinstance(item, dict):
        return item
    if "properties" in item:  # microdata
        out = {"@type": item.get("type")}
        out.update({key: _normalised(value) for key, value in item["properties"].items()})
        return out
    out = {}
    for key, value in item.items():
        short = key
        for prefix in SCHEMA:
            short = short.removeprefix(prefix)
        out[short] = (
            [_normalised(v) for v in value] if isinstance(value, list) else _normalised(value)
        )
    return out


def _walk(item):
    """Every dict in ``item``, itself included (a feed's elements, a @graph's nodes)."""
    if isinstance(item, dict):
        yield item
        for value in item.values():
            yield from _walk(value)
    elif isinstance(item, list):
        for value in item:
            yield from _walk(value)


def _review(item, *, page_url: str, language: str) -> Review | None:
    claim = _text(item.get("claimReviewed"))
    if not claim:
        return None
    rating = _first(item.get("reviewRating")) or {}
    rating = rating if isinstance(rating, dict) else {}
    return Review(
        claim_reviewed=claim,
        title=_text(item.get("headline") or item.get("name"))[:500],
        rating_name=_text(rating.get("alternateName") or rating.get("name"))[:200],
        rating_value=_number(rating.get("ratingValue")),
        best_rating=_number(rating.get("bestRating")),
        worst_rating=_number(rating.get("worstRating")),
        publisher=_name(item.get("author") or item.get("publisher"))[:300],
        reviewed_on=_date(item.get("datePublished")),
        url=(_text(item.get("url")) or page_url)[:2000],
        language=_text(item.get("inLanguage"))[:35] or language,
    )


def _reviews_in(items, *, page_url: str, language: str) -> list[Review]:
    found, seen = [], set()
    for item in _walk(items):
        if "ClaimReview" in _type_of(item):
            review = _review(item, page_url=page_url, language=language)
            if review and (review.url, review.claim_reviewed) not in seen:
                seen.add((review.url, review.claim_reviewed))
                found.append(review)
    return found


def reviews_in_page(content: bytes, *, url: str = "") -> list[Review]:
    """The ClaimReviews marked up in an HTML page, in JSON-LD, microdata or RDFa."""
    html = content.decode("utf-8", errors="replace")
    data = extruct.extract(
        html, base_url=url or None, syntaxes=["json-ld", "microdata", "rdfa"], uniform=False
    )
    items = list(data.get("json-ld", []))
    items += [_normalised(item) for item in data.get("microdata", [])]
    items += [_normalised(item) for item in data.get("rdfa", [])]
    language = ""
    for item in data.get("json-ld", []):
        language = language or _text(item.get("inLanguage")) if isinstance(item, dict) else ""
    return _reviews_in(items, page_url=url, language=language)


def reviews_in_feed(content: bytes) -> list[Review]:
    """The ClaimReviews of a schema.org DataFeed (JSON), Claim Tracker's own feed included."""
    try:
        data = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"This file is not JSON ({error}).") from None
    return _reviews_in(data, page_url="", language=_text(_first(data).get("inLanguage"))
                       if isinstance(_first(data), dict) else "")  # fmt: skip
