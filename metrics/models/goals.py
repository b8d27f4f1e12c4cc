"""Goals and the targets that serve them."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from metrics import engine_text
from metrics.engine import Comparison
from metrics.engine.text import Message
from metrics.models.business import Business, validate_first_of_month


class Goal(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("title"), max_length=150)
    deadline = models.DateField(_("deadline"), validators=[validate_first_of_month])
    description = models.TextField(_("description"), blank=True, max_length=2000)
    # Not a column: set by the goals view (issue 11 turns it into a dataclass).
    target_list: list[Target]

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
        choices=engine_text.choices(Comparison),
        default=Comparison.AT_LEAST.value,
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
    # Not a column: set by the goals view (issue 11 turns it into a dataclass).
    kpi_name: str | Promise | Message

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
