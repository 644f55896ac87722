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
    path("reopen-requests/<int:pk>/decide/", views.reopen_request_decide, name="reopen_decide"),
    path("supervisions/<int:pk>/answer/", views.supervision_answer, name="supervision_answer"),
    path("views/", views.saved_view_save, name="saved_view_save"),
    path("views/<int:pk>/delete/", views.saved_view_delete, name="saved_view_delete"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/act/", views.case_act, name="act"),
    path("<int:pk>/supervise/", views.case_supervise, name="supervise"),
    path("<int:pk>/accountability/", views.case_accountability, name="accountability"),
    path("<int:pk>/publicity/", views.case_publicity, name="publicity"),
]
