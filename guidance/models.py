"""Guide pages: shared advice, one page per KPI, and country (or Belgian region) pages.

Countries and regions are the codes and choices of ``accounts.countries``, not models: they are
a fixed list in code on purpose (a new country means new pages anyway, and the flag switcher
costs no query), so a page stores the code of its country and region.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.countries import (
    COUNTRIES,
    COUNTRY_CHOICES,
    REGION_CHOICES,
    REGIONS_BY_CODE,
    Country,
    Region,
    country_for,
    region_belongs,
)
from guidance.rendering import render_markdown
from metrics.engine.catalogue import KPIS

PAGE_LANGUAGES: tuple[str, ...] = tuple(settings.MODELTRANSLATION_LANGUAGES)
FALLBACK_LANGUAGE: str = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
TRANSLATED_FIELDS = ("title", "summary", "body")


class Topic(models.TextChoices):
    GENERAL = "general", _("Choosing and following your numbers")
    KPIS = "kpis", _("Every KPI explained")
    INVESTORS = "investors", _("What lenders and investors ask to see")
    START = "start", _("Start here: the steps in order")
    PAPERS = "papers", _("Do you need papers?")
    BENEFITS = "benefits", _("Benefits while you start")
    LEGAL_FORM = "legal_form", _("Choosing a legal form")
    REGISTER = "register", _("Registering your business")
    TAX = "tax", _("Taxes and VAT")
    FOOD = "food", _("Starting a food business")
    PERMITS = "permits", _("Permits and certificates")
    INSURANCE = "insurance", _("Insurance")
    SIDE_JOB = "side_job", _("A business beside a job")
    DIPLOMAS = "diplomas", _("Having your diploma recognised")
    BANK = "bank", _("Opening a bank account")
    SUPPORT = "support", _("Support and microcredit")


SHARED_TOPICS = (Topic.GENERAL, Topic.KPIS, Topic.INVESTORS)
# The order of a country's index: a newcomer's questions, roughly in the order they come up.
COUNTRY_TOPICS = (
    Topic.START,
    Topic.PAPERS,
    Topic.BENEFITS,
    Topic.LEGAL_FORM,
    Topic.REGISTER,
    Topic.TAX,
    Topic.FOOD,
    Topic.PERMITS,
    Topic.INSURANCE,
    Topic.SIDE_JOB,
    Topic.DIPLOMAS,
    Topic.BANK,
    Topic.SUPPORT,
)
_COUNTRIES_WITH_REGIONS = [country.code for country in COUNTRIES if country.regions]


@dataclass(frozen=True)
class PageText:
    """A page's words in the language they are shown in."""

    language: str
    title: str
    summary: str
    body: str

    @property
    def html(self) -> str:
        """The body as sanitised HTML."""
        return render_markdown(self.body)


class GuidePageQuerySet(models.QuerySet["GuidePage"]):
    def for_place(self, country_code: str, region: str = "") -> GuidePageQuerySet:
        """Shared pages plus the country's pages; a region keeps its own and national ones."""
        place = models.Q(country=country_code)
        if region:
            place &= models.Q(region__in=["", region])
        return self.filter(models.Q(country="") | place)

    def with_sources(self) -> GuidePageQuerySet:
        """Fetch the sources in one more query, whatever the number of pages."""
        return self.prefetch_related(
            models.Prefetch("sources", queryset=GuideSource.objects.order_by("order", "pk"))
        )

    def listing(self) -> GuidePageQuerySet:
        """Leave the bodies out: lists show titles and summaries only."""
        return self.defer(*(f"body_{language}" for language in PAGE_LANGUAGES), "body")


