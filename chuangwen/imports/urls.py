from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("new/", views.job_new, name="new"),
    path("mappings/", views.mapping_list, name="mappings"),
    path("mappings/<int:pk>/default/", views.mapping_default, name="mapping_default"),
    path("mappings/<int:pk>/delete/", views.mapping_delete, name="mapping_delete"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/status/", views.job_status, name="status"),
    path("<int:pk>/check/", views.job_check, name="check"),
    path("<int:pk>/commit/", views.job_commit, name="commit"),
    path("<int:pk>/errors.xlsx", views.job_errors, name="errors"),
]
