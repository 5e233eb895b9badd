"""Back-office only."""

from django.contrib import admin

from attract.accounts.models import ApiToken, Invitation, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("email", "full_name", "role", "is_active")
    search_fields = ("email", "full_name")
    exclude = ("password",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "revoked_at")
    readonly_fields = ("key_hash",)


admin.register(Invitation)(admin.ModelAdmin)
