from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from metrics.models.business import Business, CustomFigure, CustomKpi, TrackedKpi
from metrics.models.comments import Comment
from metrics.models.entries import Entry, ReminderSent
from metrics.models.goals import Goal, Target
from metrics.models.matching import PoolMentor
from metrics.models.mentoring import Invitation, Mentorship, MentorshipEvent
from metrics.models.programmes import Cohort, CohortMembership, Coordinator, Programme


class TrackedKpiInline(admin.TabularInline):
    model = TrackedKpi
    extra = 0


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "country", "region", "channel", "currency"]
    list_filter = ["country", "channel"]
    search_fields = ["name", "owner__email"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    inlines = [TrackedKpiInline, GoalInline]


@admin.register(CustomFigure)
class CustomFigureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "business", "unit", "aggregation"]
    search_fields = ["code", "name", "business__name"]
    list_select_related = ["business"]
    raw_id_fields = ["business"]


@admin.register(CustomKpi)
class CustomKpiAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "business", "formula", "unit", "direction"]
    search_fields = ["code", "name", "business__name"]
    list_select_related = ["business"]
    raw_id_fields = ["business"]


@admin.register(TrackedKpi)
class TrackedKpiAdmin(SimpleHistoryAdmin):
    list_display = ["kpi", "business", "position"]
    search_fields = ["kpi", "business__name"]
    list_select_related = ["business"]
    raw_id_fields = ["business"]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["title", "business", "deadline"]
    search_fields = ["title", "business__name"]
    list_select_related = ["business"]
    raw_id_fields = ["business"]


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["kpi", "business", "comparison", "value", "first_month", "deadline"]
    list_filter = ["comparison"]
    search_fields = ["kpi", "business__name"]
    list_select_related = ["business"]
    raw_id_fields = ["business", "goal"]


@admin.register(Entry)
class EntryAdmin(SimpleHistoryAdmin):
    list_display = ["business", "month", "figure", "value"]
    list_filter = ["month"]
    search_fields = ["figure", "business__name"]
    list_select_related = ["business"]
    raw_id_fields = ["business"]
    date_hierarchy = "month"


# -- mentoring ---------------------------------------------------------------------------------


@admin.register(Mentorship)
class MentorshipAdmin(admin.ModelAdmin):
    list_display = ["business", "mentor", "granted_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["business__name", "mentor__email"]
    list_select_related = ["business", "mentor"]
    raw_id_fields = ["business", "mentor"]


@admin.register(MentorshipEvent)
class MentorshipEventAdmin(admin.ModelAdmin):
    """The record of access is evidence: it is read here, never edited."""

    list_display = ["at", "business", "kind", "mentor_name", "actor_name"]
    list_filter = ["kind"]
    search_fields = ["business__name", "mentor_name", "actor_name"]
    list_select_related = ["business"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["business", "email", "invited_by", "created", "expires", "accepted_at"]
    search_fields = ["business__name", "email"]
    list_select_related = ["business", "invited_by"]
    raw_id_fields = ["business", "invited_by", "accepted_by"]
    readonly_fields = ["token_hash"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["business", "on", "subject", "author", "created"]
    list_filter = ["on"]
    search_fields = ["business__name", "author__email", "body"]
    list_select_related = ["business", "author"]
    raw_id_fields = ["business", "author"]


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["business", "month", "recipient", "sent_at"]
    search_fields = ["business__name", "recipient__email"]
    list_select_related = ["business", "recipient"]
    raw_id_fields = ["business", "recipient"]
    date_hierarchy = "month"


class CoordinatorInline(admin.TabularInline):
    model = Coordinator
    extra = 0
    raw_id_fields = ["user"]


class CohortInline(admin.TabularInline):
    model = Cohort
    extra = 0
    # The joining link is made by a coordinator on the programme's page: only its hash is kept.
    exclude = ["link_hash"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    """Where staff set a programme up; its coordinators then invite others and make cohorts."""

    list_display = ["name", "start", "end"]
    search_fields = ["name"]
    inlines = [CoordinatorInline, CohortInline]


@admin.register(CohortMembership)
class CohortMembershipAdmin(admin.ModelAdmin):
    """Read only: joining, the consent level and leaving are the entrepreneur's own choices."""

    list_display = ["business", "cohort", "consent", "joined_at", "left_at"]
    list_filter = ["consent"]
    list_select_related = ["business", "cohort"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(PoolMentor)
class PoolMentorAdmin(admin.ModelAdmin):
    list_display = ["user", "programme", "country", "capacity", "active"]
    list_filter = ["active", "country"]
    search_fields = ["user__email", "programme__name"]
    list_select_related = ["user", "programme"]
    raw_id_fields = ["user"]
