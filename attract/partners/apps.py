from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "attract.partners"
    label = "partners"
    verbose_name = "Partners and referrals"

    def ready(self) -> None:
        from attract.partners import (
            receivers,  # noqa: F401  (connects the receivers)
            scheduled,  # noqa: F401  (declares the nightly recount)
        )
        from attract.partners.trash_sections import register_sections

        register_sections()
