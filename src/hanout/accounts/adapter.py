"""allauth adapter: registration creates the business in the same transaction."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Signing up is step two of registering a store: step one must be done.
        from hanout.accounts.views_register import STORE_SESSION_KEY

        return bool(request.session.get(STORE_SESSION_KEY))

    def save_user(self, request, user, form, commit=True):
        from django.conf import settings

        from hanout.accounts.services import (
            StoreDetails,
            business_register,
            identity_document_attach,
            phone_or_fail,
        )
        from hanout.accounts.views_register import REFERRAL_SESSION_KEY, STORE_SESSION_KEY
        from hanout.core.middleware import SESSION_BUSINESS_KEY

        user.full_name = form.cleaned_data["full_name"]
        store = StoreDetails(**request.session[STORE_SESSION_KEY])
        user.phone = phone_or_fail(form.cleaned_data.get("phone", ""), store.country)
        user.language = getattr(request, "LANGUAGE_CODE", "") or ""
        user = super().save_user(request, user, form, commit=True)
        membership = business_register(
            store=store, owner=user, referral_code=request.session.get(REFERRAL_SESSION_KEY)
        )
        upload = form.cleaned_data.get("id_document")
        if upload:
            identity_document_attach(
                business=membership.business,
                user=user,
                upload=upload,
                max_bytes=settings.IDENTITY_DOCUMENT_MAX_BYTES,
            )
        request.session[SESSION_BUSINESS_KEY] = str(membership.business_id)
        request.session.pop(STORE_SESSION_KEY, None)
        request.session.pop(REFERRAL_SESSION_KEY, None)
        return user

    def get_signup_redirect_url(self, request):
        return reverse("home")

    def send_mail(self, template_prefix, email, context):
        """allauth's emails greet from "the site": name it Hanout, not the host name."""
        from allauth.core import context as allauth_context
        from django.contrib.sites.requests import RequestSite

        request = allauth_context.request
        if request is not None:
            site = RequestSite(request)
            site.name = "Hanout"
            context = {**context, "current_site": site}
        return super().send_mail(template_prefix, email, context)

    def add_message(
        self,
        request,
        level,
        message_template=None,
        message_context=None,
        extra_tags="",
        message=None,
    ):
        """Messages such as "Successfully signed in" are written in the language of
        the person who just signed in, not the one the sign-in page was shown in."""
        from django.utils import translation

        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if getattr(user, "is_authenticated", False) else ""
        with translation.override(language or translation.get_language()):
            return super().add_message(
                request,
                level,
                message_template=message_template,
                message_context=message_context,
                extra_tags=extra_tags,
                message=message,
            )
