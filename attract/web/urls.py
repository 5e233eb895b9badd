from django.urls import path

from attract.web import saved_view_views, search_views, views

app_name = "web"

urlpatterns = [
    path("", views.today, name="today"),
    path("healthz", views.healthz, name="healthz"),
    path("setup/", views.setup, name="setup"),
    path("search/", search_views.search_page, name="search"),
    path("search/palette/", search_views.palette, name="palette"),
    path("views/", saved_view_views.saved_views, name="saved_views"),
    path("views/save/", saved_view_views.saved_view_save, name="saved_view_save"),
    path(
        "views/<int:pk>/rename/", saved_view_views.saved_view_rename_view, name="saved_view_rename"
    ),
    path(
        "views/<int:pk>/delete/", saved_view_views.saved_view_delete_view, name="saved_view_delete"
    ),
]