class GuidePage(models.Model):
    """One page of guidance, written in five languages (see translation.py)."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    country = models.CharField(
        _("country"),
        max_length=2,
        choices=COUNTRY_CHOICES,
        blank=True,
        help_text=_("Leave empty for a page that is the same in every country."),
    )
    region = models.CharField(
        _("region"),
        max_length=20,
        choices=REGION_CHOICES,
        blank=True,
        help_text=_("Only for Belgian pages whose rules differ by region."),
    )
    kpis = models.JSONField(
        _("KPI codes"),
        default=list,
        blank=True,
        help_text=_('The catalogue codes this page explains, for example ["conversion_rate"].'),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    reviewed = models.DateField(
        _("last reviewed"), help_text=_("When the facts were last checked against the sources.")
    )
    review_by = models.DateField(
        _("review by"),
        null=True,
        help_text=_("The date by which the facts must be checked again."),
    )
    figures_year = models.PositiveSmallIntegerField(
        _("figures valid for"),
        null=True,
        blank=True,
        help_text=_("The last year for which the page's yearly figures (rates, ceilings) hold."),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    body = models.TextField(_("body"), help_text=_("Markdown. Raw HTML is removed."))

    # modeltranslation swaps in a manager class made at run time, which the plugin cannot find.
    objects = GuidePageQuerySet.as_manager()  # type: ignore[django-manager-missing]

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("guide page")
        verbose_name_plural = _("guide pages")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(region="") | models.Q(country__in=_COUNTRIES_WITH_REGIONS),
                name="guidance_region_needs_a_country_with_regions",
            ),
        ]

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        return reverse("guidance:page", args=[self.slug])

    def clean(self) -> None:
        """Check that the region fits the country and that every KPI code is known."""
        errors: dict[str, str | Promise] = {}
        if self.region and not (self.country and region_belongs(self.country, self.region)):
            errors["region"] = _("This region is not part of the page's country.")
        if not isinstance(self.kpis, list) or not all(isinstance(c, str) for c in self.kpis):
            errors["kpis"] = _("Write a list of KPI codes, in double quotes.")
        elif unknown := [code for code in self.kpis if code not in KPIS]:
            errors["kpis"] = _("Unknown KPI codes: %(codes)s.") % {"codes": ", ".join(unknown)}
        if errors:
            raise ValidationError(errors)

    @property
    def country_info(self) -> Country | None:
        """The page's country, or None for a shared page."""
        return country_for(self.country)

    @property
    def region_info(self) -> Region | None:
        """The page's Belgian region, or None for a national or shared page."""
        return REGIONS_BY_CODE.get(self.region)

    @property
    def is_country_page(self) -> bool:
        """Whether the page describes the rules of one country."""
        return bool(self.country)

    def review_overdue(self, today: date) -> bool:
        """Whether the date by which the facts had to be checked again has passed."""
        return self.review_by is not None and self.review_by < today

    def localized(self, field: str, language: str) -> str:
        """The field's text in one language, without any fallback ("" when missing)."""
        return getattr(self, f"{field}_{language}", "") or ""

    def has_language(self, language: str, fields: tuple[str, ...] = TRANSLATED_FIELDS) -> bool:
        """Whether every given field has text in this language."""
        return language in PAGE_LANGUAGES and all(
            self.localized(field, language).strip() for field in fields
        )

    def languages(self) -> list[str]:
        """The languages in which the whole page can be read."""
        return [language for language in PAGE_LANGUAGES if self.has_language(language)]

    def text(self, language: str) -> PageText:
        """The page in the reader's language, or in English when that text is missing."""
        shown = language if self.has_language(language) else FALLBACK_LANGUAGE
        return PageText(
            shown,
            self.localized("title", shown),
            self.localized("summary", shown),
            self.localized("body", shown),
        )

    def heading(self, language: str) -> PageText:
        """Title and summary for a list entry, in English when the language has none."""
        complete = self.has_language(language, ("title", "summary"))
        shown = language if complete else FALLBACK_LANGUAGE
        return PageText(shown, self.localized("title", shown), self.localized("summary", shown), "")


class GuideSource(models.Model):
    """A source that the page's facts were checked against."""

    page = models.ForeignKey(
        GuidePage, on_delete=models.CASCADE, related_name="sources", verbose_name=_("page")
    )
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("address"), max_length=500)
    checked = models.DateField(
        _("checked on"), null=True, help_text=_("When the facts were checked against this source.")
    )
    sections = models.JSONField(
        _("sections"),
        default=list,
        blank=True,
        help_text=_(
            'The anchors of the sections whose facts come from this source, for example ["acre"]. '
            "Empty: the whole page."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.title
