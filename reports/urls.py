from django.urls import path

from reports import maps, views, views_eudr
from reports.views_verification import VerificationDownloadView

app_name = "reports"
urlpatterns = [
    path("", views.ReportIndexView.as_view(), name="index"),
    path("map/", maps.PlotMapView.as_view(), name="map"),
    path("map/plots.geojson", maps.PlotGeoJsonView.as_view(), name="map_geojson"),
    path(
        "dashboard/progress-<slug:which>.svg",
        views.ProgressChartView.as_view(),
        name="progress_chart",
    ),
    path("plot-problems/", views_eudr.PlotProblemsView.as_view(), name="plot_problems"),
    path("eudr/", views_eudr.EudrExportView.as_view(), name="eudr_export"),
    path(
        "verification/<int:pk>.xlsx",
        VerificationDownloadView.as_view(kind="xlsx"),
        name="verification_xlsx",
    ),
    path(
        "verification/<int:pk>-plots.geojson",
        VerificationDownloadView.as_view(kind="geojson"),
        name="verification_geojson",
    ),
    path("<slug:slug>/", views.ReportView.as_view(), name="report"),
    path("<slug:slug>/chart/<slug:table>.svg", views.ChartView.as_view(), name="chart"),
]
