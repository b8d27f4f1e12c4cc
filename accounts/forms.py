"""Forms for signing up, logging in and keeping a profile."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.countries import region_belongs
from accounts.inputs import Form, ModelForm, TextInputsMixin
from accounts.models import User


class SignUpForm(ModelForm):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters. A few words you remember is a good choice."),
    )

    class Meta:
        model = User
        fields = ["name", "email", "password"]
        labels = {"name": _("Your name"), "email": _("Email address")}
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account with this email address already exists. Try logging in instead.")
            )
        return email

    def _post_clean(self) -> None:
        super()._post_clean()
        password = self.cleaned_data.get("password")
        if password:
            try:
                password_validation.validate_password(password, self.instance)
            except forms.ValidationError as error:
                self.add_error("password", error)

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
        return user


class LoginForm(TextInputsMixin, AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": _(
            "The email address or the password is not right. Check them and try again."
        ),
        "inactive": _("This account is not active."),
    }


class ProfileForm(ModelForm):
    class Meta:
        model = User
        fields = ["name", "language", "country", "region", "reminders"]
        labels = {"name": _("Your name")}
        help_texts = {
            "region": _("Only for Belgium: the rules for some trades differ by region."),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not region_belongs(data.get("country", ""), data.get("region", "")):
            self.add_error("region", _("This region is not in the country you chose."))
        return data


class DeleteAccountForm(Form):
    """The password, and the account's email address typed out: the same in every language."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirmation = forms.CharField(
        label=_("Your email address"),
        help_text=_("Type it out to confirm that this account and all its data should go."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("The password is not right. Type the password you log in with.")
            )
        return password

    def clean_confirmation(self) -> str:
        typed = self.cleaned_data["confirmation"].strip()
        if typed.lower() != self.user.email.lower():
            raise forms.ValidationError(
                _("This is not the email address of this account. Type %(email)s."),
                params={"email": self.user.email},
            )
        return typed
