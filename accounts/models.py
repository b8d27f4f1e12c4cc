"""People who use the product: entrepreneurs and mentors share one account type."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower, Trim
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.addresses import normalise_email
from accounts.countries import COUNTRY_CHOICES, REGION_CHOICES


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalise_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        """Log-in looks the address up as it is stored: normalised, so the unique index serves."""
        return self.get(email=normalise_email(username or ""))


class User(AbstractBaseUser, PermissionsMixin):
    """An account, identified by its email address, with the person's preferences."""

    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES, blank=True)
    region = models.CharField(_("region"), max_length=20, choices=REGION_CHOICES, blank=True)
    reminders = models.BooleanField(
        _("monthly reminders"),
        default=True,
        help_text=_("Email me when last month's figures are not logged yet."),
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # Stored normalised, so "Ana@x.org" and "ana@x.org" cannot be two accounts even when
            # a row is written past the forms (a script, the shell).
            models.CheckConstraint(
                condition=models.Q(email=Trim(Lower("email"))), name="user_email_normalised"
            ),
            models.UniqueConstraint(Lower("email"), name="user_email_unique_in_any_case"),
        ]

    def clean(self) -> None:
        """Normalise the address for every form that edits a user, the admin's included."""
        super().clean()
        self.email = normalise_email(self.email)

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email
