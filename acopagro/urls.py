from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from core import availability
from core.urls import joined_area, model_pages
from credits import urls as credits_urls
from dashboard import profiles, statement
from dashboard.views import HomeView
from members import urls as members_urls
from reports import urls as reports_urls

# The members area, with the member and plot profile pages that show plantings and credits data:
# they are defined in dashboard (which builds on every domain app) and joined here under the
# members namespace, so their URL names stay members:member_detail and members:plot_detail.
members_area = joined_area(
    members_urls,
    after=[
        *model_pages("members", "member", detail=profiles.MemberDetailView),
        *model_pages("plots", "plot", detail=profiles.PlotDetailView),
    ],
)
# The member's statement, as a page and as a PDF, keeps its names in the credits and reports areas.
statement_route = "members/<int:pk>/statement"
credits_area = joined_area(
    credits_urls,
    after=[
        path(
            f"{statement_route}/", statement.MemberStatementView.as_view(), name="member_statement"
        ),
        path("glossary/", statement.GlossaryView.as_view(), name="glossary"),
    ],
)
reports_area = joined_area(
    reports_urls,
    before=[
        path(
            f"{statement_route}.pdf",
            statement.MemberStatementPdfView.as_view(),
            name="member_statement_pdf",
        )
    ],
)

urlpatterns = [
    path("", login_required(HomeView.as_view()), name="home"),
    path("healthz", availability.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include(members_area)),
    path("", include("plantings.urls")),
    path("credits/", include(credits_area)),
    path("reports/", include(reports_area)),
    path("data/", include("imports.urls")),
    path("api/", include("api.urls")),
]

# A lost database anywhere in the request gives the 503 page, not a 500 (core/availability.py).
handler500 = "core.availability.server_error"
