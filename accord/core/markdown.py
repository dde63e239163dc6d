"""Markdown typed by users (meeting minutes, notes), rendered to HTML that is safe to show.

markdown-it-py renders CommonMark with tables and strikethrough; raw HTML in the text is
shown as text, not passed through. nh3 (the Ammonia sanitiser) then keeps only the tags and
attributes below, and links only to http, https and mailto addresses: whatever the renderer
lets through, no script, style, event handler or javascript: link reaches the page.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "td": {"style"}, "th": {"style"}}
URL_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
        ["table", "strikethrough"]
    )


def render_markdown(text: str | None) -> SafeString:
    """`text` as sanitised HTML, ready for a template (an empty text gives an empty string)."""
    if not text:
        return mark_safe("")  # noqa: S308 - empty
    html = _renderer().render(str(text))
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        filter_style_properties={"text-align"},
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
