"""Threads as one reader sees them: the comments, what the reader may do, what is new to them.

A comment is unread for a reader until its text has been shown to them; one's own comments
are never unread. Reading a thread marks its new comments read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from metrics.comments.labels import comment_where
from metrics.comments.places import comment_place, thread_anchor, thread_post_url
from metrics.comments.services import comments_mark_read
from metrics.engine import PeriodError, parse_month, parse_period_label
from metrics.models.business import Business
from metrics.models.comments import Comment, CommentRead

On = Comment.On


@dataclass(frozen=True, slots=True)
class CommentView:
    """A comment as one reader sees it, with what they may do with it."""

    pk: int
    author: User
    body: str
    created: datetime
    edited: datetime | None
    is_new: bool
    by_owner: bool
    place: str
    edit_url: str  # empty when the reader may not change it
    delete_url: str  # empty when the reader may not delete it
    where: str = ""  # what it is about, on the list of every comment

    @property
    def can_edit(self) -> bool:
        return bool(self.edit_url)

    @property
    def can_delete(self) -> bool:
        return bool(self.delete_url)


@dataclass(frozen=True, slots=True)
class Thread:
    """The comments on one thing, oldest first, as one reader sees them."""

    on: str
    subject: str
    period: str
    anchor: str
    post_url: str
    comments: tuple[CommentView, ...] = ()

    @property
    def new_count(self) -> int:
        return sum(1 for comment in self.comments if comment.is_new)


def newly_read(threads: Iterable[Thread]) -> int:
    """How many comments these threads showed for the first time (the tabs' badge drops by it)."""
    return sum(thread.new_count for thread in threads)


def _comment_view(comment: Comment, business: Business, user: Any, where: str = "") -> CommentView:
    mine = comment.author_id == user.pk
    may_delete = mine or business.owner_id == user.pk
    args = [business.pk, comment.pk]
    return CommentView(
        pk=comment.pk,
        author=comment.author,
        body=comment.body,
        created=comment.created,
        edited=comment.edited,
        is_new=not mine and not getattr(comment, "was_read", False),  # annotated by threads()
        by_owner=comment.author_id == business.owner_id,
        place=comment_place(comment),
        edit_url=reverse("metrics:comment_edit", args=args) if mine else "",
        delete_url=reverse("metrics:comment_delete", args=args) if may_delete else "",
        where=where,
    )


def _comments_for(business: Business, user: Any) -> QuerySet[Comment]:
    """The business's comments with their authors, each knowing whether ``user`` read it."""
    read = Exists(CommentRead.objects.filter(comment=OuterRef("pk"), user=user))
    return (
        Comment.objects.filter(business=business).select_related("author").annotate(was_read=read)
    )


def threads(
    *, business: Business, user: Any, on: str, subjects: Sequence[str], period: str = ""
) -> dict[str, Thread]:
    """The threads on ``subjects`` (one query), marked read for ``user`` (one more when any
    comment was new to them).

    ``period`` is what new comments on a KPI are about (the dashboard's period).
    """
    found: dict[str, list[CommentView]] = {subject: [] for subject in subjects}
    for comment in _comments_for(business, user).filter(on=on, subject__in=list(subjects)):
        found[comment.subject].append(_comment_view(comment, business, user))
    result = {
        subject: Thread(
            on=on,
            subject=subject,
            period=period if on == On.KPI else "",
            anchor=thread_anchor(on, subject),
            post_url=thread_post_url(business.pk, on, subject),
            comments=tuple(comments),
        )
        for subject, comments in found.items()
    }
    new = [comment for thread in result.values() for comment in thread.comments if comment.is_new]
    comments_mark_read(user=user, comments=new)
    return result


def thread(*, business: Business, user: Any, on: str, subject: str, period: str = "") -> Thread:
    return threads(business=business, user=user, on=on, subjects=[subject], period=period)[subject]


def business_comments(
    *, business: Business, user: Any, kpi_names: Mapping[str, str]
) -> list[CommentView]:
    """Every comment on the business, newest first, each saying what it is about; marked
    read for ``user``."""
    comments = [
        _comment_view(comment, business, user, comment_where(comment, kpi_names, business))
        for comment in _comments_for(business, user).order_by("-created", "-pk")
    ]
    comments_mark_read(user=user, comments=[comment for comment in comments if comment.is_new])
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
