from django.urls import path

from metrics.businesses.definitions import (
    custom_figure_delete,
    custom_figure_edit,
    custom_kpi_delete,
    custom_kpi_edit,
)
from metrics.businesses.views import (
    business_create,
    business_edit,
    business_list,
    custom_figure_create,
    custom_kpi_create,
    goal_delete,
    goal_edit,
    goals,
    kpi_choose,
    target_delete,
    target_edit,
)

urlpatterns = [
    path("b/", business_list, name="business_list"),
    path("b/new/", business_create, name="business_create"),
    path("b/<int:business_id>/settings/", business_edit, name="business_edit"),
    path("b/<int:business_id>/kpis/", kpi_choose, name="kpis"),
    path("b/<int:business_id>/kpis/new/", custom_kpi_create, name="custom_kpi_create"),
    path("b/<int:business_id>/figures/new/", custom_figure_create, name="custom_figure_create"),
    path(
        "b/<int:business_id>/kpis/<slug:custom_kpi>/change/",
        custom_kpi_edit,
        name="custom_kpi_edit",
    ),
    path(
        "b/<int:business_id>/kpis/<slug:custom_kpi>/delete/",
        custom_kpi_delete,
        name="custom_kpi_delete",
    ),
    path(
        "b/<int:business_id>/figures/<slug:custom_figure>/change/",
        custom_figure_edit,
        name="custom_figure_edit",
    ),
    path(
        "b/<int:business_id>/figures/<slug:custom_figure>/delete/",
        custom_figure_delete,
        name="custom_figure_delete",
    ),
    path("b/<int:business_id>/goals/", goals, name="goals"),
    path("b/<int:business_id>/goals/new/", goal_edit, name="goal_create"),
    path("b/<int:business_id>/goals/<int:goal_id>/", goal_edit, name="goal_edit"),
    path("b/<int:business_id>/goals/<int:goal_id>/delete/", goal_delete, name="goal_delete"),
    path("b/<int:business_id>/targets/new/", target_edit, name="target_create"),
    path("b/<int:business_id>/targets/<int:target_id>/", target_edit, name="target_edit"),
    path(
        "b/<int:business_id>/targets/<int:target_id>/delete/", target_delete, name="target_delete"
    ),
]
