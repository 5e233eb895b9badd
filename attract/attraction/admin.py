"""Back-office views. Thank-you notes are private to their author, here too: the list and
every lookup show an admin only their own notes."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from attract.attraction.models import (
    Assessment,
    Complaint,
    Expectation,
    Plan,
    PlanRevision,
    Quality,
    Requirement,
    ThankYouNote,
    TickQuestion,
    Trait,
)

for model in (Plan, Quality, TickQuestion, Expectation, Complaint, Assessment, Requirement):
    admin.site.register(model, SimpleHistoryAdmin)
admin.site.register(PlanRevision)
admin.site.register(Trait)


@admin.register(ThankYouNote)
class ThankYouNoteAdmin(admin.ModelAdmin):
    list_display = ["to_whom", "created_at"]
    fields = ["to_whom", "text"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(author_id=request.user.pk)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)
