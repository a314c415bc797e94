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
import uuid
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


def load(business, spec) -> None:
    """Create this part of the demo for `business` once; do nothing if it exists."""
    _load_cards_and_orders(business, spec)
    _load_crm(business, spec)


@transaction.atomic
def _load_cards_and_orders(business, spec) -> None:
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


# --- CRM: loyalty, trust, a year of register tickets -------------------------------------------

# name, phone, months ago the card was made (spread so the growth chart has a shape)
MORE_CUSTOMERS = {
    "EUR": [
        ("Lucas Janssens", "0476 10 20 30", 13),
        ("Emma Claes", "0477 11 22 33", 11),
        ("Noah Willems", "0478 12 23 34", 10),
        ("Louise Maes", "0479 13 24 35", 8),
        ("Arthur Jacobs", "0471 14 25 36", 7),
        ("Olivia Mertens", "0472 15 26 37", 5),
        ("Jules Dupont", "0473 16 27 38", 4),
        ("Alice Lemaire", "0474 17 28 39", 2),
        ("Victor Renard", "0475 18 29 30", 1),
        ("Zoé Martin", "0468 19 20 31", 0),
    ],
    "MAD": [
        ("Youssef Amrani", "0611-102030", 13),
        ("سلمى الإدريسي", "0612-112233", 11),
        ("Omar Berrada", "0613-122334", 10),
        ("خديجة المنصوري", "0614-132435", 8),
        ("Mehdi Alaoui", "0615-142536", 7),
        ("نادية الفاسي", "0616-152637", 5),
        ("Hamza Chraibi", "0617-162738", 4),
        ("إيمان الشرقاوي", "0618-172839", 2),
        ("Amine Benjelloun", "0619-182930", 1),
        ("ليلى التازي", "0620-192031", 0),
    ],
}

# (months ago, day of the month-ish, customer index, [(product index, quantity)], method)
TICKETS = [
    (11, 5, 0, [(0, 2), (1, 1)], "cash"),
    (11, 18, 5, [(2, 3)], "card"),
    (10, 9, 0, [(3, 2)], "cash"),
    (9, 3, 6, [(1, 4)], "card"),
    (8, 14, 0, [(0, 3), (2, 1)], "cash"),
    (8, 22, 7, [(4, 1)], "cash"),
    (7, 7, 2, [(1, 2), (3, 1)], "card"),
    (6, 11, 0, [(2, 2)], "card"),
    (6, 25, 8, [(0, 1)], "cash"),
    (5, 2, 2, [(3, 3)], "cash"),
    (4, 16, 9, [(1, 2), (4, 1)], "card"),
    (4, 20, 0, [(0, 4)], "cash"),
    (3, 8, 2, [(2, 2), (5, 1)], "card"),
    (2, 12, 10, [(1, 1)], "cash"),
    (2, 19, 0, [(3, 2), (0, 2)], "card"),
    (1, 4, 2, [(4, 2)], "cash"),
    (1, 17, 11, [(0, 5), (1, 3)], "card"),
    (1, 24, 0, [(2, 3)], "cash"),
    (0, 6, 12, [(5, 2)], "cash"),
    (0, 4, 2, [(0, 2), (3, 1)], "card"),
    (0, 3, 13, [(1, 1)], "cash"),
]


