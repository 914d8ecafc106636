from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from acopagro import views
from members import urls as members_urls
from plantings import views_profiles

# The members area, with the member and plot profile pages that show plantings data: they are
# defined in plantings (which builds on members) and joined here under the members namespace.
members_area = (
    members_urls.urlpatterns
    + [
        path(
            "members/<int:pk>/",
            views_profiles.MemberDetailView.as_view(),
            name="member_detail",
        ),
        path("plots/<int:pk>/", views_profiles.PlotDetailView.as_view(), name="plot_detail"),
    ],
    members_urls.app_name,
)

urlpatterns = [
    path("", login_required(views.HomeView.as_view()), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include(members_area)),
    path("", include("plantings.urls")),
    path("credits/", include("credits.urls")),
    path("reports/", include("acopagro.reports.urls")),
    path("data/", include("acopagro.dataio.urls")),
    path("api/", include("acopagro.api.urls")),
]

# A lost database anywhere in the request gives the 503 page, not a 500 (acopagro/views.py).
handler500 = "acopagro.views.server_error"
