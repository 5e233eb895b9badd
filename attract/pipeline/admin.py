"""Back-office views only; every rule lives in the services, so the admin is read-mostly."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from attract.pipeline.models import Deal, Quote, StageMove, StageSetting, ToughQuestion


@admin.register(Deal)
class DealAdmin(SimpleHistoryAdmin):
    list_display = ("title", "company", "stage", "outcome", "revenue", "owner")
    list_filter = ("stage", "outcome", "source")
    search_fields = ("title",)
    raw_id_fields = ("company", "contact", "owner")
    readonly_fields = ("stage", "outcome", "version", "stage_entered_at", "closed_at")


@admin.register(Quote)
class QuoteAdmin(SimpleHistoryAdmin):
    list_display = ("deal", "amount", "status", "sent_on")
    raw_id_fields = ("deal",)


@admin.register(StageMove)
class StageMoveAdmin(admin.ModelAdmin):
    list_display = ("deal", "from_stage", "to_stage", "moved_by", "moved_at", "is_backward")
    raw_id_fields = ("deal",)


admin.site.register(StageSetting, SimpleHistoryAdmin)
admin.site.register(ToughQuestion, SimpleHistoryAdmin)
