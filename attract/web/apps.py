from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "attract.web"
    label = "web"
    verbose_name = "Web"
