from django.apps import AppConfig


class EngagementConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "attract.engagement"
    label = "engagement"
    verbose_name = "Engagement"

    def ready(self) -> None:
        from attract.engagement import (
            receivers,  # noqa: F401  (connects the receivers)
            scheduled,  # noqa: F401  (declares the nightly refresh)
        )
        from attract.engagement.bulk import register_kinds

        register_kinds()
        from attract.engagement.trash_sections import register_sections

        register_sections()
