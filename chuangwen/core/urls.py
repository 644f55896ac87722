from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("outbox/failed/", views.dead_letters, name="dead_letters"),
    path(
        "outbox/failed/<int:message_id>/retry/",
        views.dead_letter_retry,
        name="dead_letter_retry",
    ),
]
