"""The quarterly review an owner writes."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from metrics.models.business import Business


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
