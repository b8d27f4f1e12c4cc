"""Sign-up, log-in, profile, the language and country switchers, and the user's own data."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.sessions.models import Session
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.i18n import set_language as django_set_language

from accounts.countries import country_for, region_belongs
from accounts.forms import (
    ChangePasswordForm,
    ChoosePasswordForm,
    DeleteAccountForm,
    EmailChangeForm,
    LoginForm,
    ProfileForm,
    ResetForm,
    SignUpForm,
)
from accounts.http import AuthenticatedRequest
from accounts.middleware import SESSION_COUNTRY, SESSION_REGION
from accounts.models import User
from accounts.personal_data import account_delete, export_zip, user_session_keys
from accounts.signup import Applicant, applicant_for, send_account_email, signup_request
from accounts.throttle import rate_limited, refused

_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


SESSION_SIGNUP_SENT = "signup_sent_to"
# Named, not imported: accounts knows nothing of the business section but where it starts.
AFTER_SIGNUP = "metrics:start"


@rate_limited("signup")
def signup(request: HttpRequest) -> HttpResponse:
    """Step one: the same answer, "check your email", whether or not the address has an account."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and not refused(request, form) and form.is_valid():
        applicant = Applicant(
            email=form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            next=_next_url(request),
        )
        signup_request(request, applicant)
        request.session[SESSION_SIGNUP_SENT] = applicant.email
        return redirect("accounts:signup_sent")
    return render(request, "accounts/signup.html", {"form": form, "next": _next_url(request)})


@require_safe
def signup_sent(request: HttpRequest) -> HttpResponse:
    email = request.session.get(SESSION_SIGNUP_SENT)
    if not email:
        return redirect("accounts:signup")
    return render(request, "accounts/signup_sent.html", {"email": email})


@require_http_methods(["GET", "HEAD", "POST"])
def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Step two, from the e-mailed link: choose a password; the account is created here."""
    applicant = applicant_for(token)
    if applicant is None:
        return render(request, "accounts/signup_link_problem.html", status=404)
    if User.objects.filter(email=applicant.email).exists():
        messages.info(request, _("Your account is already set up. Log in with your password."))
        return redirect("accounts:login")
    form = ChoosePasswordForm(request.POST or None, email=applicant.email, name=applicant.name)
    if request.method == "POST" and form.is_valid():
        try:
            user = User.objects.create_user(
                applicant.email,
                form.cleaned_data["password"],
                name=applicant.name,
                language=translation.get_language() or settings.LANGUAGE_CODE,
                country=request.session.get(SESSION_COUNTRY, ""),
                region=request.session.get(SESSION_REGION, ""),
            )
        except IntegrityError:  # the same link, sent twice at once
            return redirect("accounts:login")
        request.session.pop(SESSION_SIGNUP_SENT, None)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        if applicant.next == reverse("home"):
            # Nowhere in particular to go back to: the guided start sets up a first business.
            return redirect(AFTER_SIGNUP)
        return HttpResponseRedirect(applicant.next)
    context = {"form": form, "email": applicant.email}
    return render(request, "accounts/signup_confirm.html", context)


@method_decorator(rate_limited("login"), name="post")
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        if refused(request, form):
            # Refused before the password is checked: the lock-out counts nothing.
            return self.form_invalid(form)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        # Choices made before logging in are kept when the profile has none yet.
        if not user.country and self.request.session.get(SESSION_COUNTRY):
            user.country = self.request.session[SESSION_COUNTRY]
            user.region = self.request.session.get(SESSION_REGION, "")
            user.save(update_fields=["country", "region"])
        _remember_language(response, user.language)
        return response


def lockout(
    request: HttpRequest, credentials: dict | None = None, *args: object, **kwargs: object
) -> HttpResponse:
    """Shown after too many failed log-ins; it never says whether the account exists."""
    form = LoginForm(request)
    return render(
        request,
        "accounts/login.html",
        {"form": form, "locked_out": True, "next": _next_url(request)},
        status=429,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def email_change(request: AuthenticatedRequest) -> HttpResponse:
    """A new login address, only with the current password; the old address is told."""
    form = EmailChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        old = user.email
        user.email = form.cleaned_data["email"]
        try:
            user.save(update_fields=["email"])
        except IntegrityError:  # taken between the check and the save
            user.email = old
            form.add_error("email", _("This email address cannot be used. Enter a different one."))
        else:
            _notify_email_changed(request, old, user)
            messages.success(request, _("Your email address is changed."))
            return redirect("accounts:profile")
    return render(request, "accounts/email_change.html", {"form": form})


def _notify_email_changed(request: HttpRequest, old: str, user: User) -> None:
    """Tell the old address, so that its owner notices a change they did not make."""
    with translation.override(user.language):
        send_account_email(
            old,
            "email_changed",
            {},
        )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Current password first; every other session of the account ends, this one stays."""

    form_class = ChangePasswordForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)  # keeps this session: update_session_auth_hash
        end_other_sessions(cast(AuthenticatedRequest, self.request))
        messages.success(self.request, _("Your password is changed. You are logged out elsewhere."))
        return response


