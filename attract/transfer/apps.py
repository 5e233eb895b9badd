from django.apps import AppConfig


class TransferConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "attract.transfer"
    label = "transfer"

    def ready(self) -> None:
        # The worker reads a task's retry policy (not atomic, for the import) when it claims
        # it: the tasks must be declared by then.
        from attract.transfer import tasks  # noqa: F401
