from django.urls import path

from guidance import views

app_name = "guidance"

# The product links to these names: keep them stable.
urlpatterns = [
    path("", views.index, name="index"),
    path("kpi/<str:code>/", views.kpi, name="kpi"),
    path("topic/<slug:name>/", views.topic, name="topic"),
    path("<slug:slug>/", views.page, name="page"),
]
