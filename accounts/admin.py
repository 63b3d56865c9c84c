from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "team", "is_active"]
    list_filter = ["role", "team", "is_active"]
    search_fields = ["username", "display_name", "email"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Profile"), {"fields": ["display_name", "email", "role", "team", "language"]}),
        (_("Status"), {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "password1", "password2", "display_name", "role", "team"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "manager"]
    search_fields = ["name"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the record is written by the services and the sign-in signals only."""

    list_display = ["at", "kind", "actor", "username", "ip_address", "door", "object_repr"]
    list_filter = ["kind", "door"]
    search_fields = ["username", "object_repr", "ip_address"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
