from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from metrics.models import (
    Business,
    CustomFigure,
    CustomKpi,
    Entry,
    Goal,
    Target,
    TrackedKpi,
)


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
