from django.urls import path

from attract.reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.dashboard, name="dashboard"),
    path("reports/<slug:name>/", views.report, name="report"),
    path("reports/<slug:name>/csv/", views.report_csv, name="report_csv"),
    path("reports/<slug:name>/pin/", views.pin, name="pin"),
]
