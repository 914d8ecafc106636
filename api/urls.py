from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from api import tokens, views, views_credits
from api.docs import ApiDocsView

app_name = "api"


class Router(DefaultRouter):
    include_format_suffixes = False  # `?format=json` is enough; one URL per resource


router = Router()
router.register("communities", views.CommunityViewSet)
router.register("members", views.MemberViewSet)
router.register("plots", views.PlotViewSet)
router.register("species", views.SpeciesViewSet)
router.register("plantings", views.PlantingViewSet)
router.register("visits", views.MonitoringVisitViewSet)
router.register("credits/projects", views_credits.CarbonProjectViewSet)

urlpatterns = [
    path("token/", tokens.ObtainTokenView.as_view(), name="token"),
    path("token/revoke/", tokens.RevokeTokenView.as_view(), name="token-revoke"),
    path("token/revoke-all/", tokens.RevokeAllTokensView.as_view(), name="token-revoke-all"),
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[AllowAny], authentication_classes=[]),
        name="schema",
    ),
    path("docs/", ApiDocsView.as_view(), name="docs"),
    path("credits/totals/", views_credits.CreditTotalsView.as_view(), name="credit-totals"),
    path("credits/vintages/", views_credits.VintageSummaryView.as_view(), name="vintages"),
    path("credits/sales/", views_credits.SaleSummaryView.as_view(), name="sales"),
    path(
        "reports/trees-by-species/",
        views_credits.TreesBySpeciesView.as_view(),
        name="trees-by-species",
    ),
    path("", include(router.urls)),
]
