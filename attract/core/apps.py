from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "attract.core"
    label = "core"
    verbose_name = "Core"
