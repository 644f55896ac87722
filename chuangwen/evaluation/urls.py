from .views import field, frameworks, points, rounds

app_name = "evaluation"
# Each part of the evaluation UI lists its own routes.
urlpatterns = [
    *rounds.urlpatterns,
    *frameworks.urlpatterns,
    *points.urlpatterns,
    *field.urlpatterns,
]
