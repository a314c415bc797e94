"""Demo data: two businesses that show tenancy and right-to-left at a glance.

Idempotent: running it again changes nothing. Built through the services, so
the demo has the same audit trail as real use. Later issues add their parts
(catalog, stock, register …) to `load_demo`.

The catalog part (products, categories, tags, pictures, suppliers and their
catalogs, locations, a month of stock history, an open stock count) lives in
`hanout.demo_catalog`; it is loaded once per business, the first time that
business has no products.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hanout.accounts import services as accounts
from hanout.accounts.models import Membership, User
from hanout.core.models import Business
from hanout.core.permissions import Role

DEMO_PASSWORD = "hanout-demo"
DEMO_PIN = "1234"


@dataclass(frozen=True)
class DemoPerson:
    name: str
    email: str
    role: str
    code: str
    title: str


KACHING = {
    "store": accounts.StoreDetails(
        name="Boulangerie Kaching",
        currency="EUR",
        country="BE",
        time_zone="Europe/Brussels",
        shop_name="Kaching — Place Flagey",
        address="Place Flagey 1, 1050 Ixelles",
        language="fr",
    ),
    "register": "Caisse 1",
    "hours": [
        {"weekday": d, "opens_at": time(6, 0), "closes_at": time(18, 0), "is_closed": False}
        for d in range(7)
    ],
    "owner": DemoPerson("ADMIN", "admin@kaching.example", Role.OWNER, "1", "Gérant"),
    # (email, module, level, reason): pending permission requests, for the staff pages and the API.
    "requests": [("khadija@kaching.example", "stock", "read", "Pour vérifier le stock de farine.")],
    "staff": [
        DemoPerson("AYMAN", "ayman@kaching.example", Role.CASHIER, "2", "Caissier"),
        DemoPerson("CLOTHIDE", "clothide@kaching.example", Role.CASHIER, "10", "Caissière"),
        DemoPerson("Khadija", "khadija@kaching.example", Role.CASHIER, "14", "Caissière"),
        DemoPerson("AWA", "awa@kaching.example", Role.CASHIER, "27", "Caissière"),
    ],
}

ALMA7AL = {
    "store": accounts.StoreDetails(
        name="Alma7al",
        currency="MAD",
        country="MA",
        time_zone="Africa/Casablanca",
        shop_name="المحل — المعاريف",
        address="Boulevard Zerktouni 120, Maârif, Casablanca",
        language="ar",
    ),
    "register": "الصندوق 1",
    "hours": [
        {"weekday": d, "opens_at": time(9, 0), "closes_at": time(21, 0), "is_closed": False}
        for d in range(7)
    ],
    "owner": DemoPerson("Youssef El Amrani", "admin@alma7al.example", Role.OWNER, "1", "مسير"),
    "requests": [("hamid@alma7al.example", "purchasing", "full", "لإعداد طلبيات الموردين.")],
    "staff": [
        DemoPerson("Salma Benali", "salma@alma7al.example", Role.MANAGER, "2", "مديرة المتجر"),
        DemoPerson("Hamid Ait Lahcen", "hamid@alma7al.example", Role.STAFF, "3", "مخزني"),
        DemoPerson("Noura Idrissi", "noura@alma7al.example", Role.CASHIER, "4", "أمينة الصندوق"),
    ],
}

DEMO_BUSINESSES = [KACHING, ALMA7AL]


def _user(person: DemoPerson, language: str) -> User:
    user = User.objects.filter(email=person.email).first()
    if user is None:
        user = User.objects.create_user(
            email=person.email, password=DEMO_PASSWORD, full_name=person.name, language=language
        )
        EmailAddress.objects.create(user=user, email=person.email, primary=True, verified=True)
    return user


@transaction.atomic
def _load_business(spec) -> tuple[Business, bool]:
    store: accounts.StoreDetails = spec["store"]
    business = Business.objects.filter(name=store.name).first()
    if business is not None:
        return business, False
    owner = _user(spec["owner"], store.language)
    owner_membership = accounts.business_register(store=store, owner=owner)
    business = owner_membership.business
    accounts.employee_set_pin(
        actor_membership=owner_membership, membership=owner_membership, pin=DEMO_PIN
    )
    accounts.employee_update(
        actor_membership=owner_membership,
        membership=owner_membership,
        data={"job_title": spec["owner"].title, "employee_code": spec["owner"].code},
    )
    from hanout.core.models import Shop
    from hanout.core.services import opening_hours_set

    shop = Shop.objects.for_business(business).get()
    opening_hours_set(shop=shop, actor=owner, hours=spec["hours"])
    for person in spec["staff"]:
        _user(person, store.language)
        accounts.employee_create(
            actor_membership=owner_membership,
            email=person.email,
            full_name=person.name,
            role=person.role,
            job_title=person.title,
            employee_code=person.code,
            pin=DEMO_PIN,
            send_invitation=False,
        )
    for email, module, level, reason in spec.get("requests", []):
        member = Membership.objects.get(business=business, user__email=email)
        accounts.permission_request_create(
            membership=member, module=module, level=level, reason=reason
        )
    return business, True


@transaction.atomic
def _load_registers(business: Business, spec) -> None:
    """One register in the demo shop, and yesterday's closed session on it.

    Yesterday's sales (cash, card, a phone payment, a cash withdrawal and a
    return) give the sales history, the Z report and the day report something
    to show on first start. Today starts with no open session: the cashier
    opens the till with a float.
    """
    import datetime
    import uuid
    from decimal import Decimal

    from hanout.catalog.models import Product
    from hanout.core.models import Shop
    from hanout.demo_catalog import _at
    from hanout.pos import services as pos
    from hanout.pos import services_payments as pay
    from hanout.pos.models import Register
    from hanout.pos.pricing import LineInput, price_basket
    from hanout.pos.services import PaymentInput

    if Register.objects.for_business(business).exists():
        return
    owner = Membership.objects.get(business=business, user__email=spec["owner"].email).user
    shop = Shop.objects.for_business(business).order_by("created_at").first()
    register = pos.register_create(business=business, actor=owner, shop=shop, name=spec["register"])
    # A paired counter computer, so the list of devices has one (its token is not kept:
    # a real one is paired from /pos/ or the desktop app).
    pos.device_pair(register=register, actor=owner, label=_("Counter computer"))
    cashiers = [
        Membership.objects.get(business=business, user__email=p.email).user
        for p in spec["staff"]
        if p.role == Role.CASHIER
    ][:2] or [owner]
    products = list(
        Product.objects.for_business(business)
        .filter(is_active=True, sale_price__gt=0)
        .order_by("sale_price", "name")[:6]
    )
    if not products:
        return
    from hanout import demo_sales_history

    demo_sales_history.load(
        business, register=register, owner=owner, cashiers=cashiers, products=products, shop=shop
    )
    day = (timezone.now().astimezone(shop.tz) - datetime.timedelta(days=1)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    opens = min((h["opens_at"] for h in spec["hours"] if not h["is_closed"]), default=None)
    first = day.replace(hour=opens.hour if opens else 9)

    def at(minutes: int):
        return _at(first + datetime.timedelta(minutes=minutes))

    with at(0):
        session = pos.session_open(register=register, actor=owner, opening_float=Decimal("100"))
    baskets = [
        ([(0, 2), (1, 1)], "cash", None),
        ([(2, 1)], "card", None),
        ([(3, 1), (0, 1)], "cash", Decimal("20")),  # a cash withdrawal on the way
        ([(4, 2)], "phone", None),
        ([(5, 1), (1, 2)], "cash", None),
    ]
    sales = []
    for n, (picks, method, withdrawal) in enumerate(baskets):
        with at(30 + 47 * n):
            cashier = cashiers[n % len(cashiers)]
            lines = [LineInput(product=products[i % len(products)], quantity=q) for i, q in picks]
            if withdrawal:
                lines.append(LineInput(kind="withdrawal", amount=withdrawal))
            sale_uuid = uuid.uuid4()
            total = price_basket(business=business, lines=lines, allow_discount=False).total
            if method == "phone":
                link = pay.payment_link_create(
                    register=register,
                    actor=cashier,
                    amount=total,
                    sale_client_uuid=sale_uuid,
                    lines=[
                        {
                            "name": products[i % len(products)].name,
                            "quantity": str(q),
                            "total": str(products[i % len(products)].sale_price * q),
                        }
                        for i, q in picks
                    ],
                )
                link = pay.payment_link_confirm(link=link, provider_reference=f"demo-{n}")
                payments = [PaymentInput(method="phone", amount=total, payment_link=link)]
            elif method == "card":
                payments = [PaymentInput(method="card", amount=total, reference=f"demo-{n}")]
            else:
                payments = [PaymentInput(method="cash", tendered=Decimal("50"))]
            sales.append(
                pos.sale_complete(
                    register=register,
                    actor=cashier,
                    client_uuid=sale_uuid,
                    lines=lines,
                    payments=payments,
                    basket="main",
                )
            )
    with at(300):
        pos.session_cash_movement(
            session=session,
            actor=owner,
            kind="paid_out",
            amount=Decimal("5"),
            reason=str(_("Window cleaner")),
        )
    with at(320):
        first_sale = sales[0]
        line = first_sale.lines.order_by("position").first()
        pos.sale_return(
            sale=first_sale,
            actor=owner,
            client_uuid=uuid.uuid4(),
            lines=[(line, Decimal("1"))],
            refund_method="cash",
            reason=str(_("Damaged")),
        )
    with at(600):
        session.refresh_from_db()
        pos.session_close(
            session=session,
            actor=owner,
            counted_cash=session.expected_cash_now() - Decimal("0.50"),
            note=str(_("Fifty cents short.")),
        )


def load_demo(stdout=None) -> list[Business]:
    """Create the demo businesses that do not exist yet; return all of them.

    Each is created in its own language, so the job titles and work history
    written by the services read naturally to its people.
    """
    from hanout import (
        demo_bills,
        demo_catalog,
        demo_customers,
        demo_expenses,
        demo_invoices,
        demo_purchasing,
        demo_returns,
    )

    out = []
    for spec in DEMO_BUSINESSES:
        if stdout is not None:
            stdout.write(f"loading the demo business {spec['store'].name}...\n")
            stdout.flush()
        with translation.override(spec["store"].language):
            business, created = _load_business(spec)
            catalog_created = demo_catalog.load_catalog(
                business, demo_catalog.CATALOGS[business.name]
            )
            _load_registers(business, spec)
            # The paper trail, in the order each part needs the one before.
            for part in (
                demo_customers,
                demo_purchasing,
                demo_bills,
                demo_invoices,
                demo_returns,
                demo_expenses,
            ):
                part.load(business, spec)
            from hanout.webhooks import demo as demo_webhooks

            demo_webhooks.load(business, spec)
            from hanout.referrals import demo as demo_referrals

            demo_referrals.load(business, spec)
            from hanout.chat import demo as demo_chat

            demo_chat.load(business, spec)
            from hanout.marketplace import demo as demo_marketplace

            demo_marketplace.load(business, spec)
            from hanout.sync import demo as demo_sync

            demo_sync.load(business, spec)
            from hanout.reports.services import daily_rebuild

            daily_rebuild(business=business)  # the dashboard opens on a year of figures
            _load_report_schedule(business, spec)
        out.append(business)
        if stdout is not None:
            stdout.write(f"{'created' if created else 'kept'} demo business {business.name}\n")
            if catalog_created:
                stdout.write(f"created the catalog and stock of {business.name}\n")
    return out


def demo_logins() -> list[tuple[str, str, str]]:
    """(business, email, role) of every demo person, for the start-up banner."""
    from hanout.marketplace.demo import OPERATOR_EMAIL, PARTNERS

    rows = []
    for spec in DEMO_BUSINESSES:
        for p in [spec["owner"], *spec["staff"]]:
            rows.append((spec["store"].name, p.email, f"{p.role} #{p.code}"))
    # The marketplace's neighbours (each a business of its own) and its administrator.
    for partner in PARTNERS.values():
        rows.append((partner["store"]["name"], partner["owner"][0], "owner"))
    rows.append(("(platform)", OPERATOR_EMAIL, "marketplace admin"))
    return rows


def demo_loaded() -> bool:
    return Membership.objects.filter(user__email=KACHING["owner"].email).exists()


def _load_report_schedule(business, spec) -> None:
    """The owner gets last week's sales by product every Monday morning, and last month's
    profit on the 1st."""
    from hanout.reports.models import ReportSchedule
    from hanout.reports.services_schedules import schedule_create

    if ReportSchedule.objects.for_business(business).exists():
        return
    owner = Membership.objects.get(business=business, user__email=spec["owner"].email).user
    schedule_create(
        business=business,
        actor=owner,
        data={
            "name": _("Last week's sales"),
            "by": "product",
            "frequency": "weekly",
            "hour": 7,
            "file_format": "pdf",
            "language": spec["store"].language,
            "recipients": [owner.email],
        },
    )
    schedule_create(
        business=business,
        actor=owner,
        data={
            "name": _("Last month's profit"),
            "report": "profit",
            "by": "day",
            "frequency": "monthly",
            "hour": 8,
            "file_format": "xlsx",
            "language": spec["store"].language,
            "recipients": [owner.email],
        },
    )
