"""Shared set-up of the phone-payment tests: a register with an open cash session.

Built directly on the models (the sales core's services are not needed to test
payments); the rows are the ones `register_create` / `session_open` write.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from hanout.core import clock
from hanout.core.models import Shop
from hanout.pos import services_payments as services
from hanout.pos.models import CashSession, Register

BASKET = [
    {"name": "Croissant", "quantity": "1", "total": "1.00"},
    {"name": "Chocolat noir", "quantity": "1", "total": "3.50"},
    {"name": "Déodorant CienMEN", "quantity": "1", "total": "4.50"},
]
APPROVED = "4242 4242 4242 4242"
DECLINED = "4000 0000 0000 0002"
NO_FUNDS = "4000 0000 0000 9995"


def future_expiry() -> str:
    today = clock.now().date()
    return f"{today.month:02d}/{(today.year + 2) % 100:02d}"


def make_register(membership, name: str = "Caisse 1", *, open_session: bool = True) -> Register:
    business = membership.business
    shop = Shop.objects.for_business(business).order_by("created_at").first()
    register = Register.objects.create(business=business, shop=shop, name=name)
    if open_session:
        open_session_on(register, membership.user)
    return register


def open_session_on(register: Register, user) -> CashSession:
    number = register.next_session_number
    Register.objects.filter(pk=register.pk).update(next_session_number=number + 1)
    return CashSession.objects.create(
        business=register.business,
        register=register,
        number=number,
        opened_by=user,
        opened_at=clock.now(),
        opening_float=Decimal("100.00"),
    )


def make_link(register: Register, user, amount="9.00", **kw):
    kw.setdefault("sale_client_uuid", uuid.uuid4())
    kw.setdefault("lines", BASKET)
    return services.payment_link_create(register=register, actor=user, amount=amount, **kw)


def pay(link, number: str = APPROVED, expiry: str | None = None, cvc: str = "123"):
    return services.payment_link_pay(
        token=link.token, card_number=number, expiry=expiry or future_expiry(), cvc=cvc
    )
