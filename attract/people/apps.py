from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PeopleConfig(AppConfig):
    name = "attract.people"
    label = "people"
    verbose_name = "People and companies"

    def ready(self) -> None:
        from attract.people.name_index import COMPANY_NAMES, PERSON_NAMES
        from attract.people.trash_sections import register_sections

        # A migration that rebuilds the person or company table on SQLite drops its name
        # index's triggers; put them back after every migrate (see core.trigram_index).
        for index in (PERSON_NAMES, COMPANY_NAMES):
            post_migrate.connect(index.ensure_after_migrate, sender=self, weak=False)
        register_sections()
        from attract.people.bulk import register_kinds

        register_kinds()
