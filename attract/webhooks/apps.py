from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "attract.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from attract.jobs.worker import register_idle_work
        from attract.webhooks import scheduled  # noqa: F401 - declares its pruning
        from attract.webhooks.dispatch import deliver_due, fan_out_events

        register_idle_work(fan_out_events)
        register_idle_work(deliver_due)
