"""Operator admin: the marketplace terms are set here; wallets and their ledger are read-only.

Deposits, withdrawals and purchases are decided through the administrators' queue
(the API's /market/admin/ routes and the /market/admin/ page), which goes through
the services: the ledger is never edited here.
"""

from django.contrib import admin

from hanout.core.admin import ReadOnlyAdmin
from hanout.marketplace.models import MarketTerms, Wallet, WalletEntry, WalletRequest


@admin.register(MarketTerms)
class MarketTermsAdmin(admin.ModelAdmin):
    list_display = ["currency", "approval_threshold", "request_days", "confirm_days", "max_amount"]


@admin.register(Wallet)
class WalletAdmin(ReadOnlyAdmin):
    list_display = ["business", "currency", "posted", "held", "seq", "updated_at"]
    search_fields = ["business__name"]


@admin.register(WalletEntry)
class WalletEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "business",
        "kind",
        "posted_change",
        "held_change",
        "posted_after",
        "currency",
    ]
    list_filter = ["kind", "currency"]
    search_fields = ["business__name"]


@admin.register(WalletRequest)
class WalletRequestAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "business",
        "kind",
        "amount",
        "currency",
        "status",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status", "kind", "currency"]
    search_fields = ["business__name", "reference"]
