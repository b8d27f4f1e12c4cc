"""The metrics rows about a person: their businesses, comments, mentorships and invitations.

``export_files`` reads them for the account's export and ``erase`` deletes them; both reach
the account pages through ``accounts.personal_data``, where ``MetricsData`` is registered.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext
from simple_history.utils import get_history_model_for_model

from accounts.models import User
from accounts.personal_data import fields_of, json_text
from metrics.businesses.selectors import business_engine, tracked_codes
from metrics.comments.labels import comment_where, kpi_names
from metrics.engine import PeriodKind
from metrics.mentoring.invitations import invitation_state
from metrics.models.business import Business, TrackedKpi
from metrics.models.comments import Comment, CommentRead
from metrics.models.entries import Entry, ReminderSent
from metrics.models.goals import Target
from metrics.models.matching import PoolInvitation, PoolMentor, Proposal
from metrics.models.mentoring import Invitation, Mentorship, MentorshipEvent
from metrics.models.programmes import CohortMembership, Coordinator, CoordinatorInvitation
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


def _person(user: User | None) -> str:
    return "" if user is None else user.get_full_name()


def business_folder(business: Business) -> str:
    """The business's folder in the zip; the id keeps two businesses of one name apart."""
    return f"businesses/{slugify(business.name) or 'business'}-{business.pk}"


# The fields of the business and of each kind of row it owns, as the export's README lists them.
BUSINESS_FIELDS = (
    "id", "name", "country", "region", "currency", "sells", "channel", "fy_start", "created"
)  # fmt: skip
OWNED_FIELDS: dict[str, tuple[str, ...]] = {
    "custom_figures": ("code", "name", "description", "unit", "aggregation"),
    "custom_kpis": (
        "code", "name", "description", "formula", "unit", "direction", "domain", "period_total"
    ),
    "kpi_choices": ("kpi", "why", "position"),
    "goals": ("id", "title", "deadline", "description"),
    "targets": (
        "kpi", "goal_id", "comparison", "value", "first_month", "deadline", "baseline", "tolerance"
    ),
    "quarterly_reviews": ("quarter", "reflection", "created", "updated"),
    "import_mappings": ("kind", "headers", "mapping", "updated"),
    # A big sales list waiting for its preview: what it is, not its bytes (emptied once read)
    # nor the figures read from it (the preview shows them; the entries once confirmed).
    "stored_uploads": ("name", "size", "state", "created"),
}  # fmt: skip


def _business(business: Business) -> dict[str, Any]:
    """The business's profile and everything it decided: own figures and KPIs, choices, aims."""
    owned = {
        "custom_figures": business.custom_figures.all(),
        "custom_kpis": business.custom_kpis.all(),
        "kpi_choices": business.tracked_kpis.all(),
        "goals": business.goals.all(),
        "targets": business.targets.all(),
        "quarterly_reviews": business.quarterly_reviews.all(),
        "import_mappings": business.import_mappings.all(),
        "stored_uploads": business.stored_uploads.all(),
    }
    return {
        "business": fields_of(business, BUSINESS_FIELDS),
        **{
            name: [fields_of(row, OWNED_FIELDS[name]) for row in rows]
            for name, rows in owned.items()
        },
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
            fields_of(row, fields) | {"changed_by": _person(row.history_user)} for row in rows
        ]
    return history


def _business_files(business: Business) -> dict[str, str]:
    folder = business_folder(business)
    engine = business_engine(business)
    codes = [code for code in tracked_codes(business) if code in engine.kpis]
    files = {
        f"{folder}/business.json": json_text(_business(business)),
        f"{folder}/figures.csv": figures_csv(business, engine, needed_figures(engine, codes)),
    }
    for kind in PeriodKind:
        files[f"{folder}/kpis-{kind.value}.csv"] = results_csv(business, engine, codes, kind)
    files[f"{folder}/history.json"] = json_text(_history(business))
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
                **fields_of(comment, ["on", "subject", "period", "body", "created", "edited"]),
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
                **fields_of(mentorship, ["granted_at", "revoked_at"]),
            }
            for mentorship in as_mentor
        ],
        "as_owner": [
            {
                "business": mentorship.business.name,
                "mentor": _person(mentorship.mentor),
                "mentor_email": mentorship.mentor.email,
                **fields_of(mentorship, ["granted_at", "revoked_at"]),
            }
            for mentorship in as_owner
        ],
        "record_of_access": [
            {
                "business": event.business.name,
                **fields_of(event, ["at", "kind", "mentor_name", "actor_name"]),
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
            **fields_of(invitation, ["email", "created", "expires", "accepted_at", "cancelled_at"]),
        }
        for invitation in invitations
    ]


