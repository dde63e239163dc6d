"""The search language, parsed here so that no user input reaches an engine's syntax raw.

Words (all must match) and "quoted phrases" (the words in that order); nothing else. Any
other character separates words, so `AND OR "`, `*` or `NEAR(` are words or nothing: the
engines only ever see the terms this parser gives them, each quoted or passed as a value.
A word joined by punctuation ("early-warning", "e.g.") is a phrase of its parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

# The longest query, in characters (as the API's other search terms: core.apinput).
QUERY_MAX = 200
# More terms than this is not a search, and costs the engine for nothing.
TERMS_MAX = 20

TOKEN = re.compile(r"\w+", re.UNICODE)
# A phrase in double quotes (typographic ones too); an unclosed quote runs to the end.
QUOTED = re.compile(r'["“”„«»]([^"“”„«»]*)(?:["“”„«»]|$)')


class QueryError(ValueError):
    """The query cannot be searched; the message says why, for the user."""


@dataclass(frozen=True)
class Term:
    """A word (one token) or a phrase (several tokens, in order)."""

    tokens: tuple[str, ...]

    @property
    def is_phrase(self) -> bool:
        return len(self.tokens) > 1

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...]

    def fts5(self) -> str:
        """The FTS5 MATCH expression: every term a quoted string, all of them required.

        Tokens are \\w+ only, so they hold no quote; quoting them makes AND, OR, NOT and NEAR
        plain words for FTS5."""
        return " ".join('"' + term.text + '"' for term in self.terms)


def _terms(text: str) -> list[Term]:
    terms = []
    for chunk in text.split():
        tokens = tuple(TOKEN.findall(chunk))
        if tokens:
            terms.append(Term(tokens))
    return terms


def parse(text: str | None) -> Query:
    """The query's terms; QueryError when it is empty, too long or has no word to look for."""
    text = (text or "").replace("\x00", " ").strip()
    if not text:
        raise QueryError(_("Enter something to search for."))
    if len(text) > QUERY_MAX:
        raise QueryError(
            _("The search is too long: at most %(max)d characters.") % {"max": QUERY_MAX}
        )
    terms: list[Term] = []
    position = 0
    for match in QUOTED.finditer(text):
        terms += _terms(text[position : match.start()])
        tokens = tuple(TOKEN.findall(match.group(1)))
        if tokens:
            terms.append(Term(tokens))
        position = match.end()
    terms += _terms(text[position:])
    # The same term twice adds nothing.
    terms = list(dict.fromkeys(Term(tuple(t.lower() for t in term.tokens)) for term in terms))
    if not terms:
        raise QueryError(_("The search has no word to look for: use letters or digits."))
    if len(terms) > TERMS_MAX:
        raise QueryError(_("The search has too many words: at most %(max)d.") % {"max": TERMS_MAX})
    return Query(tuple(terms))
