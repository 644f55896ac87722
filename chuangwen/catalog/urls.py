from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.import_workbook, name="import"),
    path("import/errors/", views.import_errors, name="import_errors"),
    path("export/", views.export_workbook, name="export"),
    path("template/", views.template_workbook, name="template"),
    path("<str:code>/fields/", views.fields, name="fields"),
    path("<str:code>/fields/add/", views.field_form, name="field_add"),
    path("<str:code>/fields/<str:field_code>/", views.field_form, name="field_edit"),
    path("<str:code>/fields/<str:field_code>/move/", views.field_move, name="field_move"),
    path("<str:code>/fields/<str:field_code>/delete/", views.field_delete, name="field_delete"),
]
