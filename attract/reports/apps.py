from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "attract.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from attract.reports import scheduled  # noqa: F401  (declares the nightly snapshots)
