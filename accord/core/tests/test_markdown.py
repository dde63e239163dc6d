"""Markdown typed by users is rendered to HTML that cannot run anything."""

from accord.core.markdown import render_markdown


def test_markdown_is_rendered():
    html = render_markdown("# Minutes\n\n- **agreed**\n- [report](https://example.org/r)\n")
    assert "<h1>Minutes</h1>" in html
    assert "<strong>agreed</strong>" in html
    assert '<a href="https://example.org/r" rel="noopener noreferrer nofollow">report</a>' in html


def test_tables_keep_their_alignment_only():
    html = render_markdown("| a | b |\n|:-|-:|\n| 1 | 2 |\n")
    assert '<th style="text-align:left">a</th>' in html
    assert "<td" in html


def test_nothing_that_runs_gets_through():
    text = "\n\n".join(
        [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[click](javascript:alert(1))",
            "[data](data:text/html;base64,PHNjcmlwdD4=)",
            '<a href="javascript:alert(1)">raw</a>',
            "<iframe src=https://example.org></iframe>",
            "<style>body{display:none}</style>",
        ]
    )
    html = render_markdown(text)
    for bad in (
        "<script",
        "<img",
        "<iframe",
        "<style",
        '<a href="javascript',
        '<a href="data',
    ):
        assert bad not in html, bad


def test_empty_text_is_empty():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
