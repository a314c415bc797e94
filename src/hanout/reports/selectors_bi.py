"""The figures for BI tools, as rows: the same columns and numbers as the SQL views of
docs/bi.md (bi_daily_sales, bi_product_sales, bi_expenses, bi_stock), read through the
ORM and scoped to one business, for the export API (`reports/api_export.py`).

Each dataset is a `Dataset`: its columns, and `rows()` giving a queryset of dicts in a
stable order (so pages never skip or repeat a row) and `row()` turning one dict into the
exported values. Reads go to the reports' database (`reports.db.read_alias()`: the read
replica when there is one). Amounts are rounded to the business's currency; `net` is
revenue − tax and `margin` revenue − tax − cost, as in the views.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from hanout.core.models import Business, Shop
from hanout.core.money import quantize
from hanout.reports.db import read_alias

MAX_DAYS = 3660  # ten years of days in one export


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    columns: tuple[str, ...]
    money: frozenset[str]
    dated: bool  # filtered by start/end (the stock is a snapshot of now)
    per_shop: bool  # filtered by shop (expenses belong to the business)
    query: Callable[..., QuerySet]

    def rows(
        self,
        *,
        business: Business,
        start: date | None = None,
        end: date | None = None,
        shop: Shop | None = None,
    ) -> QuerySet:
        """The dicts of `business` (of [start, end], of `shop`), in a stable order."""
        return self.query(business=business, start=start, end=end, shop=shop)

    def row(self, values: dict, currency: str) -> dict:
        """One exported row: the columns in order, amounts at the currency's precision."""
        out = {}
        for column in self.columns:
            derive = DERIVED.get(column)
            value = derive(values) if derive else values.get(column)
            if column in self.money and value is not None:
                value = quantize(value, currency)
            out[column] = value
        return out


# Computed columns, as the views compute them.
DERIVED: dict[str, Callable[[dict], Decimal]] = {
    "net": lambda v: v["revenue"] - v["tax"],
    "margin": lambda v: v["revenue"] - v["tax"] - v["cost"],
    "value": lambda v: v["quantity"] * v["average_cost"],
}


def _daily_sales(*, business, start, end, shop) -> QuerySet:
    from hanout.reports.models import DailySales

    qs = DailySales.objects.using(read_alias()).filter(business=business)
    if start:
        qs = qs.filter(day__gte=start)
    if end:
        qs = qs.filter(day__lte=end)
    if shop is not None:
        qs = qs.filter(shop=shop)
    return qs.order_by("day", "shop__name", "shop_id", "channel").values(
        "shop_id",
        "day",
        "channel",
        "tickets",
        "returns",
        "revenue",
        "tax",
        "cost",
        "discount",
        "withdrawals",
        "cash",
        "card",
        "phone",
        "points",
        "items",
        shop_name=F("shop__name"),
    )


def _product_sales(*, business, start, end, shop) -> QuerySet:
    from hanout.reports.models import DailyProductSales

    qs = DailyProductSales.objects.using(read_alias()).filter(business=business)
    if start:
        qs = qs.filter(day__gte=start)
    if end:
        qs = qs.filter(day__lte=end)
    if shop is not None:
        qs = qs.filter(shop=shop)
    return qs.order_by("day", "shop__name", "shop_id", "product__name", "product_id").values(
        "shop_id",
        "day",
        "product_id",
        "quantity",
        "revenue",
        "tax",
        "cost",
        shop_name=F("shop__name"),
        sku=F("product__sku"),
        product_name=F("product__name"),
        category_id=F("product__category_id"),
        category_name=F("product__category__name"),
    )


def _expenses(*, business, start, end, shop) -> QuerySet:
    from hanout.expenses.models import Expense

    qs = Expense.objects.using(read_alias()).filter(business=business)
    if start:
        qs = qs.filter(spent_on__gte=start)
    if end:
        qs = qs.filter(spent_on__lte=end)
    return qs.order_by("spent_on", "id").values(
        "category_id",
        "amount",
        "comment",
        "supplier_id",
        expense_id=F("id"),
        day=F("spent_on"),
        category_name=F("category__name"),
        supplier_name=F("supplier__name"),
    )


def _stock(*, business, start, end, shop) -> QuerySet:
    from hanout.inventory.models import StockLevel

    qs = StockLevel.objects.using(read_alias()).filter(business=business)
    if shop is not None:
        qs = qs.filter(location__shop=shop)
    return qs.order_by("location__name", "location_id", "product__name", "product_id").values(
        "product_id",
        "location_id",
        "quantity",
        "reserved",
        sku=F("product__sku"),
        product_name=F("product__name"),
        category_id=F("product__category_id"),
        category_name=F("product__category__name"),
        location_name=F("location__name"),
        shop_id=F("location__shop_id"),
        shop_name=F("location__shop__name"),
        average_cost=F("product__cost"),
    )


SALES_MONEY = frozenset(
    {"revenue", "tax", "net", "cost", "margin", "discount", "withdrawals", "cash", "card"}
    | {"phone", "points"}
)

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            name="daily-sales",
            title=_("Sales by shop, day and channel"),
            columns=(
                "shop_id",
                "shop_name",
                "day",
                "channel",
                "tickets",
                "returns",
                "revenue",
                "tax",
                "net",
                "cost",
                "margin",
                "discount",
                "withdrawals",
                "cash",
                "card",
                "phone",
                "points",
                "items",
            ),
            money=SALES_MONEY,
            dated=True,
            per_shop=True,
            query=_daily_sales,
        ),
        Dataset(
            name="product-sales",
            title=_("Sales by shop, day and product"),
            columns=(
                "shop_id",
                "shop_name",
                "day",
                "product_id",
                "sku",
                "product_name",
                "category_id",
                "category_name",
                "quantity",
                "revenue",
                "tax",
                "net",
                "cost",
                "margin",
            ),
            money=SALES_MONEY,
            dated=True,
            per_shop=True,
            query=_product_sales,
        ),
        Dataset(
            name="expenses",
            title=_("Expenses"),
            columns=(
                "expense_id",
                "day",
                "category_id",
                "category_name",
                "amount",
                "comment",
                "supplier_id",
                "supplier_name",
            ),
            money=frozenset({"amount"}),
            dated=True,
            per_shop=False,
            query=_expenses,
        ),
        Dataset(
            name="stock",
            title=_("Stock on hand"),
            columns=(
                "product_id",
                "sku",
                "product_name",
                "category_id",
                "category_name",
                "location_id",
                "location_name",
                "shop_id",
                "shop_name",
                "quantity",
                "reserved",
                "average_cost",
                "value",
            ),
            money=frozenset({"average_cost", "value"}),
            dated=False,
            per_shop=True,
            query=_stock,
        ),
    )
}
