from django.conf import settings
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

if "debug_toolbar" in settings.INSTALLED_APPS:
    from debug_toolbar.toolbar import debug_toolbar_urls

    urlpatterns += debug_toolbar_urls()
