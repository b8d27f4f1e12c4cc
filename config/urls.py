from django.contrib import admin
from django.urls import include, path

from guidance.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("guidance/", include("guidance.urls")),
    path("", include("metrics.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "config.middleware.server_error"
