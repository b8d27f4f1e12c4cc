"""Comments on a month, a KPI or a quarterly review: threads, unread marks and emails.

A comment is unread for a reader until its text has been shown to them; one's own comments
are never unread. Services (writes) are named ``comment_<action>``; the rest read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import User
from metrics.engine import KPIS, PeriodError, parse_month, parse_period_label
from metrics.formatting import month_name, period_name
from metrics.models.business import Business, CustomKpi
from metrics.models.comments import Comment, CommentRead
from metrics.models.mentoring import Mentorship
from metrics.notify import send_email, site_url

On = Comment.On


def thread_anchor(on: str, subject: str) -> str:
    """The HTML id of a thread on its page."""
    return f"comments-{subject}" if on == On.KPI else "comments"


def thread_page(business_id: int, on: str, subject: str, period: str = "") -> str:
    """The page (and place on it) where a thread is shown."""
    if on == On.MONTH:
        url = reverse("metrics:month", args=[business_id, subject])
    elif on == On.REVIEW:
        url = reverse("metrics:review", args=[business_id, subject])
    else:
        url = reverse("metrics:dashboard", args=[business_id])
        if period:
            url += f"?period={period}"
    return f"{url}#{thread_anchor(on, subject)}"


def comment_place(comment: Comment) -> str:
    return thread_page(comment.business_id, comment.on, comment.subject, comment.period)


def thread_post_url(business_id: int, on: str, subject: str) -> str:
    name = {On.MONTH: "month_comments", On.KPI: "kpi_comments", On.REVIEW: "review_comments"}
    return reverse(f"metrics:{name[On(on)]}", args=[business_id, subject])


@dataclass(slots=True)
class Thread:
    """The comments on one thing, oldest first, as one reader sees them."""

    on: str
    subject: str
    period: str
    anchor: str
    post_url: str
    comments: list[Comment] = field(default_factory=list)

    @property
    def new_count(self) -> int:
        return sum(1 for comment in self.comments if comment.is_new)


def _dress(comment: Comment, business: Business, user: Any) -> None:
    """What a reader may do with a comment and how it is labelled for them."""
    mine = comment.author_id == user.pk
    comment.is_new = not mine and not comment.was_read
    comment.can_edit = mine
    comment.can_delete = mine or business.owner_id == user.pk
    comment.by_owner = comment.author_id == business.owner_id
    comment.place = comment_place(comment)
    if comment.can_edit:
        comment.edit_url = reverse("metrics:comment_edit", args=[business.pk, comment.pk])
    if comment.can_delete:
        comment.delete_url = reverse("metrics:comment_delete", args=[business.pk, comment.pk])


def _read_by(user: Any) -> Exists:
    return Exists(CommentRead.objects.filter(comment=OuterRef("pk"), user=user))


def threads(
    *, business: Business, user: Any, on: str, subjects: Sequence[str], period: str = ""
) -> dict[str, Thread]:
    """The threads on ``subjects`` (one query), marked read for ``user`` (one more when any
    comment was new to them).

    ``period`` is what new comments on a KPI are about (the dashboard's period).
    """
    found = {
        subject: Thread(
            on=on,
            subject=subject,
            period=period if on == On.KPI else "",
            anchor=thread_anchor(on, subject),
            post_url=thread_post_url(business.pk, on, subject),
        )
        for subject in subjects
    }
    comments = (
        Comment.objects.filter(business=business, on=on, subject__in=list(subjects))
        .select_related("author")
        .annotate(was_read=_read_by(user))
    )
    new = []
    for comment in comments:
        _dress(comment, business, user)
        found[comment.subject].comments.append(comment)
        if comment.is_new:
            new.append(comment)
    comments_mark_read(user=user, comments=new)
    if new and hasattr(business, "unread_comments"):
        # The tabs' badge was counted before this page showed them.
        business.unread_comments = max(0, business.unread_comments - len(new))
    return found


def thread(*, business: Business, user: Any, on: str, subject: str, period: str = "") -> Thread:
    return threads(business=business, user=user, on=on, subjects=[subject], period=period)[subject]


def business_comments(*, business: Business, user: Any) -> list[Comment]:
    """Every comment on the business, newest first, marked read for ``user``."""
    comments = list(
        Comment.objects.filter(business=business)
        .select_related("author")
        .annotate(was_read=_read_by(user))
        .order_by("-created", "-pk")
    )
    for comment in comments:
        _dress(comment, business, user)
    new = [comment for comment in comments if comment.is_new]
    comments_mark_read(user=user, comments=new)
    if new and hasattr(business, "unread_comments"):
        business.unread_comments = max(0, business.unread_comments - len(new))
    return comments


def parse_subject(business: Business, on: str, text: str) -> str | None:
    """The normal form of a thread's subject, or None when it names nothing that can exist.

    A KPI code is checked by the caller, who knows the business's own KPIs.
    """
    try:
        if on == On.MONTH:
            month = parse_month(text)
            today = timezone.localdate()
            if month > date(today.year, today.month, 1):
                return None
            return f"{month:%Y-%m}"
        if on == On.REVIEW:
            period = parse_period_label(text, business.fy_start)
            return period.label if period.kind.value == "quarter" else None
    except PeriodError:
        return None
    return text


def parse_period(business: Business, text: str) -> str:
    """A period label a KPI comment is about, or empty when it cannot be read."""
    try:
        return parse_period_label(text[:10], business.fy_start).label if text else ""
    except PeriodError:
        return ""


def comments_mark_read(*, user: Any, comments: Iterable[Comment]) -> int:
    """Record that ``user`` has seen these comments; one query, none when there are none."""
    rows = [CommentRead(comment=comment, user=user) for comment in comments]
    if rows:
        CommentRead.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def comment_create(
    *, business: Business, author: User, on: str, subject: str, body: str, period: str = ""
) -> Comment:
    """Save a comment and email everyone else who can read it, each in their language."""
    comment = Comment(
        business=business,
        author=author,
        on=on,
        subject=subject,
        period=period if on == On.KPI else "",
        body=body.strip(),
    )
    # The business and the author are known to exist; leaving them out saves two queries.
    comment.full_clean(exclude=["business", "author"])
    comment.save()
    comment_notify(comment=comment)
    return comment


def comment_edit(*, comment: Comment, body: str) -> Comment:
    comment.body = body.strip()
    comment.edited = timezone.now()
    comment.full_clean(exclude=["business", "author"])
    comment.save(update_fields=["body", "edited"])
    return comment


def comment_delete(*, comment: Comment) -> None:
    comment.delete()


def comment_recipients(comment: Comment) -> list[User]:
    """The owner and the active mentors, except the author."""
    business = comment.business
    people = [business.owner] + [
        mentorship.mentor
        for mentorship in Mentorship.objects.filter(
            business=business, revoked_at__isnull=True
        ).select_related("mentor")
    ]
    return [user for user in people if user.pk != comment.author_id and user.is_active]


def _kpi_name(comment: Comment) -> str:
    builtin = KPIS.get(comment.subject)
    if builtin is not None:
        return str(builtin.name)
    custom = CustomKpi.objects.filter(business=comment.business, code=comment.subject).first()
    return custom.name if custom else comment.subject


def _period_text(business: Business, label: str) -> str:
    try:
        return period_name(parse_period_label(label, business.fy_start))
    except PeriodError:
        return label


def comment_notify(*, comment: Comment) -> int:
    """Email the comment to the other people on the business; returns how many were sent."""
    sent = 0
    for user in comment_recipients(comment):
        with translation.override(user.language):
            context = {
                "comment": comment,
                "business": comment.business,
                "author": comment.author,
                "recipient": user,
                "link": site_url(comment_place(comment)),
                "month": month_name(parse_month(comment.subject)) if comment.on == On.MONTH else "",
                "quarter": _period_text(comment.business, comment.subject)
                if comment.on == On.REVIEW
                else "",
                "kpi": _kpi_name(comment) if comment.on == On.KPI else "",
                "period": _period_text(comment.business, comment.period) if comment.period else "",
            }
        sent += send_email(
            to=user.email, language=user.language, template="comment", context=context
        )
    return sent


def kpi_names(engine: Any) -> dict[str, str]:
    """Each KPI's name in the active language, by code."""
    return {code: str(kpi.name) for code, kpi in engine.kpis.items()}


def _subject_text(business: Business, on: str, subject: str) -> str:
    """A month's or a quarter's name in the active language."""
    if on == On.MONTH:
        try:
            return month_name(parse_month(subject))
        except PeriodError:
            return subject
    return _period_text(business, subject)


def comment_where(comment: Comment, kpi_names: Mapping[str, str]) -> str:
    """What a comment is about, as a label: "Figures for March 2026", "Revenue"…"""
    subject = _subject_text(comment.business, comment.on, comment.subject)
    if comment.on == On.MONTH:
        return gettext("Figures for %(month)s") % {"month": subject}
    if comment.on == On.REVIEW:
        return gettext("Quarterly review for %(quarter)s") % {"quarter": subject}
    kpi = kpi_names.get(comment.subject, comment.subject)
    if comment.period:
        return gettext("%(kpi)s in %(period)s") % {
            "kpi": kpi,
            "period": _period_text(comment.business, comment.period),
        }
    return kpi


def thread_title(business: Business, on: str, subject: str, kpi_names: Mapping[str, str]) -> str:
    """The heading of a thread's own page, as a whole sentence per kind of thread."""
    if on == On.MONTH:
        return gettext("Comments on the figures for %(month)s") % {
            "month": _subject_text(business, on, subject)
        }
    if on == On.REVIEW:
        return gettext("Comments on the quarterly review for %(quarter)s") % {
            "quarter": _subject_text(business, on, subject)
        }
    return gettext("Comments on %(kpi)s") % {"kpi": kpi_names.get(subject, subject)}
