from .views import appeals, dashboard, figures, rankings, report, results, schemes

app_name = "assessment"
# Each part of the assessment UI lists its own routes.
urlpatterns = [
    *rankings.urlpatterns,
    *results.urlpatterns,
    *appeals.urlpatterns,
    *schemes.urlpatterns,
    *figures.urlpatterns,
    *dashboard.urlpatterns,
    *report.urlpatterns,
]
