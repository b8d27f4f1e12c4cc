"""A programme's mentor pool, its invitations, and the mentors a coordinator proposes.

Being in a pool gives a mentor no access to any business: access comes only when an
entrepreneur accepts a proposal, through the same mentorship and consent as an invitation.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.countries import COUNTRY_CHOICES
from metrics.models.business import Sector
from metrics.models.invitations import TokenInvitation
from metrics.models.programmes import LANGUAGE_CODES, CohortMembership, Programme

MAX_CAPACITY = 10


class PoolMentor(models.Model):
    """A mentor in a programme's pool: what they offer, and how many mentees they can take."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="pool")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="pool_entries",
        verbose_name=_("mentor"),
    )
    languages = models.JSONField(_("languages spoken"), default=list)
    sectors = models.JSONField(_("sectors"), default=list)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES)
    capacity = models.PositiveSmallIntegerField(
        _("mentees at most"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
    )
    active = models.BooleanField(_("takes new mentees"), default=True)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("pool mentor")
        verbose_name_plural = _("pool mentors")
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="pool_mentor_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} ∈ {self.programme}"

    def language_names(self) -> list[str]:
        """Each language in its own name, as the language switcher writes it."""
        names = dict(settings.LANGUAGES)
        return [names[code] for code in self.languages if code in names]

    def sector_names(self) -> list[str]:
        return [str(Sector(code).label) for code in self.sectors if code in Sector.values]

    def clean(self) -> None:
        if not isinstance(self.languages, list) or not set(self.languages) <= LANGUAGE_CODES:
            raise ValidationError({"languages": _("Use a list of the product's language codes.")})
        if not isinstance(self.sectors, list) or not set(self.sectors) <= set(Sector.values):
            raise ValidationError({"sectors": _("Use a list of sector codes.")})


class PoolInvitation(TokenInvitation):
    """A coordinator's invitation to join the programme's mentor pool, sent by email."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="pool_invitations"
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
        verbose_name = _("pool invitation")
        verbose_name_plural = _("pool invitations")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.email} → {self.programme}"


class Proposal(models.Model):
    """A coordinator proposes a pool mentor to a member; the entrepreneur accepts or declines.

    No reason is kept for a decline: the coordinator learns only that it was declined.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the entrepreneur")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    membership = models.ForeignKey(
        CohortMembership, on_delete=models.CASCADE, related_name="proposals"
    )
    mentor = models.ForeignKey(
        PoolMentor, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("mentor")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("mentor proposal")
        verbose_name_plural = _("mentor proposals")
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(state="pending"),
                name="proposal_one_pending_per_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentor.user} → {self.membership.business}"
