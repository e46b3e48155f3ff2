"""Word-level differences between two texts, for the editor's comparison of a working copy with
the public version: which words went, which came, the rest as it was.

The texts are cut into words, runs of spaces and single punctuation marks, and compared with
``difflib.SequenceMatcher`` on those tokens (so "ship" never matches inside "shipping"). The HTML
marks removed words with ``<del>`` and added ones with ``<ins>``; every piece of text is escaped.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# A word (letters and digits, with inner apostrophes and hyphens: "Lloyd's", "anti-ISIS"), a run
# of white space, or any other single character.
TOKEN = re.compile(r"\w+(?:['’\-]\w+)*|\s+|[^\w\s]")

EQUAL, DELETE, INSERT = "equal", "delete", "insert"


@dataclass(frozen=True)
class Piece:
    op: str  # EQUAL, DELETE or INSERT
    text: str


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text or "")


def word_diff(old: str, new: str) -> list[Piece]:
    """The pieces that turn ``old`` into ``new``: equal runs, deletions and insertions (a
    replacement is a deletion followed by an insertion). A lone space left equal between two
    changes reads as part of them: "<del>red</del> <ins>blue</ins> <del>big</del><ins>small</ins>"
    becomes "<del>red big</del><ins>blue small</ins>"."""
    a, b = tokens(old), tokens(new)
    runs: list = []  # an equal run's text, or a change's [deleted, inserted]
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            runs.append("".join(a[i1:i2]))
            continue
        deleted, inserted = "".join(a[i1:i2]), "".join(b[j1:j2])
        # Between two matching blocks there is one change at most: the one before this change
        # is two runs back, with only an equal run between.
        if len(runs) >= 2 and isinstance(runs[-2], list) and not runs[-1].strip():
            space = runs.pop()
            runs[-1][0] += space + deleted
            runs[-1][1] += space + inserted
        else:
            runs.append([deleted, inserted])
    pieces = []
    for run in runs:
        if isinstance(run, str):
            pieces.append(Piece(EQUAL, run))
            continue
        deleted, inserted = run
        if deleted.strip():
            pieces.append(Piece(DELETE, deleted))
        if inserted.strip():
            pieces.append(Piece(INSERT, inserted))
        elif not deleted.strip():  # white space only changed
            pieces.append(Piece(EQUAL, inserted))
    return pieces


def changed(old: str, new: str) -> bool:
    return (old or "") != (new or "")


def word_diff_html(old: str, new: str, *, context: int | None = None) -> SafeString:
    """The comparison as HTML: unchanged text as it is, removed words in ``<del>``, added ones
    in ``<ins>``, all escaped. With ``context`` (a number of words), a long unchanged run keeps
    that many words on each side of a change and stands as "…" in between (for long texts)."""
    parts = []
    pieces = word_diff(old, new)
    for n, piece in enumerate(pieces):
        if piece.op == DELETE:
            parts.append(f"<del>{escape(piece.text)}</del>")
        elif piece.op == INSERT:
            parts.append(f"<ins>{escape(piece.text)}</ins>")
        else:
            text = piece.text
            if context is not None:
                text = _shorten(text, context, first=n == 0, last=n == len(pieces) - 1)
            parts.append(escape(text))
    return mark_safe("".join(parts))  # noqa: S308 (every piece of text is escaped above)


def _shorten(text: str, context: int, *, first: bool, last: bool) -> str:
    words = tokens(text)
    count = sum(1 for t in words if t.strip())
    if count <= 2 * context + 1:
        return text
    head, tail = [], []
    seen = 0
    for t in words:
        if seen >= context:
            break
        head.append(t)
        seen += bool(t.strip())
    seen = 0
    for t in reversed(words):
        if seen >= context:
            break
        tail.insert(0, t)
        seen += bool(t.strip())
    if first:
        return "… " + "".join(tail).lstrip()
    if last:
        return "".join(head).rstrip() + " …"
    return "".join(head).rstrip() + " … " + "".join(tail).lstrip()
