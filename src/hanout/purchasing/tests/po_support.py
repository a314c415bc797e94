"""Builders for the purchase-order tests: a shop with a supplier, its catalog and a PO."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from hanout.catalog.models import Product
from hanout.inventory.models import Location
from hanout.inventory.tests.stockdata import level_of, make_location, make_product
from hanout.purchasing import services
from hanout.purchasing.models import PurchaseOrder
from hanout.suppliers import services as supplier_services
from hanout.suppliers.models import Supplier
from tests.factories import make_business

D = Decimal

__all__ = ["D", "PurchaseShop", "level_of", "make_location", "make_product", "purchase_shop"]


@dataclass
class PurchaseShop:
    membership: object
    business: object
    actor: object
    floor: Location
    back: Location
    supplier: Supplier
    products: list[Product]

    def draft(self, quantities=None, *, costs=None, supplier=None, **kw) -> PurchaseOrder:
        quantities = quantities or [10] * len(self.products)
        costs = costs or [None] * len(quantities)
        return services.purchase_order_create(
            business=self.business,
            actor=self.actor,
            supplier=supplier or self.supplier,
            lines=[
                services.POLineInput(product=p, quantity=D(str(q)), unit_cost=c)
                for p, q, c in zip(self.products, quantities, costs, strict=False)
            ],
            **kw,
        )

    def sent(self, quantities=None, **kw) -> PurchaseOrder:
        order = self.draft(quantities, **kw)
        return services.purchase_order_send(order=order, actor=self.actor, notify=False)

    def receive(self, order, quantities: dict, **kw):
        lines = {line.product_id: line.pk for line in order.lines.all()}
        return services.purchase_order_receive(
            order=order,
            actor=self.actor,
            lines={lines[p.pk]: D(str(q)) for p, q in quantities.items()},
            **kw,
        )


def purchase_shop(name="PO Bakery", *, n_products=3, **business_kw) -> PurchaseShop:
    membership = make_business(name, **business_kw)
    business = membership.business
    floor = make_location(business, default=True)
    back = make_location(business, "Back room")
    supplier = supplier_services.supplier_create(
        business=business,
        actor=membership.user,
        data={"name": f"Mill of {name}", "email": "orders@mill.example"},
    )
    products = [make_product(business, f"Flour {i}", cost="1.00") for i in range(n_products)]
    for i, product in enumerate(products):
        supplier_services.supplier_item_set(
            supplier=supplier,
            actor=membership.user,
            product=product,
            data={"supplier_sku": f"MILL-{i}", "cost": D("2.00") + i, "is_preferred": True},
        )
    return PurchaseShop(membership, business, membership.user, floor, back, supplier, products)
