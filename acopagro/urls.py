from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from acopagro import views

urlpatterns = [
    path("", login_required(views.HomeView.as_view()), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("members.urls")),
    path("", include("plantings.urls")),
    path("credits/", include("credits.urls")),
    path("reports/", include("acopagro.reports.urls")),
    path("data/", include("acopagro.dataio.urls")),
    path("api/", include("acopagro.api.urls")),
]

# A lost database anywhere in the request gives the 503 page, not a 500 (acopagro/views.py).
handler500 = "acopagro.views.server_error"
