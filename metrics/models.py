"""Businesses and what they track: figures, KPIs, goals, targets and monthly entries."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.countries import COUNTRY_CHOICES, REGION_CHOICES, region_belongs
from metrics.engine.catalogue import FIGURES, KPIS, Aggregation, Direction, Domain, Unit

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
# Django's own month names, so dates and this list read the same in every language.
MONTH_CHOICES = list(MONTHS.items())


class Currency(models.TextChoices):
    EUR = "EUR", _("Euro (€)")
    GBP = "GBP", _("Pound sterling (£)")


class SalesChannel(models.TextChoices):
    SHOP = "shop", _("In a shop or at a stall")
    ONLINE = "online", _("Online shop")
    SERVICES = "services", _("Services to clients")
    SUBSCRIPTION = "subscription", _("Subscriptions")


class Comparison(models.TextChoices):
    AT_LEAST = "at_least", _("At least")
    AT_MOST = "at_most", _("At most")


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


def new_revision() -> str:
    """A fresh random token: never equal to one a business had before, even after a rollback."""
    return secrets.token_hex(8)


def businesses_touch(business_ids: Iterable[int]) -> None:
    """Give these businesses a new revision: what their dashboards show has changed."""
    ids = {pk for pk in business_ids if pk is not None}
    if ids:
        Business.objects.filter(pk__in=ids).update(revision=new_revision())


class BusinessDataQuerySet(models.QuerySet):
    """Rows a dashboard is built from: bulk writes through it change the business's revision.

    ``bulk_update`` goes through ``update``. Single saves and deletions do the same through
    signals (``metrics.signals``).
    """

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        created = super().bulk_create(objs, *args, **kwargs)
        businesses_touch(obj.business_id for obj in created)
        return created

    def update(self, **kwargs: Any) -> int:
        ids = set(self.order_by().values_list("business_id", flat=True).distinct())
        updated = super().update(**kwargs)
        businesses_touch(ids)
        return updated

    def delete(self) -> tuple[int, dict[str, int]]:
        ids = set(self.order_by().values_list("business_id", flat=True).distinct())
        deleted = super().delete()
        businesses_touch(ids)
        return deleted


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
        help_text=_("In a few words, for example: home-made Syrian food."),
    )
    channel = models.CharField(
        _("how it sells"), max_length=20, choices=SalesChannel.choices, default=SalesChannel.SHOP
    )
    fy_start = models.PositiveSmallIntegerField(
        _("first month of the financial year"),
        choices=MONTH_CHOICES,
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
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
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices(), default=Unit.COUNT)
    aggregation = models.CharField(
        _("how months add up"),
        max_length=10,
        choices=Aggregation.choices(),
        default=Aggregation.SUM,
    )

    objects = BusinessDataQuerySet.as_manager()

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
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices(), default=Unit.COUNT)
    direction = models.CharField(
        _("direction"), max_length=4, choices=Direction.choices(), default=Direction.UP
    )
    domain = models.CharField(
        _("business domain"), max_length=20, choices=Domain.choices(), default=Domain.SALES
    )
    period_total = models.BooleanField(
        _("adds up over a period"),
        default=False,
        help_text=_("Tick it for totals such as sales; leave it for rates and averages."),
    )

    objects = BusinessDataQuerySet.as_manager()

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

    objects = BusinessDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("tracked KPI")
        verbose_name_plural = _("tracked KPIs")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["business", "kpi"], name="tracked_kpi_unique")
        ]

    def __str__(self) -> str:
        return self.kpi


class Goal(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("title"), max_length=150)
    deadline = models.DateField(_("deadline"), validators=[validate_first_of_month])
    description = models.TextField(_("description"), blank=True, max_length=2000)

    objects = BusinessDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.title


class Target(models.Model):
    """Where one KPI should be, month by month, from a first month to a deadline."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="targets")
    kpi = models.CharField(_("KPI"), max_length=40)
    goal = models.ForeignKey(
        Goal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("goal"),
    )
    comparison = models.CharField(
        _("the KPI should be"),
        max_length=10,
        choices=Comparison.choices,
        default=Comparison.AT_LEAST,
    )
    value = models.DecimalField(_("target value"), max_digits=18, decimal_places=4)
    first_month = models.DateField(_("first month"), validators=[validate_first_of_month])
    deadline = models.DateField(_("deadline"), validators=[validate_first_of_month])
    baseline = models.DecimalField(
        _("starting value"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Optional: the expected value then rises or falls evenly to the target."),
    )
    tolerance = models.DecimalField(
        _("tolerance"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.10"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("How far from the target still counts as close: 0.10 means 10%."),
    )
    history = HistoricalRecords()

    objects = BusinessDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["kpi", "first_month", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("first_month")), name="target_deadline_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi} {self.get_comparison_display()} {self.value}"

    def clean(self) -> None:
        if self.first_month and self.deadline and self.deadline < self.first_month:
            raise ValidationError(
                {"deadline": _("The deadline must be on or after the first month.")}
            )


class Entry(models.Model):
    """One figure for one month: the raw number a person typed or imported."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="entries")
    figure = models.CharField(_("figure"), max_length=40)
    month = models.DateField(_("month"), validators=[validate_first_of_month])
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = BusinessDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["month", "figure"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "figure", "month"], name="entry_one_per_figure_and_month"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="entry_month_first_day"),
        ]
        indexes = [models.Index(fields=["business", "month"], name="entry_business_month")]

    def __str__(self) -> str:
        return f"{self.figure} {self.month:%Y-%m} = {self.value}"


class Mentorship(models.Model):
    """A mentor's read-only access to one business, granted by its owner, until revoked."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="mentorships")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentorships",
        verbose_name=_("mentor"),
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "mentor"],
                condition=Q(revoked_at__isnull=True),
                name="mentorship_one_active_per_mentor",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.business}"


