"""A person's own data: everything they put in, as one zip, and the erasure of all of it.

``export_files`` reads; ``export_zip`` packs what it read; ``account_delete`` is the one write.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter
from collections.abc import Iterable
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext
from simple_history.utils import get_history_model_for_model

from accounts.models import User
from metrics.businesses.selectors import business_engine, tracked_codes
from metrics.engine import PeriodKind
from metrics.mentoring.comments import comment_where, kpi_names
from metrics.mentoring.invitations import invitation_state
from metrics.models.business import Business, TrackedKpi
from metrics.models.comments import Comment, CommentRead
from metrics.models.entries import Entry, ReminderSent
from metrics.models.goals import Target
from metrics.models.mentoring import Invitation, Mentorship, MentorshipEvent
from metrics.models.reviews import QuarterlyReview
from metrics.months.selectors import needed_figures
from metrics.reports.exports import figures_csv, results_csv

# The history kept for a business, by the name each has in the export.
BUSINESS_HISTORY: dict[str, type[models.Model]] = {
    "entries": Entry,
    "targets": Target,
    "kpi_choices": TrackedKpi,
    "quarterly_reviews": QuarterlyReview,
}


def _json(data: object) -> str:
    """JSON with ISO dates and times and decimals as strings, so no value loses a digit."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2) + "\n"


