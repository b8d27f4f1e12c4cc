"""The guide page fields that are written in English, French, Dutch, Arabic and Ukrainian."""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from guidance.models import GuidePage


@register(GuidePage)
class GuidePageTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body")
    # Staff may save a page in English first; the completeness tests ask for all five.
    required_languages = ("en",)
