from django.urls import path

from attract.web import search_views, views

app_name = "web"

urlpatterns = [
    path("", views.today, name="today"),
    path("care/", views.care, name="care"),
    path("reports/", views.reports, name="reports"),
    path("healthz", views.healthz, name="healthz"),
    path("setup/", views.setup, name="setup"),
    path("search/", search_views.search_page, name="search"),
    path("search/palette/", search_views.palette, name="palette"),
]
