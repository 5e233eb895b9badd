from django.apps import AppConfig


class JobsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "attract.jobs"
    label = "jobs"
    verbose_name = "Background work"
