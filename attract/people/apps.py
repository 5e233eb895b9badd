from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _ensure_name_index(*, using: str, **kwargs) -> None:
    from django.db.migrations.recorder import MigrationRecorder

    from attract.people import name_index

    connection = connections[using]
    if not name_index.in_use(connection):
        return
    # Only while the migration that made the index is applied: `migrate people 0004` drops it.
    applied = MigrationRecorder(connection).applied_migrations()
    if ("people", name_index.MIGRATION) in applied:
        name_index.ensure(connection)


class PeopleConfig(AppConfig):
    name = "attract.people"
    label = "people"
    verbose_name = "People and companies"

    def ready(self) -> None:
        # A migration that rebuilds the person table on SQLite drops the name index's
        # triggers; put them back after every migrate (see name_index).
        post_migrate.connect(_ensure_name_index, sender=self)
        from attract.people.trash_sections import register_sections

        register_sections()
        from attract.people.bulk import register_kinds

        register_kinds()