def _fields(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def _person(user: User | None) -> str:
    return "" if user is None else user.get_full_name()


def business_folder(business: Business) -> str:
    """The business's folder in the zip; the id keeps two businesses of one name apart."""
    return f"businesses/{slugify(business.name) or 'business'}-{business.pk}"


def _profile(user: User) -> dict[str, Any]:
    return _fields(
        user,
        ["email", "name", "language", "country", "region", "reminders", "date_joined"],
    ) | {"last_login": user.last_login}


def _business(business: Business) -> dict[str, Any]:
    """The business's profile and everything it decided: own figures and KPIs, choices, aims."""
    return {
        "business": _fields(
            business,
            [
                "id",
                "name",
                "country",
                "region",
                "currency",
                "sells",
                "channel",
                "fy_start",
                "created",
            ],
        ),
        "custom_figures": [
            _fields(figure, ["code", "name", "description", "unit", "aggregation"])
            for figure in business.custom_figures.all()
        ],
        "custom_kpis": [
            _fields(
                kpi,
                [
                    "code",
                    "name",
                    "description",
                    "formula",
                    "unit",
                    "direction",
                    "domain",
                    "period_total",
                ],
            )
            for kpi in business.custom_kpis.all()
        ],
        "kpi_choices": [
            _fields(tracked, ["kpi", "why", "position"]) for tracked in business.tracked_kpis.all()
        ],
        "goals": [
            _fields(goal, ["id", "title", "deadline", "description"])
            for goal in business.goals.all()
        ],
        "targets": [
            _fields(
                target,
                [
                    "kpi",
                    "goal_id",
                    "comparison",
                    "value",
                    "first_month",
                    "deadline",
                    "baseline",
                    "tolerance",
                ],
            )
            for target in business.targets.all()
        ],
        "quarterly_reviews": [
            _fields(review, ["quarter", "reflection", "created", "updated"])
            for review in business.quarterly_reviews.all()
        ],
    }


def _history(business: Business) -> dict[str, list[dict[str, Any]]]:
    """Every recorded version of the business's entries, targets, KPI choices and reviews."""
    skipped = {"business", "history_user"}
    history: dict[str, list[dict[str, Any]]] = {}
    for name, model in BUSINESS_HISTORY.items():
        historical = get_history_model_for_model(model)
        fields = [f.attname for f in historical._meta.concrete_fields if f.name not in skipped]
        rows = (
            historical.objects.filter(business_id=business.pk)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        history[name] = [
            _fields(row, fields) | {"changed_by": _person(row.history_user)} for row in rows
        ]
    return history


def _business_files(business: Business) -> dict[str, str]:
    folder = business_folder(business)
    engine = business_engine(business)
    codes = [code for code in tracked_codes(business) if code in engine.kpis]
    files = {
        f"{folder}/business.json": _json(_business(business)),
        f"{folder}/figures.csv": figures_csv(business, engine, needed_figures(engine, codes)),
    }
    for kind in PeriodKind:
        files[f"{folder}/kpis-{kind.value}.csv"] = results_csv(business, engine, codes, kind)
    files[f"{folder}/history.json"] = _json(_history(business))
    return files


def _comments(user: User) -> list[dict[str, Any]]:
    """Every comment the user wrote, on their own businesses and on those they mentor."""
    comments = list(
        Comment.objects.filter(author=user)
        .select_related("business")
        .prefetch_related("business__custom_figures", "business__custom_kpis")
        .order_by("created", "pk")
    )
    names: dict[int, dict[str, str]] = {}
    rows = []
    for comment in comments:
        if comment.business_id not in names:
            names[comment.business_id] = kpi_names(business_engine(comment.business))
        rows.append(
            {
                "business": comment.business.name,
                "about": comment_where(comment, names[comment.business_id]),
                **_fields(comment, ["on", "subject", "period", "body", "created", "edited"]),
            }
        )
    return rows


def _mentorships(user: User) -> dict[str, list[dict[str, Any]]]:
    as_mentor = Mentorship.objects.filter(mentor=user).select_related("business__owner")
    as_owner = Mentorship.objects.filter(business__owner=user).select_related("business", "mentor")
    events = MentorshipEvent.objects.filter(business__owner=user).select_related("business")
    return {
        "as_mentor": [
            {
                "business": mentorship.business.name,
                "owner": _person(mentorship.business.owner),
                **_fields(mentorship, ["granted_at", "revoked_at"]),
            }
            for mentorship in as_mentor
        ],
        "as_owner": [
            {
                "business": mentorship.business.name,
                "mentor": _person(mentorship.mentor),
                "mentor_email": mentorship.mentor.email,
                **_fields(mentorship, ["granted_at", "revoked_at"]),
            }
            for mentorship in as_owner
        ],
        "record_of_access": [
            {
                "business": event.business.name,
                **_fields(event, ["at", "kind", "mentor_name", "actor_name"]),
            }
            for event in events
        ],
    }


def _invitations(user: User) -> list[dict[str, Any]]:
    """The invitations the user sent; the token is never stored, so it is not here either."""
    invitations = Invitation.objects.filter(invited_by=user).select_related(
        "business", "accepted_by"
    )
    return [
        {
            "business": invitation.business.name,
            "state": invitation_state(invitation),
            "accepted_by": _person(invitation.accepted_by),
            **_fields(invitation, ["email", "created", "expires", "accepted_at", "cancelled_at"]),
        }
        for invitation in invitations
    ]


def export_files(user: User) -> dict[str, str]:
    """Every file of the user's export, by its path in the zip, README first.

    Only ``user``'s own rows are read: their profile, the businesses they own, what they wrote
    and the mentorships and invitations they are part of. Labels are in their language.
    """
    businesses = Business.objects.filter(owner=user).prefetch_related(
        "custom_figures", "custom_kpis", "tracked_kpis", "goals", "targets", "quarterly_reviews"
    )
    with translation.override(user.language):
        folders = []
        files: dict[str, str] = {}
        for business in businesses:
            folders.append((business.name, business_folder(business)))
            files |= _business_files(business)
        context = {
            "user": user,
            "folders": folders,
            "product_name": settings.PRODUCT_NAME,
            "made": timezone.now(),
        }
        readme = render_to_string("accounts/export/README.txt", context)
        return {
            "README.txt": readme,
            "profile.json": _json(_profile(user)),
            "comments.json": _json(_comments(user)),
            "mentorships.json": _json(_mentorships(user)),
            "invitations.json": _json(_invitations(user)),
            **files,
        }


def export_zip(user: User) -> bytes:
    """The user's export as the bytes of one zip file, built in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, text in export_files(user).items():
            archive.writestr(path, text)
    return buffer.getvalue()


def historical_models() -> list[type[models.Model]]:
    """Every history table django-simple-history keeps, found rather than listed."""
    return [
        get_history_model_for_model(model)
        for model in apps.get_models()
        if hasattr(model._meta, "simple_history_manager_attribute")
    ]


def user_session_keys(user: User) -> list[str]:
    """The stored sessions logged in as ``user``.

    Session data is signed, not searchable, so every stored session is decoded: fine for the
    thousands of sessions of this product, to revisit (store the keys per user) for millions.
    """
    user_id = str(user.pk)
    return [
        session.session_key
        for session in Session.objects.iterator()
        if session.get_decoded().get(SESSION_KEY) == user_id
    ]


def _named(field: str, user: User) -> Q:
    """Rows whose copied name is the user's, as the record of access writes it."""
    email = user.email
    return Q(**{f"{field}__iexact": email}) | Q(**{f"{field}__iendswith": f"<{email}>"})


def _is_named(text: str, user: User) -> bool:
    text, email = text.lower(), user.email.lower()
    return text == email or text.endswith(f"<{email}>")


def _deleted_account(owner: User) -> str:
    """How an owner's record of access names an account that is gone, in the owner's language."""
    with translation.override(owner.language):
        return gettext("A deleted account")


def _forget_in_access_records(user: User) -> None:
    """Keep other owners' records of access whole, with the user's name and links taken out.

    An access that is still active gets its "revoked" line first, so that the owner can see
    when it ended.
    """
    active = Mentorship.objects.filter(mentor=user, revoked_at__isnull=True).select_related(
        "business__owner"
    )
    for mentorship in active:
        name = _deleted_account(mentorship.business.owner)
        MentorshipEvent.objects.create(
            business=mentorship.business,
            kind=MentorshipEvent.Kind.REVOKED,
            mentor_name=name,
            actor_name=name,
        )
    events = MentorshipEvent.objects.filter(
        Q(mentor=user) | Q(actor=user) | _named("mentor_name", user) | _named("actor_name", user)
    ).select_related("business__owner")
    for event in events:
        name = _deleted_account(event.business.owner)
        if event.mentor_id == user.pk or _is_named(event.mentor_name, user):
            event.mentor, event.mentor_name = None, name
        if event.actor_id == user.pk or _is_named(event.actor_name, user):
            event.actor, event.actor_name = None, name
        event.save(update_fields=["mentor", "mentor_name", "actor", "actor_name"])


def _axes_records(user: User) -> list[QuerySet]:
    """Log-in records, failed and successful: django-axes keeps them by the address typed."""
    return [
        model.objects.filter(username__iexact=user.email)
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
    ]


def account_delete(*, user: User) -> dict[str, int]:
    """Erase the user and every row that belongs to them, all or nothing.

    Returns how many rows went, by model label. Other people's businesses stay, without the
    user's comments, access or name.
    """
    deleted: Counter[str] = Counter()
    with transaction.atomic():
        business_ids = list(Business.objects.filter(owner=user).values_list("pk", flat=True))
        # The businesses take their entries, targets, goals, KPIs, reviews, comments,
        # mentorships, invitations, records of access and reminders with them.
        deleted.update(Business.objects.filter(pk__in=business_ids).delete()[1])
        # History tables have no real foreign keys, so nothing cascades into them; and the
        # deletions just above wrote a "deleted" history row each, which go here as well.
        for historical in historical_models():
            belongs = Q(history_user=user)
            if any(field.name == "business" for field in historical._meta.concrete_fields):
                belongs |= Q(business_id__in=business_ids)
            deleted.update(historical.objects.filter(belongs).delete()[1])
        _forget_in_access_records(user)
        own_rows = [
            Mentorship.objects.filter(mentor=user),
            Invitation.objects.filter(
                Q(invited_by=user) | Q(accepted_by=user) | Q(email__iexact=user.email)
            ),
            Comment.objects.filter(author=user),
            CommentRead.objects.filter(user=user),
            ReminderSent.objects.filter(recipient=user),
            LogEntry.objects.filter(
                Q(user=user)
                | Q(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk))
            ),
            Session.objects.filter(session_key__in=user_session_keys(user)),
            *_axes_records(user),
        ]
        for rows in own_rows:
            deleted.update(rows.delete()[1])
        deleted.update(user.delete()[1])
    return {label: number for label, number in deleted.items() if number}
