from django.urls import path

from acopagro.reports import maps, statement, views

app_name = "reports"
urlpatterns = [
    path("", views.ReportIndexView.as_view(), name="index"),
    path("map/", maps.PlotMapView.as_view(), name="map"),
    path("map/plots.geojson", maps.PlotGeoJsonView.as_view(), name="map_geojson"),
    path(
        "members/<int:pk>/statement.pdf",
        statement.MemberStatementPdfView.as_view(),
        name="member_statement_pdf",
    ),
    path("<slug:slug>/", views.ReportView.as_view(), name="report"),
    path("<slug:slug>/chart/<slug:table>.svg", views.ChartView.as_view(), name="chart"),
]
