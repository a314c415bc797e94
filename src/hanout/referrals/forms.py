"""The invitation form: shape only; the service checks the address and the daily limit."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hanout.referrals.services import MESSAGE_MAX


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "dir": "ltr"}),
    )
    message = forms.CharField(
        label=_("Message (optional)"),
        max_length=MESSAGE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
