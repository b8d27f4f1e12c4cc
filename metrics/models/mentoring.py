"""Mentors: invitations, the consent they hold, and its history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from metrics.models.business import Business
from metrics.models.invitations import TokenInvitation


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


class Invitation(TokenInvitation):
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
