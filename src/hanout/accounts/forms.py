"""Forms for registration, employees, access and tokens."""

from __future__ import annotations

from allauth.account.forms import SignupForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from hanout.accounts.services import check_identity_document
from hanout.core.forms import _country_choices, _currency_choices, _tz_choices
from hanout.core.permissions import ROLE_DEFAULTS, Level, Module, Role


class StoreForm(forms.Form):
    name = forms.CharField(label=_("Business name"), max_length=120)
    currency = forms.ChoiceField(label=_("Currency"), choices=_currency_choices, initial="EUR")
    country = forms.ChoiceField(
        label=_("Country"), choices=lambda: [("", "—"), *_country_choices()]
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=_tz_choices, initial="Europe/Brussels"
    )
    shop_name = forms.CharField(
        label=_("First shop's name"),
        max_length=120,
        required=False,
        help_text=_("Leave empty to use the business name."),
    )
    address = forms.CharField(
        label=_("First shop's address"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    language = forms.ChoiceField(label=_("Default language"), choices=settings.LANGUAGES)
    referral_code = forms.CharField(
        label=_("Referral code"),
        max_length=24,
        required=False,
        help_text=_("Optional: the code of the business that invited you."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_referral_code(self):
        from hanout.core.errors import DomainError
        from hanout.referrals.services import check_referral_code

        raw = self.cleaned_data.get("referral_code", "")
        if not raw.strip():
            return ""
        try:
            return check_referral_code(raw).code
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc


class ManagerSignupForm(SignupForm):
    """allauth's signup (email + password twice), who the manager is (full name and
    phone, from ManagerDetailsForm, which the desktop's headless signup shares) and
    the identity document, which only the web takes."""

    field_order = ["email", "password1", "password2", "full_name", "phone", "id_document"]

    id_document = forms.FileField(
        label=_("Identity document"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 10 MB. Only the owners can see it."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def clean_id_document(self):
        upload = self.cleaned_data.get("id_document")
        if upload:
            from hanout.core.errors import DomainError

            try:
                check_identity_document(upload, max_bytes=settings.IDENTITY_DOCUMENT_MAX_BYTES)
            except DomainError as exc:
                raise forms.ValidationError(exc.message) from exc
        return upload


# --- staff and profile pages -------------------------------------------------------------
# These forms check shape only (lengths, required, date format); the services decide
# the rules (unique code, PIN digits, who may make an owner) and the views show their
# DomainError beside the field it names.

_DIGITS = {"inputmode": "numeric", "autocomplete": "off"}


def role_choices(actor_role: str) -> list[tuple[str, str]]:
    """The roles a person may hand out: only an owner can make an owner."""
    return [
        (value, label)
        for value, label in Role.choices
        if value != Role.OWNER or actor_role == Role.OWNER
    ]


class EmployeeEditForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    employee_code = forms.CharField(
        label=_("Employee code"),
        max_length=8,
        required=False,
        widget=forms.TextInput(attrs=_DIGITS),
        help_text=_("Short number typed at the register, e.g. 14."),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    hired_on = forms.DateField(
        label=_("Hired on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, actor_role: str = Role.OWNER, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(actor_role)

    def clean_employee_code(self):
        return self.cleaned_data.get("employee_code", "").strip()


class EmployeeCreateForm(EmployeeEditForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("A new person gets an email to choose a password."),
    )
    pin = forms.CharField(
        label=_("Register PIN"),
        required=False,
        max_length=6,
        strip=True,
        widget=forms.PasswordInput(attrs={**_DIGITS, "autocomplete": "new-password"}),
        help_text=_("4 to 6 digits, typed at the register. You can set it later."),
    )

    field_order = [
        "full_name",
        "email",
        "role",
        "job_title",
        "employee_code",
        "pin",
        "phone",
        "hired_on",
    ]


class PinForm(forms.Form):
    pin = forms.CharField(
        label=_("New PIN"),
        max_length=6,
        strip=True,
        widget=forms.PasswordInput(attrs={**_DIGITS, "autocomplete": "new-password"}),
        help_text=_("4 to 6 digits."),
    )


class WorkHistoryForm(forms.Form):
    happened_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("What happened"), max_length=200)
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ModuleAccessForm(forms.Form):
    """One select per module: the role's default (no override), none, read or full."""

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        overrides = {a.module: a.level for a in membership.module_access.all()}
        defaults = ROLE_DEFAULTS[membership.role]
        for module in Module:
            default_label = Level(defaults[module.value]).label
            self.fields[module.value] = forms.ChoiceField(
                label=module.label,
                required=False,
                choices=[
                    ("", _("Role default (%(level)s)") % {"level": default_label}),
                    *Level.choices,
                ],
                initial=overrides.get(module.value, ""),
            )

    def levels(self) -> dict[str, str | None]:
        return {module: (self.cleaned_data.get(module) or None) for module in Module.values}


class PermissionRequestForm(forms.Form):
    module = forms.ChoiceField(label=_("Module"), choices=Module.choices)
    level = forms.ChoiceField(
        label=_("Access"),
        choices=[(Level.READ, Level.READ.label), (Level.FULL, Level.FULL.label)],
    )
    reason = forms.CharField(
        label=_("Why do you need it?"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, membership=None, **kwargs):
        super().__init__(*args, **kwargs)
        if membership is not None:
            # Only modules where there is something more to ask for.
            self.fields["module"].choices = [
                (m.value, m.label) for m in Module if membership.level(m.value) != Level.FULL
            ]


class PermissionDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        help_text=_("What the token is for, e.g. “stock script”."),
        widget=forms.TextInput(attrs={"placeholder": _("Token name"), "autocomplete": "off"}),
    )


class StaffFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, email or code")}),
    )
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            ("active", _("Active")),
            ("inactive", _("Inactive")),
        ],
    )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "search": data.get("q", ""),
            "role": data.get("role", ""),
            "active": {"active": True, "inactive": False}.get(data.get("status", "")),
        }
