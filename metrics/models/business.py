"""A business, the figures and KPIs it defines for itself, and the KPIs it follows."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.countries import COUNTRY_CHOICES, REGION_CHOICES, region_belongs
from metrics import engine_text
from metrics.engine.catalogue import FIGURES, KPIS, Aggregation, Direction, Domain, Unit

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


# Django's own month names, so dates and this list read the same in every language.
MONTH_CHOICES = list(MONTHS.items())


class Currency(models.TextChoices):
    EUR = "EUR", _("Euro (€)")
    GBP = "GBP", _("Pound sterling (£)")


class StartStep(models.TextChoices):
    """The guided start's steps after the business itself, in order; DONE once it is over."""

    CHANNEL = "channel", _("How you sell")
    KPIS = "kpis", _("Your first KPIs")
    TARGET = "target", _("A first target")
    MONTH = "month", _("Your first month")
    DONE = "done", _("Done")


class SalesChannel(models.TextChoices):
    SHOP = "shop", _("In a shop or at a stall")
    ONLINE = "online", _("Online shop")
    SERVICES = "services", _("Services to clients")
    SUBSCRIPTION = "subscription", _("Subscriptions")


class Sector(models.TextChoices):
    """What a business does, in broad groups: mentors are matched and peers compared by it."""

    FOOD = "food", _("Food and catering")
    RETAIL = "retail", _("Shop and trade")
    CRAFTS = "crafts", _("Crafts and making")
    BEAUTY = "beauty", _("Hair and beauty")
    CARE = "care", _("Care, health and education")
    BUILDING = "building", _("Building and repairs")
    TRANSPORT = "transport", _("Transport and delivery")
    DIGITAL = "digital", _("Digital and design")
    SERVICES = "services", _("Other services to people or firms")


def validate_first_of_month(value: date) -> None:
    if value.day != 1:
        raise ValidationError(_("Use the first day of the month."), code="not_first_of_month")


def validate_code(code: str) -> None:
    """Custom codes use lowercase letters, digits and underscores, and never a built-in code."""
    if not CODE_PATTERN.match(code):
        raise ValidationError(
            _(
                "Use 2 to 40 lowercase letters, digits or underscores, starting with a letter "
                "(for example revenue_catering)."
            ),
            code="bad_code",
        )
    if code in FIGURES or code in KPIS or code in {"months", "previous", "min", "max", "abs"}:
        raise ValidationError(
            _("“%(code)s” is already a built-in figure or KPI. Choose another code."),
            code="builtin_code",
            params={"code": code},
        )


# The businesses whose rows a service is writing in this context (see ``business_write``).
_writing: ContextVar[frozenset[int]] = ContextVar("business_writes", default=frozenset())


def new_revision() -> str:
    """A fresh random token: never equal to one a business had before, even after a rollback."""
    return secrets.token_hex(8)


def businesses_touch(business_ids: Iterable[int | None]) -> None:
    """Give these businesses a new revision: what their dashboards show has changed."""
    ids = {pk for pk in business_ids if pk is not None}
    if ids:
        Business.objects.filter(pk__in=ids).update(revision=new_revision())


# Called as each outermost ``business_write`` ends, with the business's id and whether the
# write went through: the summaries (metrics/models/summaries.py) redo what it marked, inside
# its transaction. Registered by the models that need it, which import this module.
_write_ends: list[Callable[[int, bool], None]] = []


def on_business_write_end(ended: Callable[[int, bool], None]) -> None:
    if ended not in _write_ends:
        _write_ends.append(ended)


@contextmanager
def business_write(business: Business) -> Iterator[None]:
    """One write to what a business's dashboard shows, all or nothing.

    The business row is taken first (its revision renewed once), so that writers queue there
    instead of locking entries and the business in opposite orders; the signals that renew
    the revision for single saves stay quiet for this business inside the block. A write
    inside another for the same business (an import saving month after month) adds nothing.
    The months the write marked stale are summarised again once, before it commits.
    """
    with transaction.atomic():
        if business.pk in _writing.get():  # a write within a write: taken and renewed already
            yield
            return
        businesses_touch([business.pk])
        token = _writing.set(_writing.get() | {business.pk})
        try:
            yield
            # Still inside the write's transaction: what follows the rows changes with them.
            for ended in _write_ends:
                ended(business.pk, True)
        except BaseException:
            for ended in _write_ends:
                ended(business.pk, False)
            raise
        finally:
            _writing.reset(token)


