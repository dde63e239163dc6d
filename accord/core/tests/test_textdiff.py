"""Long texts in the history are compared word by word, and always escaped."""

import re

import pytest
from django.utils.safestring import SafeString

from accord.core.textdiff import is_prose, tokens, word_diff
from accord.registry import services
from accord.registry.models import Organization

MARK = re.compile(r"<(del|ins) class=\"diff-(?:del|ins)\">(.*?)</\1>", re.S)


def marked(html: str) -> list[str]:
    return [m[1] for m in MARK.findall(html)]


def plain(html: str) -> str:
    return MARK.sub(lambda m: m[2], html)


def test_tokens_keep_the_whitespace():
    text = "  The quick\tbrown\n\nfox. "
    assert "".join(tokens(text)) == text
    assert tokens("a  b") == ["a", "  ", "b"]


def test_unchanged_words_are_left_plain():
    old, new = word_diff("the quick brown fox jumps", "the quick brown fox jumps")
    assert (old, new) == ("the quick brown fox jumps", "the quick brown fox jumps")
    assert isinstance(old, SafeString) and isinstance(new, SafeString)


def test_a_replaced_word_is_the_only_one_marked():
    old, new = word_diff("the quick brown fox jumps", "the slow brown fox jumps")
    assert old == 'the <del class="diff-del">quick</del> brown fox jumps'
    assert new == 'the <ins class="diff-ins">slow</ins> brown fox jumps'


def test_removed_and_added_words():
    old, new = word_diff("one two three four five", "one three four five six seven")
    assert [m.strip() for m in marked(old)] == ["two"]
    assert [m.strip() for m in marked(new)] == ["six seven"]
    assert plain(old) == "one two three four five"
    assert plain(new) == "one three four five six seven"
    # Nothing was added on the old side, nothing removed on the new one.
    assert "<ins" not in old and "<del" not in new


def test_whitespace_reads_as_before():
    old_text = "Line one of the text.\n\nLine  two\tends here."
    new_text = "Line one of the long text.\n\nLine  two\tends here."
    old, new = word_diff(old_text, new_text)
    assert plain(old) == old_text
    assert plain(new) == new_text
    assert marked(old) == []
    assert [m.strip() for m in marked(new)] == ["long"]


def test_values_are_escaped():
    old, new = word_diff(
        "Trade & security <b>co-operation</b> with partners",
        'Trade & security <script>alert("x")</script> with partners',
    )
    assert "<script>" not in new and "<b>" not in old
    assert "&amp;" in old and "&amp;" in new
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in new
    assert "&lt;b&gt;co-operation&lt;/b&gt;" in old
    assert "<del" not in new and "<ins" not in old


def test_only_long_texts_are_compared_by_word():
    assert is_prose("x" * 41, "y")
    assert is_prose("Talks on border management go on", "Talks on border security go on")
    assert not is_prose("New York", "New York City")
    assert not is_prose("Vienna", "Geneva")
    assert not is_prose("", "A long description of the organization and its aims")
    assert not is_prose("A long description of the organization and its aims", "")
    assert not is_prose(1945, 1946)
    assert not is_prose(["a b c d e f"], ["a b c d e"])


LONG = (
    "The United Nations is an intergovernmental organization whose stated purposes are to "
    "maintain international peace and security & to develop friendly relations among nations."
)


@pytest.fixture
def described_un(world):
    un = Organization.objects.get(acronym="UN")
    un = services.organization_update(
        actor=None, organization=un, expected_version=un.version, description=LONG
    )
    return services.organization_update(
        actor=None,
        organization=un,
        expected_version=un.version,
        description=LONG.replace("friendly relations", "cordial relations"),
    )


def test_editing_one_word_of_a_description_marks_only_that_word(world, described_un, client_for):
    page = client_for(world.users.viewer).get("/organizations/UN/history/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<td class="diff-old diff-words">' in html
    assert '<td class="diff-new diff-words">' in html
    assert marked(html) == ["friendly", "cordial"]
    assert "security &amp; to develop" in html
    # Short values keep their whole-value display.
    assert '<td class="diff-new">New York</td>' in html


def test_a_script_in_a_description_is_shown_escaped(world, client_for):
    un = Organization.objects.get(acronym="UN")
    un = services.organization_update(
        actor=None, organization=un, expected_version=un.version, description=LONG
    )
    services.organization_update(
        actor=None,
        organization=un,
        expected_version=un.version,
        description=LONG + ' <script>alert("x")</script> & more',
    )
    html = client_for(world.users.viewer).get("/organizations/UN/history/").content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more" in html
    assert marked(html)[-1].endswith("&lt;/script&gt; &amp; more")
