from django.apps import AppConfig


class AftercareConfig(AppConfig):
    name = "attract.aftercare"
    label = "aftercare"
    verbose_name = "Care after the sale"
