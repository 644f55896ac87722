from django.urls import path

from . import views

app_name = "territory"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.node_detail, name="node"),
    path("<str:code>/children.geojson", views.children_geojson, name="children_geojson"),
    path("<str:code>/export.geojson", views.export_geojson, name="export_geojson"),
]
