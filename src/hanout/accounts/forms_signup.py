"""Who a new store's manager is: the fields allauth adds to every signup form.

`ACCOUNT_SIGNUP_FORM_CLASS` points here, so these fields are part of the web's
step two (`ManagerSignupForm`) and of allauth's headless signup
(`/_allauth/app/v1/auth/signup`, which the desktop app uses) alike, with the
same checks. The store itself (step one) waits in the sign-up's session until
`AccountAdapter.save_user` creates the user, the business and its shop in one
transaction.

This module must not import `allauth.account.forms`: allauth imports it while
building its own forms.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

STORE_SESSION_KEY = "hanout_register_store"
# The sponsor's referral code (from `?ref=CODE` or typed in step one), kept apart from
# the store's details and handed to business_register in step two.
REFERRAL_SESSION_KEY = "hanout_register_referral"


def pending_store(request) -> dict | None:
    """Step one's details waiting in this sign-up's session (web or headless), if any."""
    session = getattr(request, "session", None)
    return session.get(STORE_SESSION_KEY) if session is not None else None


class ManagerDetailsForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)

    def clean_phone(self):
        """In E.164 form, read with the country of the store being registered."""
        from allauth.core import context

        from hanout.accounts.services import phone_or_fail
        from hanout.core.errors import DomainError

        store = pending_store(context.request) or {}
        try:
            return phone_or_fail(self.cleaned_data.get("phone", ""), store.get("country"))
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean(self):
        """The referral code was checked in step one; its business may have closed since."""
        from allauth.core import context

        from hanout.core.errors import DomainError
        from hanout.referrals.services import check_referral_code

        cleaned = super().clean()
        code = getattr(context.request, "session", {}).get(REFERRAL_SESSION_KEY)
        if code:
            try:
                check_referral_code(code)
            except DomainError as exc:
                raise forms.ValidationError(exc.message) from exc
        return cleaned

    def signup(self, request, user):
        """Nothing to add: AccountAdapter.save_user saves these with the business."""
