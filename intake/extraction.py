"""From a page's bytes to an article's fields: the main text and its metadata (headline, byline,
publication date, site name, language, canonical address), with trafilatura.

trafilatura is the most accurate of the open-source extractors on the public benchmarks (F1
0.958 on the ScrapingHub article-extraction benchmark, against 0.949 for newspaper4k and 0.922
for readability); ``manage.py evaluate_extraction DIR`` measures it on any directory of saved
pages with their gold text (see intake/evaluation.py). The text it gives is what claims anchor
to, so it is kept as extracted: one paragraph a block, separated by a blank line.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import trafilatura

NO_TEXT = "No article text was found on that page."
# Below this, what trafilatura falls back to is a menu, a sign-in form or a cookie notice, not an
# article (the shortest news brief runs to several sentences).
MIN_ARTICLE_WORDS = 20


class ExtractionError(ValueError):
    """Nothing that reads as an article: the message is a sentence for the desk."""


@dataclass
class Extraction:
    headline: str = ""
    byline: str = ""
    published_on: date | None = None
    site_name: str = ""
    host: str = ""
    language: str = ""
    canonical_url: str = ""
    text: str = ""

    @property
    def text_sha256(self) -> str:
        return text_sha256(self.text)


def text_sha256(text: str) -> str:
    """The hash an article's text is recognised by: white space runs count as one space, so
    the same article saved from two copies with different line breaks is the same text."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


def site_host(url: str) -> str:
    """``https://www.Courier.example/news`` -> ``courier.example``: the site an outlet is
    recognised by."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.")


def _decoded(content: bytes, charset: str | None) -> str | bytes:
    # A charset the site declared in its Content-Type header wins over a guess; without one,
    # trafilatura reads the page's own <meta charset> (or guesses).
    if charset:
        try:
            return content.decode(charset, errors="replace")
        except LookupError:
            pass
    return content


def _declared_language(content: bytes | str) -> str:
    """The language the page says it is in (``<html lang>``, then the Content-Language meta,
    then Open Graph's locale), as a tag (``en-GB``); empty when it says nothing."""
    try:
        root = lxml.html.document_fromstring(content)
    except (ValueError, lxml.etree.ParserError):
        return ""
    candidates = [
        root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or "",
        *root.xpath(
            "//meta[translate(@http-equiv,'CONTENT-LANGUAGE','content-language')"
            "='content-language']/@content"
        ),
        *(
            value.replace("_", "-")
            for value in root.xpath("//meta[@property='og:locale']/@content")
        ),
    ]
    for candidate in candidates:
        tag = candidate.split(",")[0].strip()
        if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", tag):
            return tag
    return ""


def _paragraphs(text: str, headline: str) -> str:
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    # trafilatura often gives the headline as the text's first line: it is the headline's field.
    if lines and headline and lines[0] == headline.strip():
        lines = lines[1:]
    return "\n\n".join(lines)


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def extract_html(content: bytes, *, url: str = "", charset: str | None = None) -> Extraction:
    """The article in an HTML page: raises :class:`ExtractionError` when there is none."""
    page = _decoded(content, charset)
    document = trafilatura.bare_extraction(
        page,
        url=url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
    )
    if document is None or not (document.text or "").strip():
        raise ExtractionError(NO_TEXT)
    headline = (document.title or "").strip()
    text = _paragraphs(document.text, headline)
    if len(text.split()) < MIN_ARTICLE_WORDS:
        raise ExtractionError(NO_TEXT)
    canonical = (document.url or "").strip()
    if not canonical.lower().startswith(("http://", "https://")):
        canonical = url
    byline = "; ".join(part.strip() for part in (document.author or "").split(";") if part.strip())
    return Extraction(
        headline=headline[:500],
        byline=byline.replace("; ", ", ")[:300],
        published_on=_date(document.date),
        site_name=(document.sitename or "").strip()[:200],
        host=site_host(canonical or url) or (document.hostname or ""),
        language=_declared_language(page)[:35],
        canonical_url=canonical[:2000],
        text=text,
    )


def extract_plain_text(text: str) -> Extraction:
    """Pasted or fetched plain text: the text itself, paragraphs kept; nothing else to read."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ExtractionError("There is no text to make an article from.")
    return Extraction(text=re.sub(r"\n{3,}", "\n\n", text))


def extract(
    content: bytes, *, media_type: str, charset: str | None = None, url: str = ""
) -> Extraction:
    """Dispatch on the kind of document: HTML through trafilatura, plain text as it is."""
    if media_type == "text/plain":
        decoded = _decoded(content, charset or "utf-8")
        extraction = extract_plain_text(decoded if isinstance(decoded, str) else decoded.decode())
        if url:
            extraction.canonical_url, extraction.host = url, site_host(url)
        return extraction
    return extract_html(content, url=url, charset=charset)
