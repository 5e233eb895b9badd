from django.urls import path

from attract.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("settings/webhooks/", views.subscription_list, name="list"),
    path("settings/webhooks/add/", views.subscription_add, name="add"),
    path("settings/webhooks/<int:pk>/", views.subscription_detail, name="detail"),
    path("settings/webhooks/<int:pk>/edit/", views.subscription_edit, name="edit"),
    path("settings/webhooks/<int:pk>/switch/", views.subscription_switch, name="switch"),
    path("settings/webhooks/<int:pk>/delete/", views.subscription_delete, name="delete"),
    path("settings/webhooks/<int:pk>/ping/", views.subscription_ping, name="ping"),
    path(
        "settings/webhooks/<int:pk>/deliveries/<int:delivery_pk>/resend/",
        views.delivery_resend,
        name="resend",
    ),
]