def _programmes(user: User) -> dict[str, list[dict[str, Any]]]:
    """The cohorts the user's businesses are or were in, and the programmes they coordinate."""
    memberships = CohortMembership.objects.filter(business__owner=user).select_related(
        "business", "cohort__programme"
    )
    coordinations = Coordinator.objects.filter(user=user).select_related("programme")
    invitations = CoordinatorInvitation.objects.filter(invited_by=user).select_related("programme")
    pools = PoolMentor.objects.filter(user=user).select_related("programme")
    pool_invitations = PoolInvitation.objects.filter(invited_by=user).select_related("programme")
    proposals = Proposal.objects.filter(membership__business__owner=user).select_related(
        "membership__business", "membership__cohort__programme", "mentor__user"
    )
    return {
        "cohort_memberships": [
            {
                "business": membership.business.name,
                "programme": membership.cohort.programme.name,
                "cohort": membership.cohort.name,
                **fields_of(membership, ["consent", "joined_at", "left_at"]),
            }
            for membership in memberships
        ],
        "coordinator_of": [
            {"programme": row.programme.name, **fields_of(row, ["added_at"])}
            for row in coordinations
        ],
        "coordinator_invitations_sent": [
            {
                "programme": row.programme.name,
                **fields_of(row, ["email", "created", "expires", "accepted_at"]),
            }
            for row in invitations
        ],
        "mentor_pools": [
            {
                "programme": row.programme.name,
                **fields_of(
                    row, ["languages", "sectors", "country", "capacity", "active", "joined_at"]
                ),
            }
            for row in pools
        ],
        "pool_invitations_sent": [
            {
                "programme": row.programme.name,
                **fields_of(row, ["email", "created", "expires", "accepted_at"]),
            }
            for row in pool_invitations
        ],
        "mentors_proposed_to_you": [
            {
                "business": row.membership.business.name,
                "programme": row.membership.cohort.programme.name,
                "mentor": row.mentor.user.get_full_name(),
                **fields_of(row, ["state", "created", "answered_at"]),
            }
            for row in proposals
        ],
    }


def export_files(user: User) -> dict[str, str]:
    """The metrics files of the user's export by their path in the zip, with the README.

    Only ``user``'s own rows are read: the businesses they own, what they wrote
    and the mentorships and invitations they are part of. Labels are in their language.
    """
    businesses = Business.objects.filter(owner=user).prefetch_related(
        "custom_figures",
        "custom_kpis",
        "tracked_kpis",
        "goals",
        "targets",
        "quarterly_reviews",
        "import_mappings",
        "stored_uploads",
    )
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
    readme = render_to_string("metrics/export/README.txt", context)
    return {
        "README.txt": readme,
        "comments.json": json_text(_comments(user)),
        "mentorships.json": json_text(_mentorships(user)),
        "invitations.json": json_text(_invitations(user)),
        "programmes.json": json_text(_programmes(user)),
        **files,
    }


def historical_models() -> list[type[models.Model]]:
    """Every history table django-simple-history keeps, found rather than listed."""
    return [
        get_history_model_for_model(model)
        for model in apps.get_models()
        if hasattr(model._meta, "simple_history_manager_attribute")
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


def erase(user: User) -> Counter[str]:
    """Delete the user's businesses and every metrics row about them; count rows by label.

    Other people's businesses stay, without the user's comments, access or name. Called by
    ``accounts.personal_data.account_delete`` inside its transaction.
    """
    deleted: Counter[str] = Counter()
    business_ids = list(Business.objects.filter(owner=user).values_list("pk", flat=True))
    # The businesses take their entries, targets, goals, KPIs, reviews, comments,
    # mentorships, invitations, records of access, reminders and cohort memberships with them:
    # from then on no programme counts them.
    deleted.update(Business.objects.filter(pk__in=business_ids).delete()[1])
    # History tables have no real foreign keys, so nothing cascades into them; and the
    # deletions just above wrote a "deleted" history row each, which go here as well.
    for historical in historical_models():
        belongs = Q(history_user=user)
        if any(field.name == "business" for field in historical._meta.concrete_fields):
            belongs |= Q(business_id__in=business_ids)
        deleted.update(historical._default_manager.filter(belongs).delete()[1])
    _forget_in_access_records(user)
    own_rows = [
        Mentorship.objects.filter(mentor=user),
        Invitation.objects.filter(
            Q(invited_by=user) | Q(accepted_by=user) | Q(email__iexact=user.email)
        ),
        Comment.objects.filter(author=user),
        CommentRead.objects.filter(user=user),
        ReminderSent.objects.filter(recipient=user),
        Coordinator.objects.filter(user=user),
        CoordinatorInvitation.objects.filter(Q(invited_by=user) | Q(email__iexact=user.email)),
        PoolMentor.objects.filter(user=user),  # with the proposals of them still waiting
        PoolInvitation.objects.filter(Q(invited_by=user) | Q(email__iexact=user.email)),
    ]
    for rows in own_rows:
        deleted.update(rows.delete()[1])
    return deleted


class MetricsData:
    """The metrics app's rows about a person, for the account's export and erasure."""

    def export_files(self, user: User) -> dict[str, str]:
        return export_files(user)

    def erase(self, user: User) -> Counter[str]:
        return erase(user)
