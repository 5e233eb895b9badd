from django.apps import AppConfig


class AttractionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "attract.attraction"
    label = "attraction"
    verbose_name = "Attraction plan"

    def ready(self) -> None:
        from attract.attraction import scheduled  # noqa: F401  (declares the nightly refit)
        from attract.attraction.trash_sections import register_sections

        register_sections()
