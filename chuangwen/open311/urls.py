from django.urls import re_path

from . import views

app_name = "open311"

# Every resource in both formats the spec names, chosen by the suffix.
FORMAT = r"\.(?P<fmt>json|xml)$"
ID = r"(?P<{}>[^/.]+)"

urlpatterns = [
    re_path(r"^discovery" + FORMAT, views.discovery, name="discovery"),
    re_path(r"^services" + FORMAT, views.services, name="services"),
    re_path(
        r"^services/" + ID.format("service_code") + FORMAT,
        views.service_definition,
        name="service_definition",
    ),
    re_path(r"^requests" + FORMAT, views.requests, name="requests"),
    re_path(
        r"^requests/" + ID.format("service_request_id") + FORMAT,
        views.request_detail,
        name="request",
    ),
    # The spec's Swagger description spells the single request in the singular.
    re_path(
        r"^request/" + ID.format("service_request_id") + FORMAT,
        views.request_detail,
        name="request_singular",
    ),
    re_path(r"^tokens/" + ID.format("token") + FORMAT, views.token, name="token"),
    re_path(r"^servicerequestupdates" + FORMAT, views.updates, name="updates"),
]
