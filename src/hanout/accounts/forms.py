"""Forms for registration, employees, access and tokens."""

from __future__ import annotations

from allauth.account.forms import SignupForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from hanout.accounts.services import check_identity_document
from hanout.core.forms import _country_choices, _currency_choices, _tz_choices


class StoreForm(forms.Form):
    name = forms.CharField(label=_("Business name"), max_length=120)
    currency = forms.ChoiceField(label=_("Currency"), choices=_currency_choices, initial="EUR")
    country = forms.ChoiceField(label=_("Country"), choices=_country_choices)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_tz_choices, initial="Europe/Brussels")
    shop_name = forms.CharField(label=_("First shop's name"), max_length=120, required=False,
                                help_text=_("Leave empty to use the business name."))
    address = forms.CharField(label=_("First shop's address"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    language = forms.ChoiceField(label=_("Default language"), choices=settings.LANGUAGES)


class ManagerSignupForm(SignupForm):
    """allauth's signup (email + password twice) plus who the manager is."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    id_document = forms.FileField(
        label=_("Identity document"), required=False,
        help_text=_("PDF, JPEG or PNG, at most 10 MB. Only the owners can see it."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def clean_phone(self):
        # Normalised with the store's country in the adapter, where it is known.
        return self.cleaned_data.get("phone", "").strip()

    def clean_id_document(self):
        upload = self.cleaned_data.get("id_document")
        if upload:
            from hanout.core.errors import DomainError

            try:
                check_identity_document(upload, max_bytes=settings.IDENTITY_DOCUMENT_MAX_BYTES)
            except DomainError as exc:
                raise forms.ValidationError(exc.message) from exc
        return upload
