from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("new/", views.job_new, name="new"),
    path("mappings/", views.mapping_list, name="mappings"),
    path("mappings/<id:pk>/default/", views.mapping_default, name="mapping_default"),
    path("mappings/<id:pk>/delete/", views.mapping_delete, name="mapping_delete"),
    path("<id:pk>/", views.job_detail, name="detail"),
    path("<id:pk>/status/", views.job_status, name="status"),
    path("<id:pk>/check/", views.job_check, name="check"),
    path("<id:pk>/commit/", views.job_commit, name="commit"),
    path("<id:pk>/errors.xlsx", views.job_errors, name="errors"),
]
