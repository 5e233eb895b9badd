from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "attract.mail"
    label = "mail"
    verbose_name = "E-mail"
