from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "attract.reports"
    label = "reports"
    verbose_name = "Reports"
