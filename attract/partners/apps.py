from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "attract.partners"
    label = "partners"
    verbose_name = "Partners and referrals"

    def ready(self) -> None:
        from attract.partners.trash_sections import register_sections

        register_sections()
