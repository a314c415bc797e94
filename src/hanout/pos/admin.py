"""Operator admin of the register. Sales, sessions and payments are records of what
happened: they can be read here, never added, changed or deleted (that goes through
the services: a return, not an edit)."""

from django.contrib import admin

from hanout.core.admin import ReadOnlyAdmin
from hanout.pos.models import (
    CashMovement,
    CashSession,
    Payment,
    PaymentLink,
    Register,
    RegisterDevice,
    Sale,
    SaleLine,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Register)
class RegisterAdmin(admin.ModelAdmin):
    list_display = ["name", "shop", "business", "printer_kind", "is_active", "next_ticket_number"]
    list_filter = ["is_active", "printer_kind"]
    list_select_related = ["shop", "business"]
    search_fields = ["name", "shop__name", "business__name"]
    readonly_fields = [
        "business",
        "shop",
        "next_ticket_number",
        "next_return_number",
        "next_session_number",
    ]
    raw_id_fields = ["location"]


@admin.register(RegisterDevice)
class RegisterDeviceAdmin(ReadOnlyAdmin):
    list_display = ["register", "label", "paired_by", "last_seen_at", "revoked_at"]
    list_select_related = ["register", "paired_by"]
    exclude = ["token_hash"]


class CashMovementInline(ReadOnlyInline):
    model = CashMovement
    fields = ["kind", "amount", "reason", "actor", "created_at"]
    readonly_fields = fields


@admin.register(CashSession)
class CashSessionAdmin(ReadOnlyAdmin):
    list_display = [
        "register",
        "number",
        "status",
        "opened_at",
        "closed_at",
        "sales_count",
        "revenue",
        "expected_cash",
        "counted_cash",
        "difference",
    ]
    list_filter = ["status"]
    list_select_related = ["register"]
    search_fields = ["register__name", "business__name"]
    date_hierarchy = "opened_at"
    inlines = [CashMovementInline]


class SaleLineInline(ReadOnlyInline):
    model = SaleLine
    fields = ["position", "kind", "name", "quantity", "unit_price", "discount", "tax_rate", "total"]
    readonly_fields = fields


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ["method", "amount", "tendered", "change", "reference"]
    readonly_fields = fields


@admin.register(Sale)
class SaleAdmin(ReadOnlyAdmin):
    list_display = [
        "ticket_number",
        "kind",
        "register",
        "sold_at",
        "cashier",
        "total",
        "revenue",
        "late",
        "offline",
    ]
    list_filter = ["kind", "late", "offline"]
    list_select_related = ["register", "cashier"]
    search_fields = ["client_uuid", "register__name", "business__name"]
    date_hierarchy = "sold_at"
    inlines = [SaleLineInline, PaymentInline]


@admin.register(PaymentLink)
class PaymentLinkAdmin(ReadOnlyAdmin):
    list_display = ["register", "amount", "currency", "status", "expires_at", "paid_at"]
    list_filter = ["status", "provider"]
    list_select_related = ["register"]
    exclude = ["token"]
