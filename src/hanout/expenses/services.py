"""Every write on expenses, their categories and attachments.

Each function runs in one transaction, is scoped to one business, records an
audit row and (for expenses) emits an event after commit. Bad input is one
ValidationFailed naming every field at fault; nothing is written. Another
business's category or supplier is "not found" (404), never used.
"""

from __future__ import annotations

import contextlib
import datetime
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.core import audit, events
from hanout.core.errors import Conflict, NotFound, ValidationFailed
from hanout.core.models import Business
from hanout.core.money import quantize
from hanout.expenses import attachments as files
from hanout.expenses.models import (
    BuiltinCategory,
    Expense,
    ExpenseAttachment,
    ExpenseCategory,
)
from hanout.purchasing.selectors_bills import local_today
from hanout.suppliers.models import Supplier

ACTION_LABELS = {
    "expense.create": gettext_lazy("Recorded an expense"),
    "expense.update": gettext_lazy("Changed an expense"),
    "expense.delete": gettext_lazy("Deleted an expense"),
    "expense.attach": gettext_lazy("Attached a document to an expense"),
    "expense.detach": gettext_lazy("Removed a document from an expense"),
    "expense_category.create": gettext_lazy("Added an expense category"),
    "expense_category.update": gettext_lazy("Changed an expense category"),
    "expense_category.delete": gettext_lazy("Deleted an expense category"),
    "recurring_expense.create": gettext_lazy("Added a recurring expense"),
    "recurring_expense.update": gettext_lazy("Changed a recurring expense"),
    "recurring_expense.stop": gettext_lazy("Stopped a recurring expense"),
    "recurring_expense.record": gettext_lazy("Recorded the due recurring expenses"),
}

# An expense above this is a typing mistake, not a shop's spending.
MAX_AMOUNT = Decimal("100000000")
EARLIEST = datetime.date(2000, 1, 1)
# Paying next month's rent in advance is fine; a date years ahead is a typo.
MAX_DAYS_AHEAD = 31
EXPENSE_FIELDS = ["category", "amount", "spent_on", "comment", "description", "supplier"]


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- checks ------------------------------------------------------------------------------------


class _Errors(dict):
    def add(self, field: str, message) -> None:
        self.setdefault(field, []).append(str(message))

    def raise_if_any(self) -> None:
        if self:
            first = next(iter(self))
            raise ValidationFailed(f"{first}: {self[first][0]}", fields=dict(self))


def check_amount(value, currency: str, errors: _Errors, field: str = "amount"):
    try:
        number = Decimal(str(value).strip().replace(",", ".")) if value is not None else None
        if number is None or not number.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        errors.add(field, _("Enter an amount, such as 125.40."))
        return None
    number = quantize(number, currency)
    if number <= 0:
        errors.add(field, _("Enter an amount above zero."))
    elif number >= MAX_AMOUNT:
        errors.add(
            field, _("%(amount)s is not a plausible amount; check the figure.") % {"amount": value}
        )
    return number


def check_date(value, business: Business, errors: _Errors, field: str, *, ahead=MAX_DAYS_AHEAD):
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, datetime.date):
        errors.add(field, _("Enter a date, such as 2026-03-31."))
        return None
    latest = local_today(business) + datetime.timedelta(days=ahead)
    if value < EARLIEST or value > latest:
        errors.add(
            field,
            _("Enter a date between %(first)s and %(last)s.")
            % {"first": EARLIEST.isoformat(), "last": latest.isoformat()},
        )
    return value


def check_text(value, errors: _Errors, field: str, max_length: int, required=False) -> str:
    text = str(value or "").strip()
    if required and not text:
        errors.add(field, _("This field is required."))
    elif len(text) > max_length:
        errors.add(
            field,
            _("At most %(n)d characters (it has %(m)d).") % {"n": max_length, "m": len(text)},
        )
    return text


