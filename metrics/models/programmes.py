"""Programmes: the organisations that run cohorts of entrepreneurs, and the consent they hold.

A programme sees nothing of a business until its owner joins a cohort, and then only what the
owner chose: its numbers inside the cohort's totals (aggregate), or also its own row (named).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.countries import COUNTRY_CHOICES
from metrics.models.business import Business
from metrics.models.invitations import TokenInvitation

COUNTRY_CODES = frozenset(code for code, _name in COUNTRY_CHOICES)
LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


class Programme(models.Model):
    """A support programme (an NGO's, an incubator's, a city's), set up by staff in the admin."""

    name = models.CharField(_("name"), max_length=160)
    countries = models.JSONField(
        _("countries"), default=list, help_text=_('Country codes, for example ["be", "fr"].')
    )
    languages = models.JSONField(
        _("languages"), default=list, help_text=_('Language codes, for example ["fr", "ar"].')
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="programme_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        wrong = [c for c in self.countries if c not in COUNTRY_CODES]
        if not isinstance(self.countries, list) or wrong:
            raise ValidationError({"countries": _("Use a list of the product's country codes.")})
        wrong = [c for c in self.languages if c not in LANGUAGE_CODES]
        if not isinstance(self.languages, list) or wrong:
            raise ValidationError({"languages": _("Use a list of the product's language codes.")})


class Coordinator(models.Model):
    """A person who runs a programme: sees its cohorts' totals and the rows members allowed."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="coordinators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coordinations",
        verbose_name=_("person"),
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("coordinator")
        verbose_name_plural = _("coordinators")
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="coordinator_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.programme}"


class CoordinatorInvitation(TokenInvitation):
    """An invitation to coordinate a programme, sent by email; only the token's hash is kept."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="coordinator_invitations"
    )
    email = models.EmailField(_("email address"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )

    class Meta:
        verbose_name = _("coordinator invitation")
        verbose_name_plural = _("coordinator invitations")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.email} → {self.programme}"


class Cohort(models.Model):
    """A group of entrepreneurs in one country who join through the cohort's link."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(_("name"), max_length=120)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES)
    # The hash of the current joining link; a new link replaces it, and the old one stops working.
    link_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Consent(models.TextChoices):
    AGGREGATE = "aggregate", _("Only in the cohort's totals")
    NAMED = "named", _("In the totals, and my own row")


class CohortMembership(models.Model):
    """A business in a cohort, with what its owner lets the programme see, until they leave."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="cohort_memberships"
    )
    consent = models.CharField(
        _("what the programme sees"),
        max_length=10,
        choices=Consent.choices,
        default=Consent.AGGREGATE,
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    class Meta:
        verbose_name = _("cohort membership")
        verbose_name_plural = _("cohort memberships")
        ordering = ["-joined_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "business"],
                condition=Q(left_at__isnull=True),
                name="membership_one_active_per_cohort",
            )
        ]

    def __str__(self) -> str:
        return f"{self.business} → {self.cohort}"
