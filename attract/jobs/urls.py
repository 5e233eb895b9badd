from django.urls import path

from attract.jobs import views

app_name = "jobs"

urlpatterns = [
    path("settings/background/", views.background, name="background"),
    path("settings/background/retention/", views.retention, name="retention"),
    path("settings/background/<str:job_id>/retry/", views.retry, name="retry"),
]
