from django.apps import AppConfig


class AftercareConfig(AppConfig):
    name = "attract.aftercare"
    label = "aftercare"
    verbose_name = "Care after the sale"

    def ready(self) -> None:
        from attract.aftercare import (  # noqa: F401  (connect receivers, declare nightly work)
            care_receivers,
            care_scheduled,
            purchase_receivers,
            purchase_scheduled,
        )
        from attract.aftercare.care_trash_sections import register_care_sections

        register_care_sections()
        from attract.aftercare.customer_dates import calendar_events
        from attract.engagement.calendar_sources import register_calendar_source

        register_calendar_source(calendar_events)
        from attract.aftercare.trash_sections import register_departure_sections

        register_departure_sections()
        from attract.aftercare.customer_love_trash_sections import register_customer_love_sections

        register_customer_love_sections()
