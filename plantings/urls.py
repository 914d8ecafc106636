from django.urls import path

from plantings import views, views_corrections

app_name = "plantings"
urlpatterns = [
    path("plantings/", views.PlantingListView.as_view(), name="planting_list"),
    path("plantings/add/", views.PlantingCreateView.as_view(), name="planting_add"),
    path("plantings/<int:pk>/edit/", views.PlantingUpdateView.as_view(), name="planting_edit"),
    path("plantings/<int:pk>/delete/", views.PlantingDeleteView.as_view(), name="planting_delete"),
    path("monitoring/", views.VisitListView.as_view(), name="visit_list"),
    path("monitoring/add/", views.VisitCreateView.as_view(), name="visit_add"),
    path("monitoring/<int:pk>/", views.VisitDetailView.as_view(), name="visit_detail"),
    path(
        "monitoring/<int:pk>/correct/",
        views_corrections.VisitCorrectView.as_view(),
        name="visit_correct",
    ),
    path(
        "monitoring/<int:pk>/cancel/",
        views_corrections.VisitCancelView.as_view(),
        name="visit_cancel",
    ),
    path("species/", views.SpeciesListView.as_view(), name="species_list"),
    path("species/<int:pk>/", views.SpeciesDetailView.as_view(), name="species_detail"),
    path("species/<int:pk>/edit/", views.SpeciesUpdateView.as_view(), name="species_edit"),
]
