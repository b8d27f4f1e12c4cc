"""Markdown bodies to HTML that is safe to show: only an allow-list of tags reaches a reader."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from xml.etree.ElementTree import Element

import markdown
import nh3
from django.urls import NoReverseMatch, reverse
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

GUIDE_SCHEME = "guide:"


def guide_url(target: str) -> str | None:
    """The address of ``guide:slug#anchor`` (the same for every language: the reader's language
    is kept in a cookie), or None when it names no valid slug."""
    slug, _hash, anchor = target.removeprefix(GUIDE_SCHEME).partition("#")
    try:
        url = reverse("guidance:page", args=[slug])
    except NoReverseMatch:
        return None
    return f"{url}#{anchor}" if anchor else url


class _GuideLinks(Treeprocessor):
    """Turn the hrefs of ``guide:`` links (inline or by reference) into page addresses."""

    def run(self, root: Element) -> None:
        for link in root.iter("a"):
            href = link.get("href", "")
            if href.startswith(GUIDE_SCHEME):
                url = guide_url(href)
                if url is None:
                    del link.attrib["href"]
                else:
                    link.set("href", url)


class GuideLinkExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After the inline patterns (priority 20) have made the links.
        md.treeprocessors.register(_GuideLinks(md), "guide_links", 5)


_EXTENSIONS: list[str | Extension] = ["attr_list", "tables", "sane_lists", GuideLinkExtension()]
_EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}}

# Headings start at h2: the page title is the only h1.
ALLOWED_TAGS = frozenset(
    {
        *("h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote"),
        *("ul", "ol", "li", "strong", "em", "code", "pre", "a"),
        *("table", "thead", "tbody", "tr", "th", "td"),
    }
)
ALLOWED_ATTRIBUTES = {
    **{heading: {"id"} for heading in ("h2", "h3", "h4", "h5", "h6")},
    "a": {"href", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
# Relative links (to other guidance pages, and guide: links once resolved) are kept; any other
# scheme, such as javascript:, loses its href.
URL_SCHEMES = frozenset({"http", "https", "mailto"})


@lru_cache(maxsize=256)
def render_markdown(text: str) -> str:
    """Render a Markdown body and keep only the allowed tags, attributes and link schemes."""
    html = markdown.markdown(
        text, extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS, output_format="html"
    )
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_HEADING = re.compile(r"<h([2-6])(?: [^>]*)?>")


def add_section_notes(html: str, notes: Mapping[str, Sequence[str]]) -> str:
    """Put each note (safe HTML) at the end of the section whose heading has that anchor.

    A section ends where the next heading of the same or a higher level starts. Anchors the
    body does not have are left out: the page's list of sources names every source anyway.
    """
    inserts: list[tuple[int, str]] = []
    for anchor, items in notes.items():
        start = re.search(rf'<h([2-6]) id="{re.escape(anchor)}">', html)
        if start is None or not items:
            continue
        level = int(start.group(1))
        end = len(html)
        for heading in _HEADING.finditer(html, start.end()):
            if int(heading.group(1)) <= level:
                end = heading.start()
                break
        inserts.append((end, "".join(items)))
    for position, text in sorted(inserts, key=lambda insert: insert[0], reverse=True):
        html = html[:position] + text + html[position:]
    return html
