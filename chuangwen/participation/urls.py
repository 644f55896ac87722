from django.urls import path

from . import views

app_name = "participation"
urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("report/nearby", views.report_nearby, name="nearby"),
    path("report/done/", views.report_done, name="done"),
    path("track/", views.track, name="track"),
    path("track/<str:token>/", views.track_case, name="track_case"),
    path("track/<str:token>/rate", views.rate, name="rate"),
    path("track/<str:token>/reopen", views.reopen, name="reopen"),
    path("map/", views.case_map, name="map"),
    path("cases.json", views.cases_json, name="cases_json"),
    path("cases/", views.case_list, name="cases"),
    path("districts.geojson", views.districts, name="districts"),
]