@transaction.atomic
def _load_crm(business, spec) -> None:
    """Switch loyalty on, add a year of customers and register tickets sold to them
    (points earned through the real services), trust levels, a card, a redemption."""
    from hanout.core.errors import DomainError
    from hanout.customers import services_loyalty as loyalty
    from hanout.customers.models import LoyaltyRule
    from hanout.pos import services as pos
    from hanout.pos.models import Register
    from hanout.pos.pricing import LineInput, price_basket
    from hanout.pos.services import PaymentInput

    if LoyaltyRule.objects.filter(business=business).exists():
        return
    owner = Membership.objects.get(business=business, user__email=spec["owner"].email).user
    euro = business.currency == "EUR"
    loyalty.loyalty_rule_set(
        business=business,
        actor=owner,
        data={
            "enabled": True,
            "spend_step": "2" if euro else "20",
            "points_per_step": 1,
            "point_value": "0.05" if euro else "0.50",
        },
    )
    now = timezone.now()
    people = list(
        Customer.objects.for_business(business).filter(is_active=True).order_by("created_at")
    )
    for name, phone, months in MORE_CUSTOMERS["EUR" if euro else "MAD"]:
        with _at(now - datetime.timedelta(days=30 * months + 3, hours=5)):
            people.append(
                customers.customer_create(
                    business=business, actor=owner, data={"name": name, "phone": phone}
                )
            )
    register = Register.objects.for_business(business).order_by("created_at").first()
    if register is None:
        return
    # A second till of its own, so these sessions never meet the main till's.
    register = pos.register_create(
        business=business,
        actor=owner,
        shop=register.shop,
        name="Comptoir 2" if euro else "الصندوق 2",
    )
    # The most plentiful products, so this history leaves the low-stock list as it was.
    levels = (
        StockLevel.objects.filter(
            business=business,
            location=pos.register_location(register),
            product__is_active=True,
            product__sale_price__gt=0,
        )
        .select_related("product")
        .order_by("-quantity", "product__name")
    )
    location = pos.register_location(register)
    products = [lv.product for lv in levels][:6]

    def room(product) -> D:
        """How much can be sold before the product would join the low-stock list."""
        lv = StockLevel.objects.filter(product=product, location=location).first()
        return lv.quantity - lv.reserved - (lv.reorder_point or 0) - 2 if lv else D(0)

    # The demo's stock ledger holds one month, so the year of tickets is rung up in
    # one session 24 days ago, each with the time it was sold (`sold_at`), which is
    # what the CRM reads.
    rung = now - datetime.timedelta(days=24)
    with _at(rung):
        session = pos.session_open(register=register, actor=owner, opening_float=D("50"))
    for n, (months, day, who, picks, method) in enumerate(TICKETS if products else []):
        sold = now - datetime.timedelta(days=30 * months + (30 - day) % 30 + 3, hours=3)
        customer = people[who % len(people)]
        lines = [LineInput(product=products[i % len(products)], quantity=D(q)) for i, q in picks]
        if any(room(line.product) < line.quantity for line in lines):
            continue
        try:
            with _at(rung + datetime.timedelta(minutes=5 * (n + 1))):
                total = price_basket(business=business, lines=lines, allow_discount=False).total
                payment = (
                    PaymentInput(method="card", amount=total, reference="demo")
                    if method == "card"
                    else PaymentInput(method="cash", tendered=total)
                )
                sale = pos.sale_complete(
                    register=register,
                    actor=owner,
                    client_uuid=uuid.uuid4(),
                    lines=lines,
                    payments=[payment],
                    basket="main",
                    sold_at=sold,
                    customer=customer,
                )
                # Earn now, at the ticket's time (sale.completed would earn the same
                # points once, after commit; the second call finds them and adds none).
                loyalty.loyalty_earn_for_sale(sale=sale)
        except DomainError:
            continue
    with _at(rung + datetime.timedelta(hours=3)):
        session.refresh_from_db()
        pos.session_close(session=session, actor=owner, counted_cash=session.expected_cash_now())
    if products:
        # The newest client's first order, a draft taken on the phone two days ago.
        with _at(now - datetime.timedelta(days=2, hours=4)):
            orders.order_create(
                business=business,
                actor=owner,
                customer=people[-1],
                location=location,
                lines=[OrderLineInput(product=products[0], quantity=D(2))],
                promised_on=(now + datetime.timedelta(days=2)).date(),
            )
    regular, top = people[0], people[2 % len(people)]
    customers.customer_set_trust(customer=regular, actor=owner, level="high", note="Pays on time")
    customers.customer_set_trust(customer=top, actor=owner, level="normal")
    customers.customer_set_trust(
        customer=people[-1], actor=owner, level="low", note="Two phone payments declined"
    )
    customers.customer_update(
        customer=regular, actor=owner, data={"card_code": f"FID-{business.currency}-0001"}
    )
    loyalty.loyalty_adjust(customer=top, actor=owner, points=20, reason="Welcome bonus")
    top.refresh_from_db()
    if top.loyalty_points >= 10:
        loyalty.loyalty_redeem(
            customer=top, points=10, reference="demo", client_uuid=uuid.uuid4(), actor=owner
        )
