from django.http import HttpResponse
from django.urls import path


def _unavailable(request, pk=None):
    return HttpResponse("现场测评页面尚未开放。", status=503)


urlpatterns = [
    path("field/", _unavailable, name="field_home"),
    path("field/<int:pk>/", _unavailable, name="field_inspect"),
    path("field/reinspections/<int:pk>/", _unavailable, name="field_reinspect"),
]