def check_category(business: Business, category) -> ExpenseCategory:
    """The business's category (a model or an id); another business's is a 404."""
    pk = getattr(category, "pk", category)
    found = None
    if pk:
        try:
            found = ExpenseCategory.objects.for_business(business).filter(pk=pk).first()
        except (ValueError, TypeError, ValidationError):  # a malformed id is "not found"
            found = None
    if found is None:
        raise NotFound(
            _("This expense category does not exist."), fields={"category": [_("Not found.")]}
        )
    return found


def check_supplier(business: Business, supplier) -> Supplier | None:
    if supplier in (None, ""):
        return None
    pk = getattr(supplier, "pk", supplier)
    try:
        found = Supplier.objects.for_business(business).filter(pk=pk).first()
    except (ValueError, TypeError, ValidationError):
        found = None
    if found is None:
        raise NotFound(_("This supplier does not exist."), fields={"supplier": [_("Not found.")]})
    return found


# --- categories --------------------------------------------------------------------------------


def ensure_builtin_categories(business: Business) -> None:
    """Create the five built-in categories of this business if they are missing."""
    have = set(
        ExpenseCategory.objects.for_business(business)
        .exclude(builtin="")
        .values_list("builtin", flat=True)
    )
    missing = [c for c in BuiltinCategory.values if c not in have]
    if not missing:
        return
    try:
        with transaction.atomic():
            ExpenseCategory.objects.bulk_create(
                [ExpenseCategory(business=business, builtin=code) for code in missing]
            )
    except IntegrityError:  # made at the same moment by another request
        pass


def _name_taken(business, name: str, exclude=None) -> bool:
    qs = ExpenseCategory.objects.for_business(business).filter(builtin="", name__iexact=name)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    if qs.exists():
        return True
    folded = fold(name)
    return any(fold(str(label)) == folded for label in BuiltinCategory.labels)


@transaction.atomic
def category_create(*, business: Business, actor, name: str) -> ExpenseCategory:
    errors = _Errors()
    name = check_text(name, errors, "name", 80, required=True)
    if not errors and _name_taken(business, name):
        errors.add("name", _("There is already a category with this name."))
    errors.raise_if_any()
    category = ExpenseCategory.objects.create(business=business, name=name)
    audit.record(
        business=business,
        actor=actor,
        action="expense_category.create",
        obj=category,
        changes={"name": [None, name]},
    )
    return category


@transaction.atomic
def category_update(*, category: ExpenseCategory, actor, data: dict[str, Any]):
    """Rename (own categories only) or archive / bring back a category."""
    category = (
        ExpenseCategory.objects.select_for_update().select_related("business").get(pk=category.pk)
    )
    errors = _Errors()
    changes = {}
    if "name" in data and not category.builtin:
        name = check_text(data["name"], errors, "name", 80, required=True)
        if not errors and name != category.name:
            if _name_taken(category.business, name, exclude=category):
                errors.add("name", _("There is already a category with this name."))
            changes["name"] = [category.name, name]
    elif "name" in data and category.builtin and data["name"] not in (None, "", category.label):
        errors.add("name", _("A built-in category cannot be renamed; archive it instead."))
    if "is_archived" in data and bool(data["is_archived"]) != category.is_archived:
        changes["is_archived"] = [category.is_archived, bool(data["is_archived"])]
    errors.raise_if_any()
    if changes:
        for key, (_old, new) in changes.items():
            setattr(category, key, new)
        category.save(update_fields=[*changes, "updated_at"])
        audit.record(
            business=category.business,
            actor=actor,
            action="expense_category.update",
            obj=category,
            changes=changes,
        )
    return category


