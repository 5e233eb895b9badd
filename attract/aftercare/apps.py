from django.apps import AppConfig


class AftercareConfig(AppConfig):
    name = "attract.aftercare"
    label = "aftercare"
    verbose_name = "Care after the sale"

    def ready(self) -> None:
        from attract.aftercare.trash_sections import register_departure_sections

        register_departure_sections()
