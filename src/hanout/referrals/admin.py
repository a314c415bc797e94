"""Operator admin: the reward programme is set here; the ledger is read-only.

A reward given by mistake is cancelled with the "Reverse" action, which adds a
reversal entry (the ledger is never edited)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from hanout.core.admin import ReadOnlyAdmin
from hanout.core.errors import DomainError
from hanout.referrals.models import (
    ReferralCode,
    ReferralInvitation,
    RewardEntry,
    RewardProgramme,
    Sponsorship,
)


@admin.register(RewardProgramme)
class RewardProgrammeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "valid_from",
        "is_active",
        "one_time_amount",
        "currency",
        "active_days_required",
        "fee_percent",
        "fee_months",
    ]
    list_filter = ["is_active"]
    fieldsets = [
        (None, {"fields": ["name", "valid_from", "is_active"]}),
        (_("One-time reward"), {"fields": ["one_time_amount", "currency", "active_days_required"]}),
        (_("Share of the platform's fees"), {"fields": ["fee_percent", "fee_months"]}),
    ]

    def has_delete_permission(self, request, obj=None):
        return False  # entries point at it; switch it off instead


@admin.register(ReferralCode)
class ReferralCodeAdmin(ReadOnlyAdmin):
    list_display = ["code", "business", "created_at"]
    search_fields = ["code", "business__name"]
    list_select_related = ["business"]


@admin.register(Sponsorship)
class SponsorshipAdmin(ReadOnlyAdmin):
    list_display = ["sponsee", "business", "since", "code"]
    search_fields = ["sponsee__name", "business__name", "code"]
    list_select_related = ["business", "sponsee"]
    date_hierarchy = "since"


@admin.register(RewardEntry)
class RewardEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "earned_on",
        "business",
        "sponsorship",
        "kind",
        "amount",
        "currency",
        "reference",
        "reverses",
    ]
    list_filter = ["kind", "currency"]
    search_fields = ["business__name", "sponsorship__sponsee__name", "reference"]
    list_select_related = ["business", "sponsorship__sponsee", "reverses"]
    date_hierarchy = "earned_on"
    actions = ["reverse_entries"]

    def has_change_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        # Django hides actions when the user may not change; this one adds a row instead.
        actions = super().get_actions(request)
        if request.user.is_superuser or request.user.is_staff:
            func, name, desc = self.get_action("reverse_entries")
            actions[name] = (func, name, desc)
        return actions

    @admin.action(description=_("Reverse the selected rewards (adds reversal entries)"))
    def reverse_entries(self, request, queryset):
        from hanout.referrals.services import referral_reward_reverse

        done = 0
        for entry in queryset.select_related("sponsorship"):
            try:
                referral_reward_reverse(
                    entry=entry, reason=_("Reversed by the platform operator"), actor=request.user
                )
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{entry}: {exc.message}", messages.WARNING)
        if done:
            self.message_user(request, _("%(n)d reversal entries added.") % {"n": done})


@admin.register(ReferralInvitation)
class ReferralInvitationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "business", "email"]
    search_fields = ["business__name", "email"]
    list_select_related = ["business"]
