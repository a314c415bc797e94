"""Reads about expenses, shared by the pages, the API and the exports.

Every query is scoped to one business; another business's id is "does not
exist" (a 404 upstairs). Totals are summed by the database, grouped by year,
month or category.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear

from hanout.core.models import Business
from hanout.expenses.models import Expense, ExpenseAttachment, ExpenseCategory, RecurringExpense
from hanout.expenses.services import ensure_builtin_categories, fold

GROUPS = ("month", "year", "category")


def category_list(*, business: Business, include_archived: bool = True) -> list[ExpenseCategory]:
    """The business's categories (built-in ones first, created on first read), with `use_count`."""
    ensure_builtin_categories(business)
    qs = ExpenseCategory.objects.for_business(business)
    if not include_archived:
        qs = qs.filter(is_archived=False)
    rows = list(qs)
    counts = dict(
        Expense.objects.for_business(business)
        .values_list("category_id")
        .annotate(n=Count("id"))
        .values_list("category_id", "n")
    )
    for row in rows:
        row.use_count = counts.get(row.pk, 0)
    rows.sort(key=lambda c: (c.builtin == "", fold(c.label)))
    return rows


def category_queryset(*, business: Business, archived: bool | None = None):
    """The business's categories as a queryset with `use_count` (for the paginated API)."""
    ensure_builtin_categories(business)
    used = (
        Expense.objects.filter(category=OuterRef("pk"))
        .order_by()
        .values("category")
        .annotate(n=Count("id"))
        .values("n")
    )
    qs = ExpenseCategory.objects.for_business(business).annotate(
        use_count=Coalesce(Subquery(used, output_field=IntegerField()), 0)
    )
    if archived is not None:
        qs = qs.filter(is_archived=archived)
    return qs


def category_get(*, business: Business, pk) -> ExpenseCategory:
    try:
        return ExpenseCategory.objects.for_business(business).get(pk=pk)
    except (ValueError, TypeError, ValidationError) as exc:
        raise ExpenseCategory.DoesNotExist from exc


def expense_list(
    *,
    business: Business,
    category=None,
    supplier=None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    search: str | None = None,
    amount_min: Decimal | None = None,
    amount_max: Decimal | None = None,
    recurring=None,
) -> QuerySet[Expense]:
    """The business's expenses, newest first, with `attachment_count`; filters are ANDed.
    `search` finds a part of the comment or description without regard to case or accents."""
    qs = (
        Expense.objects.for_business(business)
        .select_related("category", "supplier", "recorded_by")
        .annotate(attachment_count=Count("attachments", distinct=True))
    )
    if category:
        qs = qs.filter(category_id=getattr(category, "pk", category))
    if supplier:
        qs = qs.filter(supplier_id=getattr(supplier, "pk", supplier))
    if recurring:
        qs = qs.filter(recurring_id=getattr(recurring, "pk", recurring))
    if date_from:
        qs = qs.filter(spent_on__gte=date_from)
    if date_to:
        qs = qs.filter(spent_on__lte=date_to)
    if amount_min is not None:
        qs = qs.filter(amount__gte=amount_min)
    if amount_max is not None:
        qs = qs.filter(amount__lte=amount_max)
    search = (search or "").strip()
    if search:
        qs = qs.filter(Q(search_text__contains=fold(search)))
    return qs.order_by("-spent_on", "-created_at", "-id")


def expense_get(*, business: Business, pk) -> Expense:
    """One expense of this business; another business's id raises Expense.DoesNotExist."""
    try:
        return expense_list(business=business).get(pk=pk)
    except (ValueError, TypeError, ValidationError) as exc:
        raise Expense.DoesNotExist from exc


def expense_attachments(*, expense: Expense) -> list[ExpenseAttachment]:
    return list(expense.attachments.all())


def attachment_get(*, business: Business, expense_pk, pk) -> ExpenseAttachment:
    try:
        return ExpenseAttachment.objects.select_related("expense").get(
            business=business, expense_id=expense_pk, pk=pk
        )
    except (ValueError, TypeError, ValidationError) as exc:
        raise ExpenseAttachment.DoesNotExist from exc


def totals(qs: QuerySet[Expense]) -> dict:
    """{"total": Decimal, "count": int} of a (filtered) list."""
    row = qs.order_by().aggregate(total=Sum("amount"), count=Count("id"))
    return {"total": row["total"] or Decimal(0), "count": row["count"] or 0}


def summary(*, qs: QuerySet[Expense], group: str) -> list[dict]:
    """Totals of a (filtered) list grouped by `month`, `year` or `category`.

    Rows: {"key": "2026-03" | "2026" | category id, "label", "total", "count"}, in
    calendar order (categories: largest total first)."""
    base = qs.order_by()
    if group == "year":
        rows = (
            base.annotate(y=ExtractYear("spent_on"))
            .values("y")
            .annotate(total=Sum("amount"), count=Count("id"))
            .order_by("y")
        )
        return [
            {"key": str(r["y"]), "label": str(r["y"]), "total": r["total"], "count": r["count"]}
            for r in rows
        ]
    if group == "month":
        rows = (
            base.annotate(y=ExtractYear("spent_on"), m=ExtractMonth("spent_on"))
            .values("y", "m")
            .annotate(total=Sum("amount"), count=Count("id"))
            .order_by("y", "m")
        )
        return [
            {
                "key": f"{r['y']:04d}-{r['m']:02d}",
                "label": f"{r['y']:04d}-{r['m']:02d}",
                "total": r["total"],
                "count": r["count"],
            }
            for r in rows
        ]
    if group == "category":
        rows = (
            base.values("category_id")
            .annotate(total=Sum("amount"), count=Count("id"))
            .order_by("-total", "category_id")
        )
        rows = list(rows)
        categories = {
            c.pk: c for c in ExpenseCategory.objects.filter(pk__in=[r["category_id"] for r in rows])
        }
        return [
            {
                "key": str(r["category_id"]),
                "label": categories[r["category_id"]].label,
                "total": r["total"],
                "count": r["count"],
            }
            for r in rows
        ]
    raise ValueError(group)


def months_of_year(rows: list[dict], year: int) -> list[dict]:
    """Twelve month rows of `year` (months without expenses at zero)."""
    by_key = {r["key"]: r for r in rows}
    out = []
    for month in range(1, 13):
        key = f"{year:04d}-{month:02d}"
        row = by_key.get(key, {"key": key, "label": key, "total": Decimal(0), "count": 0})
        out.append(row)
    return out


def recurring_list(*, business: Business, active: bool | None = None):
    qs = RecurringExpense.objects.for_business(business).select_related("category", "supplier")
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("-is_active", "next_on", "comment", "id")


def recurring_get(*, business: Business, pk) -> RecurringExpense:
    try:
        return recurring_list(business=business).get(pk=pk)
    except (ValueError, TypeError, ValidationError) as exc:
        raise RecurringExpense.DoesNotExist from exc
