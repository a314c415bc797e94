"""The reference for bench_sales.py: a bare Django + DRF view writing a 3-line sale.

It does the statements a sale needs and nothing else: no authentication, no
permission, no validation, no idempotency check, no events. Same tables, same
constraints and indexes as the real sale, so the ratio shows what Hanout's
safety costs.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from hanout.catalog.models import Product
from hanout.core.models import AuditEntry
from hanout.inventory.models import MovementReason, StockLevel, StockMovement
from hanout.pos.models import CashSession, Payment, Register, Sale, SaleLine


class BareSale(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    def post(self, request):
        body = request.data
        ids = [line["product"] for line in body["lines"]]
        with transaction.atomic():
            reg = Register.objects.select_for_update().get(pk=body["register"])  # 1
            number = reg.next_ticket_number
            Register.objects.filter(pk=reg.pk).update(
                next_ticket_number=F("next_ticket_number") + 1
            )  # 2
            products = {str(p.pk): p for p in Product.objects.filter(pk__in=ids)}  # 3
            total = sum((products[i].sale_price for i in ids), Decimal(0))
            now = timezone.now()
            sale = Sale.objects.create(  # 4
                business_id=reg.business_id,
                client_uuid=uuid.uuid4(),
                register=reg,
                shop_id=reg.shop_id,
                session_id=body["session"],
                number=number,
                cashier_id=CashSession.objects.filter(pk=body["session"]).values_list(
                    "opened_by_id", flat=True
                )[0],  # 5
                sold_at=now,
                total=total,
                revenue=total,
                tax_total=0,
                paid_total=total,
            )
            SaleLine.objects.bulk_create(  # 6
                SaleLine(
                    business_id=reg.business_id,
                    sale=sale,
                    position=n,
                    product=products[i],
                    name=products[i].name,
                    quantity=1,
                    unit_price=products[i].sale_price,
                    total=products[i].sale_price,
                )
                for n, i in enumerate(ids)
            )
            Payment.objects.create(
                business_id=reg.business_id, sale=sale, method="cash", amount=total
            )  # 7
            levels = list(
                StockLevel.objects.select_for_update().filter(product_id__in=ids).order_by("pk")
            )  # 8
            for lvl in levels:
                lvl.quantity -= 1
            StockLevel.objects.bulk_update(levels, ["quantity"])  # 9
            StockMovement.objects.bulk_create(  # 10
                StockMovement(
                    business_id=reg.business_id,
                    product_id=lvl.product_id,
                    location_id=lvl.location_id,
                    reason=MovementReason.SALE,
                    quantity=-1,
                    balance_after=lvl.quantity,
                    group=sale.pk,
                    unit_cost=0,
                )
                for lvl in levels
            )
            AuditEntry.objects.create(  # 11
                business_id=reg.business_id,
                action="sale.complete",
                object_type="pos.sale",
                object_id=str(sale.pk),
                at=now,
            )
            CashSession.objects.filter(pk=body["session"]).update(  # 12
                cash_in=F("cash_in") + total, sales_count=F("sales_count") + 1
            )
        return Response({"id": str(sale.pk), "number": number}, status=201)
