from django.urls import path

from attract.reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.dashboard, name="dashboard"),
    # Before reports/<name>/: "lost-reasons" is not a report.
    path("reports/lost-reasons/", views.lost_reasons, name="lost_reasons"),
    path(
        "reports/lost-reasons/<int:pk>/",
        views.lost_reason_update_view,
        name="lost_reason_update",
    ),
    path("reports/<slug:name>/", views.report, name="report"),
    path("reports/<slug:name>/csv/", views.report_csv, name="report_csv"),
    path("reports/<slug:name>/pin/", views.pin, name="pin"),
]
