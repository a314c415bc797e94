"""Registering a store in two steps: the store, then its manager (allauth signup)."""

from __future__ import annotations

from allauth.account.views import SignupView
from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator

from hanout.accounts.forms import StoreForm
from hanout.core.errors import DomainError
from hanout.core.pages import apply_domain_error

STORE_SESSION_KEY = "hanout_register_store"


def store_step(request):
    """Step one: the business, its currency, country, time zone and first shop."""
    initial = request.session.get(STORE_SESSION_KEY) or {
        "language": getattr(request, "LANGUAGE_CODE", "en")
    }
    form = StoreForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        request.session[STORE_SESSION_KEY] = form.cleaned_data
        return redirect("account_signup")
    return render(request, "accounts/register_store.html", {"form": form, "step": 1})


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
        ctx["step"] = 2
        ctx["max_mb"] = settings.IDENTITY_DOCUMENT_MAX_BYTES // (1024 * 1024)
        return ctx
