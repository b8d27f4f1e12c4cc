"""Programme staff edit guide pages here: one field per language, sources, and a preview."""

from __future__ import annotations

from django.contrib import admin
from django.utils.functional import Promise
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from guidance.models import PAGE_LANGUAGES, GuidePage, GuideSource
from guidance.rendering import render_markdown

_LANGUAGE_LABELS = {
    "en": _("English"),
    "fr": _("French"),
    "nl": _("Dutch"),
    "ar": _("Arabic"),
    "uk": _("Ukrainian"),
}


class GuideSourceInline(admin.TabularInline):
    model = GuideSource
    extra = 1
    fields = ["title", "url", "checked", "sections", "order"]


@admin.register(GuidePage)
class GuidePageAdmin(TranslationAdmin):
    list_display = [
        "slug",
        "title",
        "topic",
        "country",
        "region",
        "reviewed",
        "review_by",
        "languages_shown",
    ]
    list_filter = ["topic", "country", "region"]
    search_fields = ["slug", *(f"title_{code}" for code in PAGE_LANGUAGES)]
    ordering = ["topic", "country", "region", "order", "slug"]
    readonly_fields = ["preview"]
    inlines = [GuideSourceInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    *("slug", "topic", "country", "region", "kpis", "order"),
                    *("reviewed", "review_by", "figures_year"),
                ]
            },
        ),
        *(  # type: ignore[list-item]  # the dicts are not inferred as django-stubs' _FieldOpts
            (
                _LANGUAGE_LABELS[code],
                {"fields": [f"title_{code}", f"summary_{code}", f"body_{code}"]},
            )
            for code in PAGE_LANGUAGES
        ),
        (_("Preview"), {"fields": ["preview"]}),
    ]

    @admin.display(description=_("Languages"))
    def languages_shown(self, page: GuidePage) -> str:
        """The languages in which the page is complete, e.g. "en fr nl"."""
        return " ".join(page.languages()) or "–"

    @admin.display(description=_("Preview (as readers see it, after saving)"))
    def preview(self, page: GuidePage | None) -> SafeString | str | Promise:
        """Each language's title, summary and body, rendered and sanitised like on the site."""
        if page is None or page.pk is None:
            return _("Save the page to see the preview.")
        return format_html_join(
            "",
            '<section class="guide-preview" lang="{}" dir="{}"><h2>{}</h2><p><strong>{}</strong>'
            "</p><p>{}</p>{}</section>",
            (
                (
                    code,
                    "rtl" if get_language_info(code)["bidi"] else "ltr",
                    _LANGUAGE_LABELS[code],
                    page.localized("title", code),
                    page.localized("summary", code),
                    _html(page.localized("body", code)),
                )
                for code in PAGE_LANGUAGES
            ),
        )


def _html(body: str) -> SafeString:
    # The renderer's output has been through the sanitiser's allow-list.
    return mark_safe(render_markdown(body))
