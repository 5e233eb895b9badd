from django.urls import path

from attract.mail import compose_views, template_views

app_name = "mail"

urlpatterns = [
    path("mail/templates/", template_views.template_list, name="templates"),
    path("mail/templates/new/", template_views.template_create, name="template_create"),
    path("mail/templates/<int:pk>/", template_views.template_detail, name="template_detail"),
    path("mail/templates/<int:pk>/edit/", template_views.template_edit, name="template_edit"),
    path("mail/templates/<int:pk>/trash/", template_views.template_trash, name="template_trash"),
    path(
        "mail/templates/<int:pk>/restore/", template_views.template_restore, name="template_restore"
    ),
    path("mail/signature/", template_views.signature_save, name="signature"),
    path("mail/compose/", compose_views.compose, name="compose"),
    path("mail/sends/<int:pk>/", compose_views.send_detail, name="send_detail"),
    path("mail/unsubscribe/<str:token>/", compose_views.unsubscribe, name="unsubscribe"),
]
