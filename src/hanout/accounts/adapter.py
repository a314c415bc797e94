"""allauth adapter: registration creates the business in the same transaction."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Signing up is step two of registering a store: step one must be done.
        from hanout.accounts.forms_signup import pending_store

        return bool(pending_store(request))

    def save_user(self, request, user, form, commit=True):
        """The user, the business, its first shop and the identity document, all or
        nothing: the web's step two is one transaction already, allauth's headless
        signup (the desktop app) is not."""
        from django.db import IntegrityError, transaction
        from django.utils.translation import gettext as _

        from hanout.accounts.models import User
        from hanout.core.errors import DomainError, ValidationFailed

        try:
            try:
                with transaction.atomic():
                    return self._save_user_and_store(request, user, form)
            except IntegrityError:
                # Two sign-ups of one address at once: the form's check passed for both.
                if not User.objects.filter(email__iexact=user.email).exists():
                    raise
                message = _("A user is already registered with this email address.")
                raise ValidationFailed(message, fields={"email": [message]}) from None
        except DomainError as exc:
            if _is_headless(request):
                raise _headless_error(request, exc) from exc
            raise  # the web's step two shows it on its form (ManagerSignupView)

    def _save_user_and_store(self, request, user, form):
        from django.conf import settings

        from hanout.accounts.forms_signup import REFERRAL_SESSION_KEY, STORE_SESSION_KEY
        from hanout.accounts.services import (
            StoreDetails,
            business_register,
            identity_document_attach,
            phone_or_fail,
        )
        from hanout.core.middleware import SESSION_BUSINESS_KEY

        user.full_name = form.cleaned_data["full_name"]
        store = StoreDetails(**request.session[STORE_SESSION_KEY])
        # Already checked by ManagerDetailsForm.clean_phone with the same country.
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


def _is_headless(request) -> bool:
    return getattr(getattr(request, "allauth", None), "headless", None) is not None


def _headless_error(request, exc):
    """A DomainError as allauth's headless 400 (its `errors` list, `param` per field):
    raised as ImmediateHttpResponse, which allauth's middleware answers with."""
    from allauth.core.exceptions import ImmediateHttpResponse
    from allauth.headless.internal.restkit.response import APIResponse

    errors = [
        {"message": str(message), "code": exc.code, "param": field}
        for field, messages in exc.fields.items()
        for message in (messages if isinstance(messages, list) else [messages])
    ] or [{"message": exc.message, "code": exc.code}]
    return ImmediateHttpResponse(APIResponse(request, errors=errors, status=400))
