"""Markdown bodies become HTML from an allow-list: nothing a reader's browser could run."""

from __future__ import annotations

from guidance.rendering import render_markdown

PLANTED = """\
## What to try {#what-to-try}

Hello <script>alert("script")</script> there.

<img src="x" onerror="alert('img')">

[Click me](javascript:alert('link')) and [trap](JaVaScRiPt:alert(1))

<a href="https://example.org" onclick="alert('click')" style="color: red">styled</a>

<p style="position: fixed" onmouseover="alert('hover')">Paragraph</p>

<iframe src="https://evil.example"></iframe>
"""


def test_it_strips_scripts_event_attributes_and_javascript_links() -> None:
    html = render_markdown(PLANTED)
    lowered = html.lower()
    assert "<script" not in lowered
    assert "alert" not in lowered
    assert "onerror" not in lowered
    assert "onclick" not in lowered
    assert "onmouseover" not in lowered
    assert "javascript:" not in lowered
    assert "style=" not in lowered
    assert "<img" not in lowered
    assert "<iframe" not in lowered
    # The harmless parts stay.
    assert "Hello" in html and "there." in html
    assert '<a href="https://example.org" rel="noopener noreferrer">styled</a>' in html
    assert "Paragraph" in html


def test_heading_anchors_lists_tables_and_links_are_kept() -> None:
    html = render_markdown(
        "## What to try {#what-to-try}\n\n"
        "1. **First**\n2. *Second*\n\n"
        "| Month | Visitors |\n|:--|--:|\n| May | 50 |\n\n"
        "[KVK](https://www.kvk.nl), [mail](mailto:help@example.org), [next](/guidance/)\n\n"
        "`orders / visitors * 100`\n\n> A quote\n\n---\n"
    )
    assert '<h2 id="what-to-try">What to try</h2>' in html
    assert "<ol>" in html and "<strong>First</strong>" in html and "<em>Second</em>" in html
    assert "<table>" in html and '<td align="right">50</td>' in html
    assert 'href="https://www.kvk.nl"' in html
    assert 'href="mailto:help@example.org"' in html
    assert 'href="/guidance/"' in html
    assert "<code>orders / visitors * 100</code>" in html
    assert "<blockquote>" in html and "<hr>" in html


def test_a_level_one_heading_is_not_kept_as_a_heading() -> None:
    assert "<h1" not in render_markdown("# Second title\n\nText.")


def test_rendering_is_cached_on_the_text() -> None:
    render_markdown.cache_clear()
    render_markdown("Same text.")
    render_markdown("Same text.")
    assert render_markdown.cache_info().hits == 1
