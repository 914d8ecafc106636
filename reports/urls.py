from django.urls import path

from reports import maps, views

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
    path("<slug:slug>/", views.ReportView.as_view(), name="report"),
    path("<slug:slug>/chart/<slug:table>.svg", views.ChartView.as_view(), name="chart"),
]
