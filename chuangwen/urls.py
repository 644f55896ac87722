from django.contrib import admin
from django.urls import include, path

from chuangwen.api import api

admin.site.site_header = "十堰市创文平台 · 系统管理"
admin.site.site_title = "创文平台"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("", include("chuangwen.core.urls")),
    path("accounts/", include("chuangwen.accounts.urls")),
    path("territory/", include("chuangwen.territory.urls")),
    path("org/", include("chuangwen.org.urls")),
    path("catalog/", include("chuangwen.catalog.urls")),
    path("cases/", include("chuangwen.cases.urls")),
    path("notifications/", include("chuangwen.notifications.urls")),
    path("imports/", include("chuangwen.imports.urls")),
    path("evaluation/", include("chuangwen.evaluation.urls")),
    path("assessment/", include("chuangwen.assessment.urls")),
    path("open311/v2/", include("chuangwen.open311.urls")),
    path("public/", include("chuangwen.participation.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
