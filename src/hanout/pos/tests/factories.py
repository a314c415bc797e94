"""Builders for the register's tests: a shop with a register, products in stock at the
register's location, an open cash session, and sales made through the real services.

    till = make_till()                         # owner, shop, register, location, products
    session = open_session(till)               # float 100.00
    sale = sell(till, ("croissant", 2), cash="5.00")
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from hanout.accounts.models import Membership
from hanout.catalog.models import Barcode, BarcodeKind, Product, Unit
from hanout.core.models import Shop
from hanout.inventory import services as inventory
from hanout.inventory.models import Location
from hanout.pos import services
from hanout.pos.models import CashSession, Register, Sale
from hanout.pos.pricing import LineInput
from hanout.pos.services import PaymentInput

D = Decimal
_n = iter(range(1, 10**9))

# key: (name, price tax included, tax rate, sku, barcode)
DEFAULT_PRODUCTS = {
    "croissant": ("Croissant", "1.00", "6", "9012", ""),
    "pain": ("Pain au chocolat", "1.20", "6", "1234", "1946753214860"),
    "cafe": ("Café", "2.50", "6", "0000", ""),
    "chocolat": ("Chocolat noir", "3.50", "6", "4321", ""),
    "deo": ("Déodorant CienMEN", "4.50", "21", "7777", ""),
}


@dataclass
class Till:
    owner: Membership
    shop: Shop
    register: Register
    location: Location
    products: dict[str, Product] = field(default_factory=dict)

    @property
    def business(self):
        return self.owner.business

    @property
    def user(self):
        return self.owner.user

    def __getitem__(self, key: str) -> Product:
        return self.products[key]


def shop_of(business) -> Shop:
    return Shop.objects.filter(business=business).order_by("created_at").first()


def make_product(
    business, name=None, *, price="1.00", tax_rate="6", sku=None, barcode="", unit=Unit.PIECE
) -> Product:
    n = next(_n)
    product = Product.objects.create(
        business=business,
        name=name or f"Product {n}",
        sku=sku if sku is not None else f"P{n:05d}",
        unit=unit,
        sale_price=D(price),
        tax_rate=D(tax_rate),
    )
    if barcode:
        Barcode.objects.create(
            business=business, product=product, code=barcode, kind=BarcodeKind.EAN13
        )
    return product


def stock(till_or_business, product, quantity, location=None) -> None:
    """Receive `quantity` of `product` at the register's location (or `location`)."""
    business = getattr(till_or_business, "business", till_or_business)
    location = location or till_or_business.location
    inventory.stock_receive(
        business=business, actor=None, product=product, location=location, quantity=D(quantity)
    )


def make_register(owner: Membership, name: str | None = None, *, shop=None, **kwargs) -> Register:
    return services.register_create(
        business=owner.business,
        actor=owner.user,
        shop=shop or shop_of(owner.business),
        name=name or f"Caisse {next(_n)}",
        **kwargs,
    )


def make_till(
    owner: Membership | None = None,
    *,
    name: str | None = None,
    products: dict | None = None,
    quantity="50",
    currency="EUR",
) -> Till:
    """A business (or `owner`'s) with a register in its first shop and the default
    products in stock (`quantity` each) at the register's location."""
    if owner is None:
        from tests.factories import make_business

        owner = make_business(currency=currency)
    register = make_register(owner, name or f"Caisse {next(_n)}")
    location = services.register_location(register)
    till = Till(owner=owner, shop=register.shop, register=register, location=location)
    for key, (pname, price, rate, sku, barcode) in (products or DEFAULT_PRODUCTS).items():
        product = make_product(
            owner.business, pname, price=price, tax_rate=rate, sku=sku, barcode=barcode
        )
        till.products[key] = product
        if quantity is not None and D(quantity) > 0:
            stock(till, product, quantity)
    return till


def open_session(till_or_register, user=None, *, opening_float="100.00") -> CashSession:
    register = getattr(till_or_register, "register", till_or_register)
    user = user or till_or_register.user
    return services.session_open(register=register, actor=user, opening_float=D(opening_float))


def line(product, quantity=1, discount=0) -> LineInput:
    return LineInput(product=product, quantity=D(str(quantity)), discount=D(str(discount)))


def withdrawal(amount) -> LineInput:
    return LineInput(kind="withdrawal", amount=D(str(amount)))


def sell(
    till: Till,
    *items,
    cash=None,
    card=None,
    payments: list[PaymentInput] | None = None,
    user=None,
    client_uuid=None,
    register=None,
    **kwargs,
) -> Sale:
    """Sell items: ("croissant", 2), a Product, (product, qty), or a LineInput.

    Paid exactly in cash unless `cash` (tendered), `card` (amount) or `payments` say
    otherwise.
    """
    lines = []
    for item in items:
        if isinstance(item, LineInput):
            lines.append(item)
            continue
        if isinstance(item, str | Product):
            item = (item, 1)
        product, qty = item[0], item[1]
        discount = item[2] if len(item) > 2 else 0
        if isinstance(product, str):
            product = till[product]
        lines.append(line(product, qty, discount))
    if payments is None:
        payments = []
        if card is not None:
            payments.append(PaymentInput(method="card", amount=D(str(card))))
        if cash is not None:
            payments.append(PaymentInput(method="cash", tendered=D(str(cash))))
        if not payments:
            from hanout.pos.pricing import price_basket

            total = price_basket(business=till.business, lines=lines, allow_discount=True).total
            payments = [PaymentInput(method="cash", tendered=total)] if total else []
    return services.sale_complete(
        register=register or till.register,
        actor=user or till.user,
        client_uuid=client_uuid or uuid.uuid4(),
        lines=lines,
        payments=payments,
        **kwargs,
    )
