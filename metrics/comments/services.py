"""Writing comments, marking them read, and emailing the people who follow the business."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone, translation

from accounts.models import User
from metrics.comments.labels import period_text
from metrics.comments.places import comment_place
from metrics.engine import KPIS, parse_month
from metrics.formatting import month_name
from metrics.models.business import Business, CustomKpi
from metrics.models.comments import Comment, CommentRead
from metrics.models.mentoring import Mentorship
from metrics.notify import send_email, site_url

On = Comment.On


def comments_mark_read(*, user: Any, comments: Iterable[Any]) -> int:
    """Record that ``user`` has seen these comments; one query, none when there are none.

    ``comments`` may be models or anything else with the comment's ``pk``.
    """
    rows = [CommentRead(comment_id=comment.pk, user=user) for comment in comments]
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
                "quarter": period_text(comment.business, comment.subject)
                if comment.on == On.REVIEW
                else "",
                "kpi": _kpi_name(comment) if comment.on == On.KPI else "",
                "period": period_text(comment.business, comment.period) if comment.period else "",
            }
        sent += send_email(
            to=user.email, language=user.language, template="comment", context=context
        )
    return sent
