from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "attract.mail"
    label = "mail"
    verbose_name = "E-mail"

    def ready(self) -> None:
        from attract.mail import inbound_scheduled  # noqa: F401  (declares the mailbox sync)
