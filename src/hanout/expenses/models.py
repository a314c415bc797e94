"""Expenses: the money a shop spends outside its purchase orders.

An expense has a category, an amount in the business's currency, the day it
was spent, a short comment and a longer description, optionally the supplier
paid, who recorded it, and any number of attached documents (photos of the
receipt, the PDF bill). A `RecurringExpense` is a template (rent every month,
salaries every week) from which a background job records the due expenses.

Categories: the five built-in ones (supplier payments, personal needs, store
charges, salaries, other) are rows like the business's own, created for each
business the first time its categories are read, so that every expense points
at one table and the owner can archive a built-in one they never use. Their
label is translated when shown (`builtin` holds a code, not a text); the
business's own categories carry the name the owner typed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hanout.core.models import BusinessOwned
from hanout.core.money import MONEY_DIGITS, MONEY_PLACES

MONEY = {"max_digits": MONEY_DIGITS, "decimal_places": MONEY_PLACES}


def _private_storage():
    return storages["private"]


class BuiltinCategory(models.TextChoices):
    SUPPLIER_PAYMENTS = "supplier_payments", _("Supplier payments")
    PERSONAL = "personal", _("Personal needs")
    STORE_CHARGES = "store_charges", _("Store charges")
    SALARIES = "salaries", _("Salaries")
    OTHER = "other", pgettext_lazy("expense category", "Other")


class ExpenseCategory(BusinessOwned):
    builtin = models.CharField(
        _("built-in category"), max_length=24, choices=BuiltinCategory.choices, blank=True
    )
    name = models.CharField(_("name"), max_length=80, blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        ordering = ["builtin", "name", "id"]
        verbose_name = _("expense category")
        verbose_name_plural = _("expense categories")
        constraints = [
            models.UniqueConstraint(
                "business",
                "builtin",
                condition=~Q(builtin=""),
                name="expense_category_builtin_once",
            ),
            models.UniqueConstraint(
                "business",
                Lower("name"),
                condition=Q(builtin=""),
                name="expense_category_name_unique",
                violation_error_message=_("There is already a category with this name."),
            ),
        ]

    @property
    def label(self) -> str:
        return str(BuiltinCategory(self.builtin).label) if self.builtin else self.name

    def __str__(self) -> str:
        return self.label


class Frequency(models.TextChoices):
    MONTHS = "months", _("months")
    WEEKS = "weeks", _("weeks")


class RecurringExpense(BusinessOwned):
    category = models.ForeignKey(
        ExpenseCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    comment = models.CharField(_("comment"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    supplier = models.ForeignKey(
        "suppliers.Supplier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supplier"),
    )
    every = models.PositiveSmallIntegerField(_("every"), default=1)
    unit = models.CharField(_("unit"), max_length=8, choices=Frequency.choices)
    starts_on = models.DateField(_("first date"))
    next_on = models.DateField(_("next date"), null=True, blank=True)
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    made = models.PositiveIntegerField(_("expenses recorded"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-is_active", "next_on", "id"]
        verbose_name = _("recurring expense")
        verbose_name_plural = _("recurring expenses")
        indexes = [models.Index(fields=["is_active", "next_on"], name="recurring_expense_due")]

    def __str__(self) -> str:
        return self.comment


class Expense(BusinessOwned):
    category = models.ForeignKey(
        ExpenseCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    spent_on = models.DateField(_("date"))
    comment = models.CharField(_("comment"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    supplier = models.ForeignKey(
        "suppliers.Supplier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supplier"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recurring = models.ForeignKey(
        RecurringExpense,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expenses",
        verbose_name=_("recurring expense"),
    )
    # Lower-cased, accent-free "comment description" for search (kept by the services).
    search_text = models.CharField(max_length=600, blank=True, editable=False)

    class Meta:
        ordering = ["-spent_on", "-created_at", "-id"]
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        indexes = [
            models.Index(fields=["business", "spent_on"], name="expense_date"),
            models.Index(fields=["business", "category", "spent_on"], name="expense_category"),
        ]
        constraints = [
            models.UniqueConstraint("recurring", "spent_on", name="expense_recurring_once_a_day"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.comment


class ExpenseAttachment(BusinessOwned):
    expense = models.ForeignKey(
        Expense, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("expense")
    )
    file = models.FileField(_("file"), storage=_private_storage, upload_to="expenses/")
    thumbnail = models.FileField(
        _("thumbnail"), storage=_private_storage, upload_to="expenses/thumbs/", blank=True
    )
    content_type = models.CharField(max_length=40)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    def __str__(self) -> str:
        return self.original_name
