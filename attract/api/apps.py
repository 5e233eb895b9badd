from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "attract.api"
    label = "api"
    verbose_name = "API"
