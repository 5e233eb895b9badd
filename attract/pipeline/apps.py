from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "attract.pipeline"
    label = "pipeline"
    verbose_name = "Pipeline"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from attract.pipeline.trash_sections import register_sections

        register_sections()
        from attract.pipeline.bulk import register_kinds

        register_kinds()
