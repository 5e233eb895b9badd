from django.urls import path

from attract.mail import inbound_views as views

app_name = "mailbox"

urlpatterns = [
    path("settings/mailbox/", views.mailbox_settings, name="settings"),
    path("settings/mailbox/test/", views.mailbox_try, name="test"),
    path("settings/mailbox/sync/", views.mailbox_sync_now, name="sync"),
    path("settings/mailbox/disconnect/", views.mailbox_disconnect, name="disconnect"),
    path("mail/import/", views.mail_file_import, name="import"),
    path("mail/unmatched/", views.unmatched_list, name="unmatched"),
    path("mail/unmatched/<int:pk>/add/", views.unmatched_add, name="unmatched_add"),
    path("mail/unmatched/<int:pk>/dismiss/", views.unmatched_dismiss, name="unmatched_dismiss"),
]
