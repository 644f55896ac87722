from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.import_workbook, name="import"),
    path("import/errors/", views.import_errors, name="import_errors"),
    path("export/", views.export_workbook, name="export"),
    path("template/", views.template_workbook, name="template"),
]
