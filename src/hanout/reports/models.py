"""Pre-aggregated daily figures, so report pages never replay the whole ledger.

One `DailySales` row per business × shop × local day × channel, and one
`DailyProductSales` row per business × shop × local day × product. They are
derived data: `reports.services.daily_refresh` recomputes a shop's day from the
source rows (tickets, invoices, stock movements) and replaces what was there, so a
refresh is idempotent and a late offline ticket is counted as soon as its day is
refreshed again. `RefreshMark` remembers up to when each business's changes have
been folded in.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hanout.core.models import Business, BusinessOwned
from hanout.core.money import MONEY_DIGITS, MONEY_PLACES

MONEY = {"max_digits": MONEY_DIGITS, "decimal_places": MONEY_PLACES, "default": 0}
QTY = {"max_digits": 16, "decimal_places": 3, "default": 0}


class Channel(models.TextChoices):
    REGISTER = "register", _("Register")
    ORDERS = "orders", _("Orders")


class DailySales(models.Model):
    """A shop's day in one channel. Amounts are tax included unless named `_tax`;
    `revenue` is net of returns and credit notes and never holds cash withdrawals;
    `cost` is the stock's average cost at the moment it left (net of goods put back)."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="+")
    shop = models.ForeignKey("core.Shop", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    channel = models.CharField(max_length=10, choices=Channel.choices)
    tickets = models.PositiveIntegerField(default=0)  # sales or invoices
    returns = models.PositiveIntegerField(default=0)  # returns or credit notes
    revenue = models.DecimalField(**MONEY)
    tax = models.DecimalField(**MONEY)
    cost = models.DecimalField(**MONEY)
    discount = models.DecimalField(**MONEY)
    withdrawals = models.DecimalField(**MONEY)
    cash = models.DecimalField(**MONEY)
    card = models.DecimalField(**MONEY)
    phone = models.DecimalField(**MONEY)
    points = models.DecimalField(**MONEY)  # loyalty points spent as payment
    items = models.DecimalField(**QTY)
    refreshed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["business", "shop", "day", "channel"], name="daily_sales_unique"
            )
        ]
        indexes = [models.Index(fields=["business", "day"], name="daily_sales_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.channel} {self.revenue}"


class DailyProductSales(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="+")
    shop = models.ForeignKey("core.Shop", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    quantity = models.DecimalField(**QTY)
    revenue = models.DecimalField(**MONEY)  # tax included, as the tickets and invoices
    tax = models.DecimalField(**MONEY)
    cost = models.DecimalField(**MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["business", "shop", "day", "product"], name="daily_product_unique"
            )
        ]
        indexes = [models.Index(fields=["business", "day"], name="daily_product_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.product_id} {self.quantity}"


class RefreshMark(models.Model):
    """Source rows created before `until` are folded into the daily tables."""

    business = models.OneToOneField(Business, on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.business_id} until {self.until}"


class StaleDay(models.Model):
    """A shop's day to compute again, whatever its rows' `created_at` says: rows that
    arrive with their own past creation time (a store's sales synced to its hub) are
    invisible to the `RefreshMark` sweep, so whoever writes them marks their days here.
    Not unique on purpose: a mark added while a refresh runs is never lost (the refresh
    deletes only the marks it read)."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="+")
    shop = models.ForeignKey("core.Shop", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["business"], name="staleday_business")]

    def __str__(self) -> str:
        return f"{self.shop_id} {self.day}"


class Frequency(models.TextChoices):
    DAILY = "daily", _("Every day (yesterday)")
    WEEKLY = "weekly", _("Every Monday (last week)")
    MONTHLY = "monthly", _("Every 1st of the month (last month)")


class FileFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel"
    CSV = "csv", "CSV"


class ReportSchedule(BusinessOwned):
    """A report emailed regularly to chosen people, at the shop's local hour: `report` is
    "sales" (grouped `by` one of the sales report's groupings) or a table report of the
    Reports section ("top-products", "profit", "customers", "expenses"), `by` then being
    its variant (see `services_schedules.KINDS`).

    `next_run_at` (UTC) is when the job queue sends it next; `last_period_end` is the
    last day covered by a report sent, so a run is never sent twice for one period.
    """

    name = models.CharField(_("name"), max_length=120)
    report = models.CharField(_("report"), max_length=20, default="sales")
    by = models.CharField(_("group by"), max_length=12, default="day", blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    hour = models.PositiveSmallIntegerField(_("hour"), default=7)
    shop = models.ForeignKey(
        "core.Shop", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    file_format = models.CharField(
        _("file"), max_length=4, choices=FileFormat.choices, default=FileFormat.PDF
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    recipients = models.JSONField(_("recipients"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    next_run_at = models.DateTimeField()
    last_period_end = models.DateField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["is_active", "next_run_at"], name="schedule_due")]
        constraints = [
            models.CheckConstraint(condition=models.Q(hour__lte=23), name="schedule_hour_valid"),
        ]

    def __str__(self) -> str:
        return self.name
