from django.urls import path

from imports import views

app_name = "dataio"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("import/<str:kind>/", views.UploadView.as_view(), name="upload"),
    path("import/<str:kind>/<str:token>/", views.PreviewView.as_view(), name="preview"),
    path("import/<str:kind>/<str:token>/status/", views.StatusView.as_view(), name="status"),
    path("template/<str:kind>.<str:fmt>", views.TemplateFileView.as_view(), name="template"),
    path("xlsform/", views.XLSFormView.as_view(), name="xlsform"),
]
