"""Demo data for customers and customer orders (called by hanout.demo.load_demo; idempotent).

Each demo business gets a handful of customers (people and companies, local
phone numbers, one deactivated) and orders in every status — draft, confirmed,
being picked, partly shipped, shipped, delivered (two, so invoices and returns
have something to start from) and cancelled — made through the real services
over the past two weeks, so stock, reservations, movements, the status history
and the audit trail are what real use leaves.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from hanout.accounts.models import Membership
from hanout.catalog.models import Product
from hanout.core.models import Shop
from hanout.customers import services as customers
from hanout.customers.models import Customer
from hanout.inventory.models import StockLevel
from hanout.inventory.services import default_location
from hanout.sales import services_orders as orders
from hanout.sales.services_orders import OrderLineInput

D = Decimal

# name, is_company, phone, email, address, tax id, notes
CUSTOMERS = {
    "Boulangerie Kaching": [
        (
            "Hélène Dubois",
            False,
            "0470 12 34 56",
            "helene.dubois@example.be",
            "Rue du Bailli 12, 1050 Ixelles",
            "",
            "Préfère être livrée le matin.",
        ),
        (
            "Restaurant Le Flagey",
            True,
            "02 640 11 22",
            "commandes@leflagey.example.be",
            "Place Flagey 18, 1050 Ixelles",
            "BE0456789123",
            "Facture mensuelle.",
        ),
        (
            "Marc Peeters",
            False,
            "0485 98 76 54",
            "marc.peeters@example.be",
            "Chaussée de Boondael 301, 1050 Ixelles",
            "",
            "",
        ),
        (
            "Café des Étangs",
            True,
            "02 648 33 44",
            "info@cafe-etangs.example.be",
            "Rue de la Brasserie 2, 1050 Ixelles",
            "BE0789123456",
            "Livraison par l'arrière.",
        ),
        ("Sophie Lambert", False, "0495 11 22 33", "", "Avenue Louise 210, 1050 Ixelles", "", ""),
        (
            "Traiteur Van Damme",
            True,
            "02 511 00 99",
            "traiteur@vandamme.example.be",
            "Rue Haute 150, 1000 Bruxelles",
            "BE0321654987",
            "Client inactif depuis 2025.",
        ),
    ],
    "Alma7al": [
        (
            "فاطمة الزهراء بناني",
            False,
            "0612-345678",
            "fz.bennani@example.ma",
            "زنقة المعاريف 14، الدار البيضاء",
            "",
            "تفضل التوصيل بعد العصر.",
        ),
        (
            "مقهى الأطلس",
            True,
            "0522-123456",
            "contact@cafe-atlas.example.ma",
            "شارع الزرقطوني 88، الدار البيضاء",
            "ICE001234567000089",
            "",
        ),
        (
            "Karim Tazi",
            False,
            "0661 23 45 67",
            "karim.tazi@example.ma",
            "Rue Normandie 5, Maârif, Casablanca",
            "",
            "",
        ),
        (
            "Épicerie Al Baraka SARL",
            True,
            "0522 98 76 54",
            "achats@albaraka.example.ma",
            "Bd d'Anfa 220, Casablanca",
            "ICE002345678000012",
            "Paiement à 30 jours.",
        ),
        ("يوسف العلوي", False, "0677-889900", "", "حي الأمل 3، الدار البيضاء", "", ""),
        (
            "Hôtel Zerktouni",
            True,
            "0522 44 55 66",
            "achats@hotel-zerktouni.example.ma",
            "Bd Zerktouni 77, Casablanca",
            "ICE003456789000034",
            "Ancien client.",
        ),
    ],
}

# (days ago, customer index from the end, [(product index, quantity)], steps, promised in days)
# Steps run in order; "ship:N" ships N of the first line only (a partial shipment).
ORDERS = [
    (13, 1, [(0, 2), (1, 1)], ["confirm", "pick", "ship", "deliver"], 3),
    (11, 2, [(2, 3)], ["confirm", "ship", "deliver"], 2),
    (9, 3, [(1, 2), (3, 1)], ["confirm", "cancel"], 5),
    (7, 1, [(0, 1), (2, 2)], ["confirm", "pick", "ship"], 2),
    (5, 2, [(3, 4), (4, 1)], ["confirm", "ship:2"], 4),
    (3, 3, [(4, 2)], ["confirm", "pick"], 3),
    (2, 1, [(1, 1), (5, 2)], ["confirm"], 6),
    (1, 2, [(0, 1)], [], 7),
]


def _at(moment):
    from hanout.demo_catalog import _at as pinned

    return pinned(moment)


def _products(business, location, count: int) -> list[Product]:
    """Active products with the most free stock at the location, cheapest first."""
    rows = (
        StockLevel.objects.filter(business=business, location=location, quantity__gte=12)
        .select_related("product")
        .filter(product__is_active=True, product__sale_price__gt=0)
        .order_by("product__sale_price", "product__name")
    )
    seen, out = set(), []
    for level in rows:
        if level.quantity - level.reserved >= 12 and level.product_id not in seen:
            seen.add(level.product_id)
            out.append(level.product)
        if len(out) == count:
            break
    return out


@transaction.atomic
def load(business, spec) -> None:
    """Create this part of the demo for `business` once; do nothing if it exists."""
    if Customer.objects.for_business(business).exists():
        return
    owner = Membership.objects.get(business=business, user__email=spec["owner"].email).user
    rows = CUSTOMERS.get(business.name, CUSTOMERS["Boulangerie Kaching"])
    shop = Shop.objects.for_business(business).order_by("created_at").first()
    location = default_location(shop=shop)
    start = timezone.now() - datetime.timedelta(days=20)
    made = []
    for i, (name, company, phone, email, address, tax_id, notes) in enumerate(rows):
        with _at(start + datetime.timedelta(hours=i)):
            made.append(
                customers.customer_create(
                    business=business,
                    actor=owner,
                    data={
                        "name": name,
                        "is_company": company,
                        "phone": phone,
                        "email": email,
                        "address": address,
                        "tax_id": tax_id,
                        "notes": notes,
                    },
                )
            )
    # The last one stopped buying from us: shown as inactive (and not offered on new orders).
    retired, buyers = made[-1], made[:-1]
    products = _products(business, location, 6)
    if len(products) < 2:
        return
    now = timezone.now()
    for days, who, items, steps, promised in ORDERS:
        moment = now - datetime.timedelta(days=days, hours=2)
        customer = buyers[-who]
        with _at(moment):
            order = orders.order_create(
                business=business,
                actor=owner,
                customer=customer,
                location=location,
                lines=[
                    OrderLineInput(product=products[p % len(products)], quantity=D(q))
                    for p, q in items
                ],
                promised_on=(moment + datetime.timedelta(days=promised)).date(),
            )
        for n, step in enumerate(steps, start=1):
            with _at(moment + datetime.timedelta(hours=3 * n)):
                if step.startswith("ship"):
                    _, _sep, part = step.partition(":")
                    lines = None
                    if part:
                        first = order.lines.order_by("position").first()
                        lines = {first.pk: D(part)}
                    orders.order_ship(
                        order=order,
                        actor=owner,
                        lines=lines,
                        carrier="bpost" if business.currency == "EUR" else "Amana",
                        tracking=f"DEMO{order.number:04d}",
                    )
                elif step == "cancel":
                    orders.order_cancel(order=order, actor=owner, reason="Demo")
                else:
                    getattr(orders, f"order_{step}")(order=order, actor=owner)
    with _at(now - datetime.timedelta(hours=1)):
        customers.customer_set_active(customer=retired, actor=owner, active=False)