def end_other_sessions(request: AuthenticatedRequest) -> int:
    """Delete the user's stored sessions but the current one; how many went."""
    current = request.session.session_key
    others = [key for key in user_session_keys(request.user) if key != current]
    return Session.objects.filter(session_key__in=others).delete()[0]


password_change = PasswordChangeView.as_view()


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        request.session[SESSION_COUNTRY] = user.country
        request.session[SESSION_REGION] = user.region
        translation.activate(user.language)
        messages.success(request, _("Your profile is saved."))
        response = redirect("accounts:profile")
        _remember_language(response, user.language)
        return response
    return render(request, "accounts/profile.html", {"form": form})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language, remember it, and go back to the same page."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if language in _LANGUAGES and request.user.is_authenticated:
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


@require_POST
def set_country(request: HttpRequest) -> HttpResponse:
    """Switch the country (and in Belgium the region) and go back to the same page."""
    country = country_for(request.POST.get("country"))
    if country is None:
        messages.error(request, _("Choose one of the countries in the list."))
        return HttpResponseRedirect(_next_url(request))
    region = request.POST.get("region")
    current = getattr(request, "country", None)
    if region is None and current is not None and current.code == country.code:
        region = getattr(request, "region", "")
    region = region if region and region_belongs(country.code, region) else ""
    request.session[SESSION_COUNTRY] = country.code
    request.session[SESSION_REGION] = region
    if request.user.is_authenticated:
        request.user.country = country.code
        request.user.region = region
        request.user.save(update_fields=["country", "region"])
    return HttpResponseRedirect(_next_url(request))


logout = auth_views.LogoutView.as_view()


@method_decorator(rate_limited("password_reset"), name="post")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        if refused(request, form):
            return self.form_invalid(form)
        return super().post(request, *args, **kwargs)


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


def _remember_language(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )


@require_safe
@never_cache
@login_required
def export(request: AuthenticatedRequest) -> HttpResponse:
    """Everything the logged-in user put in, as one zip; nobody can ask for someone else's."""
    filename = f"my-data-{timezone.localdate():%Y-%m-%d}.zip"
    return HttpResponse(
        export_zip(request.user),
        content_type="application/zip",
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def delete(request: AuthenticatedRequest) -> HttpResponse:
    """Confirm with the password and the email address; then erase everything and log out."""
    # Bound on every POST, even an empty one, so that it always shows its errors.
    data = request.POST if request.method == "POST" else None
    form = DeleteAccountForm(data, user=request.user)
    if request.method == "POST" and form.is_valid():
        language = request.user.language
        account_delete(user=request.user)
        auth_logout(request)
        # Still in the user's language: the middleware chose it from their profile.
        messages.success(
            request, _("Your account is deleted, with all its data. Thank you for using it.")
        )
        response = redirect("home")
        _remember_language(response, language)
        return response
    return render(request, "accounts/delete.html", {"form": form})
