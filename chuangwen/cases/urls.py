from django.urls import path

from .views import detail, lists, report, satisfaction, supervision

app_name = "cases"
urlpatterns = [
    path("", lists.case_list, name="list"),
    path("inbox/", lists.inbox, name="inbox"),
    path("map/", lists.case_map, name="map"),
    path("map.json", lists.map_json, name="map_json"),
    path("report/", report.report, name="report"),
    path("report/nearby/", report.report_nearby, name="report_nearby"),
    path("supervisions/", supervision.supervision_list, name="supervisions"),
    path("satisfaction/", satisfaction.satisfaction, name="satisfaction"),
    path(
        "reopen-requests/<id:pk>/decide/",
        satisfaction.reopen_request_decide,
        name="reopen_decide",
    ),
    path(
        "supervisions/<id:pk>/answer/",
        supervision.supervision_answer,
        name="supervision_answer",
    ),
    path("views/", lists.saved_view_save, name="saved_view_save"),
    path("views/<id:pk>/delete/", lists.saved_view_delete, name="saved_view_delete"),
    path("photos/<id:pk>/", detail.photo, name="photo"),
    path("<id:pk>/", detail.case_detail, name="detail"),
    path("<id:pk>/act/", detail.case_act, name="act"),
    path("<id:pk>/supervise/", supervision.case_supervise, name="supervise"),
    path("<id:pk>/accountability/", supervision.case_accountability, name="accountability"),
    path("<id:pk>/publicity/", detail.case_publicity, name="publicity"),
]
