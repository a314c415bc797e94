"""Demo data for expenses (called by hanout.demo.load_demo; idempotent).

For each demo business, through the real services, dated relative to today:
four months of rent (a monthly recurring expense the job has recorded), wages,
electricity and water, a few personal needs, payments to a supplier, one
expense in the business's own "Loyer / Rent" category with a photo of its
receipt, so the list, the charts (by month, by category) and the recurring
page all have something to show in both businesses.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from hanout.accounts.models import Membership
from hanout.core.permissions import Role
from hanout.expenses import selectors, services, services_recurring
from hanout.expenses.models import BuiltinCategory, Expense, ExpenseCategory
from hanout.purchasing.selectors_bills import local_today
from hanout.suppliers.models import Supplier

# Amounts below are in euros; other currencies are scaled to look plausible.
SCALE = {"MAD": Decimal(10), "DZD": Decimal(140), "TND": Decimal(3)}

TEXTS = {
    "fr": {
        "rent": "Loyer du magasin",
        "own": "Entretien",
        "wages": "Salaire — vendeuse",
        "power": "Électricité",
        "water": "Eau",
        "personal": "Courses de la maison",
        "supplier": "Acompte fournisseur",
        "cleaning": "Produits de nettoyage",
        "receipt": "Réparation de la vitrine frigo",
    },
    "ar": {
        "rent": "كراء المحل",
        "own": "صيانة",
        "wages": "أجرة العامل",
        "power": "الكهرباء",
        "water": "الماء",
        "personal": "مصاريف البيت",
        "supplier": "دفعة للمورد",
        "cleaning": "مواد التنظيف",
        "receipt": "إصلاح الثلاجة",
    },
}


def _receipt_png() -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (240, 320), "white")
    draw = ImageDraw.Draw(img)
    for y in range(30, 300, 24):
        draw.line((20, y, 220, y), fill=(180, 180, 180), width=2)
    draw.rectangle((20, 270, 220, 300), outline="black", width=3)
    out = io.BytesIO()
    img.save(out, "PNG")
    return SimpleUploadedFile("receipt.png", out.getvalue(), content_type="image/png")


def demo_expenses(business) -> None:
    """Create the demo expenses of `business` once; do nothing if it has any."""
    if Expense.objects.filter(business=business).exists():
        return
    owner = (
        Membership.objects.filter(business=business, role=Role.OWNER)
        .select_related("user")
        .order_by("created_at")
        .first()
    )
    if owner is None:
        return
    actor = owner.user
    texts = TEXTS["ar" if business.default_language == "ar" else "fr"]
    scale = SCALE.get(business.currency, Decimal(1))
    today = local_today(business)
    selectors.category_list(business=business)
    cat = {c.builtin: c for c in ExpenseCategory.objects.for_business(business).exclude(builtin="")}
    own = ExpenseCategory.objects.for_business(business).filter(name=texts["own"]).first()
    if own is None:
        own = services.category_create(business=business, actor=actor, name=texts["own"])
    supplier = Supplier.objects.for_business(business).order_by("name", "id").first()

    def month_start(back: int) -> datetime.date:
        index = today.year * 12 + today.month - 1 - back
        return datetime.date(index // 12, index % 12 + 1, 1)

    # Rent: a monthly template from four months ago, recorded by the job.
    rent = services_recurring.recurring_create(
        business=business,
        actor=actor,
        data={
            "category": cat[BuiltinCategory.STORE_CHARGES].pk,
            "amount": Decimal(950) * scale,
            "comment": texts["rent"],
            "every": 1,
            "unit": "months",
            "starts_on": month_start(4),
        },
    )
    services_recurring.recurring_record_due(template=rent, today=today)

    def add(category, amount, day, comment, **extra):
        if day > today:
            return
        files = extra.pop("attachments", None)
        services.expense_create(
            business=business,
            actor=actor,
            data={
                "category": category.pk,
                "amount": (Decimal(amount) * scale).quantize(Decimal("0.01")),
                "spent_on": day,
                "comment": comment,
                **extra,
            },
            attachments=files,
        )

    for back in range(4, -1, -1):
        first = month_start(back)
        add(
            cat[BuiltinCategory.SALARIES], 1450, first + datetime.timedelta(days=27), texts["wages"]
        )
        add(
            cat[BuiltinCategory.STORE_CHARGES],
            118 + back * 9,
            first + datetime.timedelta(days=9),
            texts["power"],
        )
        add(
            cat[BuiltinCategory.STORE_CHARGES],
            32 + back * 2,
            first + datetime.timedelta(days=14),
            texts["water"],
        )
        add(
            cat[BuiltinCategory.PERSONAL],
            60 + back * 15,
            first + datetime.timedelta(days=5),
            texts["personal"],
        )
        add(own, 25 + back * 4, first + datetime.timedelta(days=19), texts["cleaning"])
        if supplier is not None and back % 2 == 0:
            add(
                cat[BuiltinCategory.SUPPLIER_PAYMENTS],
                300 + back * 40,
                first + datetime.timedelta(days=12),
                texts["supplier"],
                supplier=supplier.pk,
            )
    add(
        cat[BuiltinCategory.OTHER],
        185,
        today - datetime.timedelta(days=3),
        texts["receipt"],
        description="",
        attachments=[_receipt_png()],
    )


def load(business, spec) -> None:
    """The shape `hanout.demo.load_demo` calls each part with."""
    demo_expenses(business)
