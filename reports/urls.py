from django.urls import path

from reports import maps, views, views_eudr, views_jobs
from reports.views_verification import VerificationPackageView

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
    path("verification/<int:pk>/", VerificationPackageView.as_view(), name="verification_package"),
    path("exports/<str:token>/", views_jobs.ExportJobView.as_view(), name="export_job"),
    path(
        "exports/<str:token>/status/",
        views_jobs.ExportJobStatusView.as_view(),
        name="export_job_status",
    ),
    path(
        "exports/<str:token>/download/",
        views_jobs.ExportJobDownloadView.as_view(),
        name="export_job_download",
    ),
    path("<slug:slug>/", views.ReportView.as_view(), name="report"),
    path("<slug:slug>/chart/<slug:table>.svg", views.ChartView.as_view(), name="chart"),
]
