from core.urls import model_pages
from plantings import views, views_corrections

app_name = "plantings"
urlpatterns = [
    *model_pages(
        "plantings",
        "planting",
        list=views.PlantingListView,
        add=views.PlantingCreateView,
        edit=views.PlantingUpdateView,
        delete=views.PlantingDeleteView,
    ),
    *model_pages(
        "monitoring",
        "visit",
        list=views.VisitListView,
        add=views.VisitCreateView,
        detail=views.VisitDetailView,
        correct=views_corrections.VisitCorrectView,
        cancel=views_corrections.VisitCancelView,
    ),
    *model_pages(
        "species",
        "species",
        list=views.SpeciesListView,
        detail=views.SpeciesDetailView,
        edit=views.SpeciesUpdateView,
    ),
]
