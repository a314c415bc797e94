from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from hanout.accounts.models import Membership, ModuleAccess, PermissionRequest, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "date_joined"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["full_name", "phone", "language"]}),
        ("Operator", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    filter_horizontal = []
    list_filter = ["is_active", "is_staff"]


class ModuleAccessInline(admin.TabularInline):
    model = ModuleAccess
    extra = 0
    fields = ["module", "level"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "business", "role", "job_title", "employee_code", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__email", "user__full_name", "business__name"]
    list_select_related = ["user", "business"]
    exclude = ["pin_hash"]
    inlines = [ModuleAccessInline]


@admin.register(PermissionRequest)
class PermissionRequestAdmin(admin.ModelAdmin):
    list_display = ["membership", "module", "level", "status", "created_at", "decided_at"]
    list_filter = ["status", "module"]
    list_select_related = ["membership__user"]
