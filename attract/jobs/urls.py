from django.urls import path

from attract.jobs import views

app_name = "jobs"

urlpatterns = [
    path("settings/background/", views.background, name="background"),
    path("settings/background/<str:job_id>/retry/", views.retry, name="retry"),
]
