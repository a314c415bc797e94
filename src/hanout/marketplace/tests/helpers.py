"""Businesses with money and listings, and a platform administrator, for the marketplace tests."""

from __future__ import annotations

from decimal import Decimal

from hanout.marketplace import services_listings as listings
from hanout.marketplace import services_wallet as wallet
from tests.factories import UserFactory, make_business


def admin_user():
    return UserFactory(is_staff=True)


def funded(amount="0", *, name=None, currency="EUR", country="BE", admin=None):
    """A business (the owner's membership) whose wallet holds `amount`, deposited and approved."""
    owner = make_business(name, currency=currency, country=country)
    if Decimal(amount) > 0:
        request = wallet.deposit_request(business=owner.business, actor=owner.user, amount=amount)
        wallet.request_approve(request=request, admin=admin or admin_user())
    return owner


def listed(owner, *, price="4.00", quantity=3, name="Espresso machine", publish=True, **data):
    return listings.listing_create(
        business=owner.business,
        actor=owner.user,
        data={"name": name, "price": price, "quantity": quantity, **data},
        publish=publish,
    )


def balance(business):
    from hanout.marketplace.models import Wallet

    w = Wallet.objects.get(business=business)
    return w.posted, w.held