@transaction.atomic
def category_delete(*, category: ExpenseCategory, actor) -> bool:
    """Delete an unused own category; a used (or built-in) one is archived instead.

    Returns True when deleted, False when archived."""
    from hanout.expenses.models import RecurringExpense

    category = (
        ExpenseCategory.objects.select_for_update().select_related("business").get(pk=category.pk)
    )
    used = (
        Expense.objects.filter(category=category).exists()
        or RecurringExpense.objects.filter(category=category).exists()
    )
    if used or category.builtin:
        category_update(category=category, actor=actor, data={"is_archived": True})
        return False
    audit.record(
        business=category.business,
        actor=actor,
        action="expense_category.delete",
        obj=category,
        changes={"name": [category.name, None]},
    )
    category.delete()
    return True


# --- expenses ----------------------------------------------------------------------------------


def _expense_fields(business: Business, data: dict[str, Any], *, partial: bool) -> dict:
    """The checked fields present in `data` (all required ones when not partial)."""
    errors = _Errors()
    out: dict[str, Any] = {}
    not_found = None
    if "category" in data or not partial:
        try:
            category = check_category(business, data.get("category"))
            if category.is_archived and not partial:
                errors.add("category", _("This category is archived; choose another one."))
            out["category"] = category
        except NotFound as exc:
            not_found = exc
    if "supplier" in data:
        try:
            out["supplier"] = check_supplier(business, data.get("supplier"))
        except NotFound as exc:
            not_found = not_found or exc
    if "amount" in data or not partial:
        out["amount"] = check_amount(data.get("amount"), business.currency, errors)
    if "spent_on" in data or not partial:
        out["spent_on"] = check_date(data.get("spent_on"), business, errors, "spent_on")
    if "comment" in data or not partial:
        out["comment"] = check_text(data.get("comment"), errors, "comment", 200, required=True)
    if "description" in data:
        out["description"] = check_text(data.get("description"), errors, "description", 5000)
    errors.raise_if_any()
    if not_found is not None:
        raise not_found
    return out


def _search_text(expense: Expense) -> str:
    return fold(f"{expense.comment} {expense.description}")[:600]


def _emit(name: str, expense: Expense) -> None:
    events.emit(
        name,
        business=expense.business,
        payload={
            "id": expense.pk,
            "category": expense.category_id,
            "amount": expense.amount,
            "currency": expense.currency,
            "spent_on": expense.spent_on,
        },
    )


def _snapshot(expense: Expense) -> dict:
    snap = audit.snapshot(expense, ["amount", "spent_on", "comment", "description"])
    snap["category"] = str(expense.category_id)
    snap["supplier"] = str(expense.supplier_id) if expense.supplier_id else None
    return snap


@transaction.atomic
def expense_create(
    *,
    business: Business,
    actor,
    data: dict[str, Any],
    attachments: list | None = None,
    recurring=None,
) -> Expense:
    """Record an expense. `data`: category (required), amount (> 0), spent_on, comment
    (required), description, supplier. `attachments`: uploaded files, each checked by
    its bytes; one bad file refuses the whole expense."""
    fields = _expense_fields(business, data, partial=False)
    checked = _check_files(attachments or [], already=0)
    expense = Expense(
        business=business,
        currency=business.currency,
        recorded_by=_user(actor),
        recurring=recurring,
        **fields,
    )
    expense.search_text = _search_text(expense)
    expense.save()
    for upload, info in checked:
        _store(expense, upload, info, actor)
    audit.record(
        business=business,
        actor=actor,
        action="expense.create",
        obj=expense,
        changes={k: [None, v] for k, v in _snapshot(expense).items() if v not in ("", None)},
    )
    _emit("expense.created", expense)
    return expense


