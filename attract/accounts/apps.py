from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "attract.accounts"
    label = "accounts"
    verbose_name = "Accounts"
