"""``@username`` in a comment of the desk's discussion: who it names.

Usernames are Django's (letters, digits and ``@ . + - _``), so ``@fiona.smith`` is one name; a
sentence's full stop after it (``ask @fiona.``) is not part of it. An ``@`` inside a word (an
email address, ``fiona@example.org``) mentions nobody. Matching the accounts is the caller's
(``notifications.services.mentioned``), case-insensitively.
"""

import re

# An @ that does not follow a character a username (or an address) could hold.
MENTION = re.compile(r"(?<![\w.@+-])@([\w.@+-]+)")


def mentioned_usernames(text: str) -> set[str]:
    """Every username ``text`` may mention, lower-cased: each ``@name`` as written, and without
    the punctuation a sentence may put after it."""
    names = set()
    for match in MENTION.finditer(text or ""):
        name = match.group(1)
        names.add(name.lower())
        trimmed = name.rstrip(".-@+")
        if trimmed:
            names.add(trimmed.lower())
    return names
