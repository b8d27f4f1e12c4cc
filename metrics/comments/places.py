"""Where a thread is shown and where its comments are posted."""

from __future__ import annotations

from django.urls import reverse

from metrics.models.comments import Comment

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
