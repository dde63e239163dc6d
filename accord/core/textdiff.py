"""Word-level differences between two texts, as escaped HTML for the history pages."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

# Words and the whitespace between them, so that joining the tokens gives back the text.
TOKEN = re.compile(r"\s+|\S+")
# A value this long, or with this many words, reads as prose rather than as a name.
LONG = 40
SENTENCE_WORDS = 5
# Beyond this many tokens a side the comparison costs more than it helps.
MAX_TOKENS = 20_000


def tokens(text: str) -> list[str]:
    """The words and whitespace runs of `text`, in order; they join back into `text`."""
    return TOKEN.findall(text)


def is_prose(old: object, new: object) -> bool:
    """Whether two values are texts worth comparing word by word.

    Both must be non-empty strings, and at least one longer than `LONG` characters or a
    sentence of `SENTENCE_WORDS` words or more. Short values (a name, a date, a choice) are
    better read whole.
    """
    if not isinstance(old, str) or not isinstance(new, str) or not old or not new:
        return False
    return any(len(v) > LONG or len(v.split()) >= SENTENCE_WORDS for v in (old, new))


def word_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """`old` with its removed words in `<del>` and `new` with its added words in `<ins>`.

    Both texts are escaped: only the markup added here is trusted. Unchanged words are left
    plain, and the whitespace is kept as it was, so each side reads as its text did.
    """
    a, b = tokens(old), tokens(new)
    if len(a) > MAX_TOKENS or len(b) > MAX_TOKENS:
        return (
            format_html('<del class="diff-del">{}</del>', old),
            format_html('<ins class="diff-ins">{}</ins>', new),
        )
    before: list[str] = []
    after: list[str] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            before.append(escape(removed))
            after.append(escape(added))
            continue
        if removed:
            before.append(format_html('<del class="diff-del">{}</del>', removed))
        if added:
            after.append(format_html('<ins class="diff-ins">{}</ins>', added))
    # Every piece was escaped or built by format_html above.
    return mark_safe("".join(before)), mark_safe("".join(after))  # noqa: S308
