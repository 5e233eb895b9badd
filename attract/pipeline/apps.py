from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PipelineConfig(AppConfig):
    name = "attract.pipeline"
    label = "pipeline"
    verbose_name = "Pipeline"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from attract.pipeline.title_index import DEAL_TITLES
        from attract.pipeline.trash_sections import register_sections

        # A migration that rebuilds the deal table on SQLite drops the title index's
        # triggers; put them back after every migrate (see core.trigram_index).
        post_migrate.connect(DEAL_TITLES.ensure_after_migrate, sender=self, weak=False)
        register_sections()
        from attract.pipeline.bulk import register_kinds

        register_kinds()
