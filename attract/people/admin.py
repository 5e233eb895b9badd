"""Back-office only: the admin is for support, never where business rules live."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from attract.people.models import Company, Person, Tag


@admin.register(Company)
class CompanyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "relationship", "owner", "deleted_at")
    search_fields = ("name",)
    list_filter = ("relationship",)


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("first_name", "last_name", "company", "owner", "deleted_at")
    search_fields = ("first_name", "last_name")
    raw_id_fields = ("company",)


admin.site.register(Tag)
