"""Markdown bodies to HTML that is safe to show: only an allow-list of tags reaches a reader."""

from __future__ import annotations

from functools import lru_cache

import markdown
import nh3

_EXTENSIONS = ["attr_list", "tables", "sane_lists"]
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
# Relative links (to other guidance pages) are kept; any other scheme, such as javascript:,
# loses its href.
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
