"""The search language: words and quoted phrases, and nothing of an engine's syntax."""

import pytest

from accord.search.query import QUERY_MAX, QueryError, Term, parse


def terms(text):
    return [term.tokens for term in parse(text).terms]


def test_words_and_phrases_in_the_order_written():
    assert terms('mediation "early warning" OSCE') == [
        ("mediation",),
        ("early", "warning"),
        ("osce",),
    ]


def test_a_word_joined_by_punctuation_is_a_phrase():
    assert terms("early-warning") == [("early", "warning")]


def test_an_unclosed_quote_runs_to_the_end():
    assert terms('talks "early warning') == [("talks",), ("early", "warning")]


@pytest.mark.parametrize(
    "text",
    ['AND OR "', "NEAR(", 'title: "x" OR y*', "a AND NOT b", "^start", "{title body}: x", "x + y"],
)
def test_engine_syntax_is_plain_words(text):
    query = parse(text)
    match = query.fts5()
    # Only quoted tokens of letters and digits reach FTS5.
    for part in match.split('" "'):
        assert all(ch.isalnum() or ch in ' "_' for ch in part), match


@pytest.mark.parametrize("text", ["", "   ", None, '"', "*", "()", '"" ""', "---"])
def test_nothing_to_look_for_is_an_error(text):
    with pytest.raises(QueryError):
        parse(text)


def test_too_long_is_an_error():
    parse("a" * QUERY_MAX)
    with pytest.raises(QueryError, match="too long"):
        parse("a" * (QUERY_MAX + 1))


def test_the_same_term_twice_is_once():
    assert parse("Talks talks").terms == (Term(("talks",)),)


def test_fts5_expression_quotes_every_term():
    assert parse('OR "NEAR x"').fts5() == '"or" "near x"'


def test_a_snippet_is_escaped_marked_and_keeps_its_paragraphs_apart():
    from accord.search.selectors import highlight

    snippet = "Crisis response\n\nVisit to the \x02League\x03 <b>\nof Arab States"
    assert highlight(snippet) == (
        "Crisis response · Visit to the <mark>League</mark> &lt;b&gt; of Arab States"
    )
