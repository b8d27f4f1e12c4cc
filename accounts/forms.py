"""Forms for signing up, logging in and keeping a profile."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.template import loader
from django.utils.translation import gettext_lazy as _

from accounts.addresses import normalise_email
from accounts.countries import region_belongs
from accounts.inputs import Form, ModelForm, TextInputsMixin
from accounts.models import User
from config.mail import queue_email

_EMAIL_FIELD_MAX = User._meta.get_field("email").max_length


def current_password_field() -> forms.CharField:
    """The field that asks for the password a person has now, before a change that matters."""
    return forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SignUpForm(Form):
    """The first step: a name and an address. Whether the address is known is never shown."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=_EMAIL_FIELD_MAX,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We will send you a link to choose your password."),
    )

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])


class ChoosePasswordForm(Form):
    """The second step, reached from the e-mailed link: the password of the new account."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters. A few words you remember is a good choice."),
    )

    def __init__(self, *args: Any, email: str, name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email
        self.name = name

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        password_validation.validate_password(password, User(email=self.email, name=self.name))
        return password


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

    def clean_username(self) -> str:
        return normalise_email(self.cleaned_data["username"])


class QueuedPasswordResetForm(TextInputsMixin, PasswordResetForm):
    """Django's reset form, with its email handed to the task queue like every other one.

    Why: the page must answer at once whatever the mail server does, and a failed send must
    be retried rather than only logged.
    """

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        queue_email(to=to_email, subject=subject, body=body, kind="password_reset")


class ResetForm(QueuedPasswordResetForm):
    """The reset form, with the address read the same way as at log-in."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=_EMAIL_FIELD_MAX,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])


class ChangePasswordForm(TextInputsMixin, PasswordChangeForm):
    """Django's change form with this site's wording: the current password, then a new one."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": _(
            "The current password is not right. Type the password you log in with."
        ),
        "password_mismatch": _("The two new passwords are different. Type the same one twice."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = _(
            "At least 8 characters. A few words you remember is a good choice."
        )
        self.fields["new_password2"].label = _("New password again")


class EmailChangeForm(Form):
    """A new address, confirmed with the current password: a stolen session cannot take over."""

    email = forms.EmailField(
        label=_("New email address"),
        max_length=_EMAIL_FIELD_MAX,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = current_password_field()

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        email = normalise_email(self.cleaned_data["email"])
        if email == self.user.email:
            raise forms.ValidationError(_("This is already your email address."))
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError(
                _("This email address cannot be used. Enter a different email address.")
            )
        return email

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("The password is not right. Type the password you log in with.")
            )
        return password


class ProfileForm(ModelForm):
    class Meta:
        model = User
        fields = ["name", "language", "country", "region", "reminders"]
        labels = {"name": _("Your name")}
        help_texts = {
            "region": _("Only for Belgium: the rules for some trades differ by region."),
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not region_belongs(data.get("country", ""), data.get("region", "")):
            self.add_error("region", _("This region is not in the country you chose."))
        return data


class DeleteAccountForm(Form):
    """The password, and the account's email address typed out: the same in every language."""

    password = current_password_field()
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
        if normalise_email(typed) != self.user.email:
            raise forms.ValidationError(
                _("This is not the email address of this account. Type %(email)s."),
                params={"email": self.user.email},
            )
        return typed
