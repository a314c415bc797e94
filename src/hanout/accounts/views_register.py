"""Registering a store in two steps: the store, then its manager (allauth signup)."""

from __future__ import annotations

from allauth.account.views import SignupView
from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator

from hanout.accounts.forms import StoreForm
from hanout.accounts.forms_signup import REFERRAL_SESSION_KEY, STORE_SESSION_KEY
from hanout.core.errors import DomainError
from hanout.core.pages import apply_domain_error


def store_step(request):
    """Step one: the business, its currency, country, time zone and first shop.

    `?ref=CODE` (the sponsor's link) fills in the referral code."""
    from hanout.referrals.selectors import referral_code_find

    initial = dict(
        request.session.get(STORE_SESSION_KEY)
        or {"language": getattr(request, "LANGUAGE_CODE", "en")}
    )
    ref = request.GET.get("ref", "").strip()[:24]
    initial["referral_code"] = ref or request.session.get(REFERRAL_SESSION_KEY, "")
    form = StoreForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        code = data.pop("referral_code", "")
        request.session[STORE_SESSION_KEY] = data
        if code:
            request.session[REFERRAL_SESSION_KEY] = code
        else:
            request.session.pop(REFERRAL_SESSION_KEY, None)
        return redirect("account_signup")
    found = referral_code_find(initial["referral_code"]) if initial["referral_code"] else None
    context = {
        "form": form,
        "step": 1,
        "sponsor": found.business if found and found.business.is_active else None,
        "unknown_ref": bool(ref) and not (found and found.business.is_active),
    }
    return render(request, "accounts/register_store.html", context)


@method_decorator(transaction.atomic, name="post")
class ManagerSignupView(SignupView):
    """Step two: the manager's account. The user, the business, its first shop and
    the identity document are created in one transaction (see AccountAdapter)."""

    template_name = "accounts/register_manager.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.session.get(STORE_SESSION_KEY):
            return redirect("register")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except DomainError as exc:
            apply_domain_error(form, exc)
            return self.form_invalid(form)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["store"] = self.request.session.get(STORE_SESSION_KEY)
        code = self.request.session.get(REFERRAL_SESSION_KEY)
        if code:
            from hanout.referrals.selectors import referral_code_find

            found = referral_code_find(code)
            ctx["sponsor"] = found.business if found else None
        ctx["step"] = 2
        ctx["max_mb"] = settings.IDENTITY_DOCUMENT_MAX_BYTES // (1024 * 1024)
        return ctx