def in_business_write(business_id: int) -> bool:
    """Whether a ``business_write`` for this business is under way in this context."""
    return business_id in _writing.get()


class Business(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="businesses",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=120)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES)
    region = models.CharField(_("region"), max_length=20, choices=REGION_CHOICES, blank=True)
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    sells = models.CharField(
        _("what it sells"),
        max_length=200,
        blank=True,
        help_text=_("In a few words, for example: home-made Syrian food."),
    )
    channel = models.CharField(
        _("how it sells"), max_length=20, choices=SalesChannel.choices, default=SalesChannel.SHOP
    )
    sector = models.CharField(
        _("sector"),
        max_length=20,
        choices=Sector.choices,
        blank=True,
        help_text=_("Programmes use it to suggest a mentor and to compare you with similar firms."),
    )
    fy_start = models.PositiveSmallIntegerField(
        _("first month of the financial year"),
        choices=MONTH_CHOICES,
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    # Where the guided start resumes; businesses set up another way never enter it.
    start_step = models.CharField(
        _("guided start step"), max_length=10, choices=StartStep.choices, default=StartStep.DONE
    )
    # Changes whenever anything a dashboard shows changes: the key of its cached cards.
    revision = models.CharField(max_length=16, default=new_revision, editable=False)

    class Meta:
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fy_start__gte=1, fy_start__lte=12), name="business_fy_start_month"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.revision = new_revision()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "revision"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if not region_belongs(self.country, self.region):
            raise ValidationError({"region": _("This region is not in the country you chose.")})


class CustomFigure(models.Model):
    """A figure a business adds for itself, e.g. revenue of one product line."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="custom_figures")
    code = models.CharField(_("code"), max_length=40, validators=[validate_code])
    name = models.CharField(_("name"), max_length=80)
    description = models.CharField(_("description"), max_length=200, blank=True)
    unit = models.CharField(
        _("unit"), max_length=10, choices=engine_text.choices(Unit), default=Unit.COUNT
    )
    aggregation = models.CharField(
        _("how months add up"),
        max_length=10,
        choices=engine_text.choices(Aggregation),
        default=Aggregation.SUM,
    )

    class Meta:
        verbose_name = _("custom figure")
        verbose_name_plural = _("custom figures")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["business", "code"], name="custom_figure_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class CustomKpi(models.Model):
    """A KPI a business defines as a formula over figures and other KPIs."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="custom_kpis")
    code = models.CharField(_("code"), max_length=40, validators=[validate_code])
    name = models.CharField(_("name"), max_length=80)
    description = models.CharField(_("description"), max_length=200, blank=True)
    formula = models.CharField(_("formula"), max_length=500)
    unit = models.CharField(
        _("unit"), max_length=10, choices=engine_text.choices(Unit), default=Unit.COUNT
    )
    direction = models.CharField(
        _("direction"), max_length=4, choices=engine_text.choices(Direction), default=Direction.UP
    )
    domain = models.CharField(
        _("business domain"),
        max_length=20,
        choices=engine_text.choices(Domain),
        default=Domain.SALES,
    )
    period_total = models.BooleanField(
        _("adds up over a period"),
        default=False,
        help_text=_("Tick it for totals such as sales; leave it for rates and averages."),
    )

    class Meta:
        verbose_name = _("custom KPI")
        verbose_name_plural = _("custom KPIs")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["business", "code"], name="custom_kpi_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class TrackedKpi(models.Model):
    """A KPI (built-in or custom) that a business follows, with why it matters to them."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="tracked_kpis")
    kpi = models.CharField(_("KPI"), max_length=40)
    why = models.TextField(
        _("why I track this"),
        blank=True,
        max_length=1000,
        help_text=_("Which goal it serves and how you will measure it."),
    )
    position = models.PositiveSmallIntegerField(_("display order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tracked KPI")
        verbose_name_plural = _("tracked KPIs")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["business", "kpi"], name="tracked_kpi_unique")
        ]

    def __str__(self) -> str:
        return self.kpi