class QuarterlyReview(models.Model):
    """The entrepreneur's own reflection on one quarter of the financial year."""

    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="quarterly_reviews"
    )
    quarter = models.CharField(
        _("quarter"),
        max_length=7,
        validators=[RegexValidator(r"^\d{4}-Q[1-4]$", _("Write the quarter as YYYY-Qn."))],
    )
    reflection = models.TextField(
        _("reflection"),
        blank=True,
        max_length=5000,
        help_text=_(
            "What went well, what did not, and what you will change in marketing or sales."
        ),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quarterly review")
        verbose_name_plural = _("quarterly reviews")
        ordering = ["business", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "quarter"], name="quarterly_review_one_per_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.business} {self.quarter}"


# -- mentoring: invitations, the record of access, comments, reminders ------------------------


class Invitation(models.Model):
    """An owner's offer of read-only access to one business, by email or as a link to share.

    Only a hash of the token is stored: the link itself is shown once, or sent once.
    """

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("invited by"),
    )
    email = models.EmailField(
        _("email address"), blank=True, help_text=_("Empty for an invitation shared as a link.")
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.email or _('link')} → {self.business}"


class MentorshipEvent(models.Model):
    """One line of the record of access: a mentor was granted or lost access, by whom, when.

    Names are copied in, so that the record survives a deleted account.
    """

    class Kind(models.TextChoices):
        GRANTED = "granted", _("Access granted")
        REVOKED = "revoked", _("Access revoked")

    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="mentorship_events"
    )
    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(_("what happened"), max_length=10, choices=Kind.choices)
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mentor"),
    )
    mentor_name = models.CharField(_("mentor's name"), max_length=254)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    actor_name = models.CharField(_("done by (name)"), max_length=254)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("mentorship event")
        verbose_name_plural = _("mentorship events")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.mentor_name}"


class Comment(models.Model):
    """A note by the owner or a mentor on a month, a KPI (optionally in one period) or a review."""

    class On(models.TextChoices):
        MONTH = "month", _("month")
        KPI = "kpi", _("KPI")
        REVIEW = "review", _("quarterly review")

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("author"),
    )
    on = models.CharField(_("about"), max_length=10, choices=On.choices)
    # "2026-03" for a month, a KPI's code, "2026-Q1" for a review.
    subject = models.CharField(_("subject"), max_length=40)
    # For a KPI: the period it was looked at in, e.g. "2026-03" or "2026-Q1"; may be empty.
    period = models.CharField(_("period"), max_length=10, blank=True)
    body = models.TextField(_("comment"), max_length=2000)
    created = models.DateTimeField(_("written"), auto_now_add=True)
    edited = models.DateTimeField(_("edited"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created", "pk"]
        indexes = [
            models.Index(fields=["business", "on", "subject"], name="comment_thread"),
        ]

    def __str__(self) -> str:
        return f"{self.business} {self.on} {self.subject}: {self.body[:40]}"


class CommentRead(models.Model):
    """That one reader has seen one comment; comments without a row are unread for them."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("read"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment read")
        verbose_name_plural = _("comments read")
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="comment_read_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.comment_id}"


class ReminderSent(models.Model):
    """The monthly reminder for one business and month went out; it is never sent twice."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="reminders_sent")
    month = models.DateField(_("month"), validators=[validate_first_of_month])
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-month", "business"]
        constraints = [
            models.UniqueConstraint(fields=["business", "month"], name="reminder_once_a_month"),
        ]

    def __str__(self) -> str:
        return f"{self.business} {self.month:%Y-%m}"
