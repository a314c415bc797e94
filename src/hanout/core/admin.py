"""Operator admin. Audit entries can be read, never changed or deleted."""

from django.contrib import admin

from hanout.core.models import AuditEntry, Business, OpeningHours, Shop


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the operator may read but never add, change or delete (ledgers, records)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0
    fields = ["weekday", "opens_at", "closes_at", "is_closed"]


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ["name", "currency", "country", "default_language", "is_active", "created_at"]
    list_filter = ["is_active", "currency", "country"]
    search_fields = ["name"]


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ["name", "business", "time_zone", "is_active"]
    list_select_related = ["business"]
    search_fields = ["name", "business__name"]
    inlines = [OpeningHoursInline]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "business", "actor_label", "action", "object_type", "object_repr", "ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_repr", "object_id", "action"]
    list_select_related = ["business"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
