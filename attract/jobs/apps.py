from django.apps import AppConfig


class JobsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "attract.jobs"
    label = "jobs"
    verbose_name = "Background work"

    def ready(self) -> None:
        from attract.jobs import housekeeping  # noqa: F401 - declares its schedule
        from attract.jobs.schedule import run_due_schedules
        from attract.jobs.worker import register_idle_work

        register_idle_work(run_due_schedules)
