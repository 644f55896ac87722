from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("inbox/", views.inbox, name="inbox"),
    path("map/", views.case_map, name="map"),
    path("map.json", views.map_json, name="map_json"),
    path("report/", views.report, name="report"),
    path("report/nearby/", views.report_nearby, name="report_nearby"),
    path("supervisions/", views.supervision_list, name="supervisions"),
    path("satisfaction/", views.satisfaction, name="satisfaction"),
    path("reopen-requests/<id:pk>/decide/", views.reopen_request_decide, name="reopen_decide"),
    path("supervisions/<id:pk>/answer/", views.supervision_answer, name="supervision_answer"),
    path("views/", views.saved_view_save, name="saved_view_save"),
    path("views/<id:pk>/delete/", views.saved_view_delete, name="saved_view_delete"),
    path("photos/<id:pk>/", views.photo, name="photo"),
    path("<id:pk>/", views.case_detail, name="detail"),
    path("<id:pk>/act/", views.case_act, name="act"),
    path("<id:pk>/supervise/", views.case_supervise, name="supervise"),
    path("<id:pk>/accountability/", views.case_accountability, name="accountability"),
    path("<id:pk>/publicity/", views.case_publicity, name="publicity"),
]