@transaction.atomic
def expense_update(*, expense: Expense, actor, data: dict[str, Any]) -> Expense:
    expense = (
        Expense.objects.select_for_update(of=("self",))
        .select_related("business")
        .get(pk=expense.pk)
    )
    fields = _expense_fields(expense.business, data, partial=True)
    before = _snapshot(expense)
    for key, value in fields.items():
        setattr(expense, key, value)
    after = _snapshot(expense)
    changes = audit.diff(before, after)
    if changes:
        if (
            "spent_on" in changes
            and expense.recurring_id
            and Expense.objects.filter(recurring_id=expense.recurring_id, spent_on=expense.spent_on)
            .exclude(pk=expense.pk)
            .exists()
        ):
            # Each recurring expense is made once a day (a database constraint): say so, not a 500.
            message = _("This recurring expense already has an entry on that day.")
            raise Conflict(message, code="recurring_day_taken", fields={"spent_on": [message]})
        expense.search_text = _search_text(expense)
        expense.save()
        audit.record(
            business=expense.business,
            actor=actor,
            action="expense.update",
            obj=expense,
            changes=changes,
        )
        _emit("expense.updated", expense)
    return expense


@transaction.atomic
def expense_delete(*, expense: Expense, actor) -> None:
    expense = Expense.objects.select_related("business").get(pk=expense.pk)
    names = []
    for att in expense.attachments.all():
        names += [att.file.name, att.thumbnail.name]
    audit.record(
        business=expense.business,
        actor=actor,
        action="expense.delete",
        obj=expense,
        changes={k: [v, None] for k, v in _snapshot(expense).items() if v not in ("", None)},
    )
    events.emit("expense.deleted", business=expense.business, payload={"id": expense.pk})
    expense.delete()
    transaction.on_commit(lambda: _delete_files(names))


def _delete_files(names) -> None:
    storage = ExpenseAttachment._meta.get_field("file").storage
    for name in names:
        if name:
            with contextlib.suppress(OSError):
                storage.delete(name)


# --- attachments -------------------------------------------------------------------------------


def _check_files(uploads: list, *, already: int):
    if already + len(uploads) > files.MAX_PER_EXPENSE:
        message = _("At most %(n)d documents per expense.") % {"n": files.MAX_PER_EXPENSE}
        raise ValidationFailed(f"attachments: {message}", fields={"attachments": [message]})
    return [(upload, files.check(upload)) for upload in uploads]


def _store(expense: Expense, upload, info: files.CheckedFile, actor) -> ExpenseAttachment:
    att = ExpenseAttachment(
        business_id=expense.business_id,
        expense=expense,
        content_type=info.content_type,
        original_name=info.original_name,
        size=info.size,
        uploaded_by=_user(actor),
    )
    upload.seek(0)
    att.file.save(f"{att.pk}{info.extension}", upload, save=False)
    if info.thumbnail is not None:
        att.thumbnail.save(f"{att.pk}-thumb.webp", info.thumbnail, save=False)
    att.save()
    return att


@transaction.atomic
def expense_attach(*, expense: Expense, actor, uploads: list) -> list[ExpenseAttachment]:
    """Add documents to an expense (each checked by its bytes; one bad file adds none)."""
    expense = Expense.objects.select_for_update().select_related("business").get(pk=expense.pk)
    if not uploads:
        message = _("Choose a file.")
        raise ValidationFailed(f"attachments: {message}", fields={"attachments": [message]})
    checked = _check_files(uploads, already=expense.attachments.count())
    made = [_store(expense, upload, info, actor) for upload, info in checked]
    audit.record(
        business=expense.business,
        actor=actor,
        action="expense.attach",
        obj=expense,
        changes={"attachments": [None, [a.original_name for a in made]]},
    )
    return made


@transaction.atomic
def expense_detach(*, attachment: ExpenseAttachment, actor) -> None:
    attachment = ExpenseAttachment.objects.select_related("expense__business").get(pk=attachment.pk)
    names = [attachment.file.name, attachment.thumbnail.name]
    audit.record(
        business=attachment.expense.business,
        actor=actor,
        action="expense.detach",
        obj=attachment.expense,
        changes={"attachments": [attachment.original_name, None]},
    )
    attachment.delete()
    transaction.on_commit(lambda: _delete_files(names))
