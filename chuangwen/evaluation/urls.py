from .views import field, frameworks, inspections, points, round_results, rounds

app_name = "evaluation"
# Each part of the evaluation UI lists its own routes.
urlpatterns = [
    *rounds.urlpatterns,
    *round_results.urlpatterns,
    *inspections.urlpatterns,
    *frameworks.urlpatterns,
    *points.urlpatterns,
    *field.urlpatterns,
]
