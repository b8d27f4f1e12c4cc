"""What every invitation by link shares: a token kept only as its hash, an expiry, one use.

Mentors (by a business's owner), coordinators and pool mentors (by a programme) are invited the
same way; each model adds whom it invites and to what.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Self

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_BYTES = 32
INVITATION_DAYS = 14


def token_hash(token: str) -> str:
    """What is stored for a token: its SHA-256, so a copy of the database opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class TokenInvitation(models.Model):
    """The fields and steps of an invitation link; the token itself exists only in the link."""

    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        abstract = True

    def issue_token(self, days: int = INVITATION_DAYS) -> str:
        """Give the (unsaved) invitation a fresh token and expiry; the token is returned once."""
        token = new_token()
        self.token_hash = token_hash(token)
        self.expires = timezone.now() + timedelta(days=days)
        return token

    @classmethod
    def pending_for_token(cls, token: str) -> QuerySet[Self]:
        """The invitation a link names, if it is neither used nor expired."""
        return cls._default_manager.filter(
            token_hash=token_hash(token), accepted_at__isnull=True, expires__gt=timezone.now()
        )

    def save_replacing(self, **scope: object) -> None:
        """Save it, removing first the unused invitations to the same address in ``scope``:
        inviting again sends a fresh link and leaves one invitation waiting.

        For the subclasses with an ``email`` field (coordinators', pool mentors').
        """
        same = {"email": vars(self)["email"], "accepted_at__isnull": True, **scope}
        with transaction.atomic():
            type(self)._default_manager.filter(**same).delete()
            self.save()

    def use_up(self) -> bool:
        """Mark it accepted, once, even when two people follow the link at the same moment."""
        now = timezone.now()
        used = type(self)._default_manager.filter(pk=self.pk, accepted_at__isnull=True)
        if not used.update(accepted_at=now):
            return False
        self.accepted_at = now
        return True
