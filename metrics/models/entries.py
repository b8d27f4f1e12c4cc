"""The monthly figures people enter, and the reminders sent to enter them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from metrics.files.numbers import storage_problem
from metrics.models.business import Business, validate_first_of_month


def validate_figure_value(value: Decimal) -> None:
    """Refuse a value that would not read back the same from SQLite and PostgreSQL."""
    problem = storage_problem(value, str(_("The value")))
    if problem:
        raise ValidationError(problem, code="out_of_range")


class Entry(models.Model):
    """One figure for one month: the raw number a person typed or imported."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="entries")
    figure = models.CharField(_("figure"), max_length=40)
    month = models.DateField(_("month"), validators=[validate_first_of_month])
    value = models.DecimalField(
        _("value"), max_digits=18, decimal_places=4, validators=[validate_figure_value]
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

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
