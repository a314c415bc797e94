"""An offer keeps its history: the buyer's first terms, then each counter-offer.

Before, a counter-offer overwrote the offer's price and quantity. The history of the
offers already made is rebuilt from the audit trail ("offer.make" and "offer.counter"
record the price and quantity before and after); an offer without those rows gets its
first terms from the earliest counter's "before" values, or from the offer itself.
"""

from decimal import Decimal

import django.db.models.deletion
import hanout.core.ids
from django.conf import settings
from django.db import migrations, models


def _terms(changes, index):
    price = (changes.get("unit_price") or [None, None])[index]
    quantity = (changes.get("quantity") or [None, None])[index]
    return (Decimal(str(price)) if price not in (None, "") else None), quantity


def rebuild_history(apps, schema_editor):
    Offer = apps.get_model("marketplace", "Offer")
    OfferTerms = apps.get_model("marketplace", "OfferTerms")
    AuditEntry = apps.get_model("core", "AuditEntry")
    rows = []
    for offer in Offer.objects.order_by("pk").iterator(chunk_size=500):
        trail = list(
            AuditEntry.objects.filter(
                object_type="marketplace.offer",
                object_id=str(offer.pk),
                action__in=["offer.make", "offer.counter"],
            ).order_by("at", "id")
        )
        made = next((a for a in trail if a.action == "offer.make"), None)
        counters = [a for a in trail if a.action == "offer.counter"]
        price, quantity = _terms(made.changes, 1) if made else (None, None)
        if price is None and counters:
            price, quantity = _terms(counters[0].changes, 0)
        rows.append(
            OfferTerms(
                offer_id=offer.pk,
                side="buyer",
                unit_price=price if price is not None else offer.unit_price,
                quantity=quantity or offer.quantity,
                made_by_id=made.actor_id if made else offer.made_by_id,
                created_at=made.at if made else offer.created_at,
            )
        )
        for counter in counters:
            price, quantity = _terms(counter.changes, 1)
            rows.append(
                OfferTerms(
                    offer_id=offer.pk,
                    side="seller",
                    unit_price=price if price is not None else offer.unit_price,
                    quantity=quantity or offer.quantity,
                    made_by_id=counter.actor_id,
                    created_at=counter.at,
                )
            )
        if len(rows) >= 1000:
            OfferTerms.objects.bulk_create(rows)
            rows = []
    OfferTerms.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0002_offer_closed_and_terms_checks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="OfferTerms",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=hanout.core.ids.uuid7,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "side",
                    models.CharField(
                        choices=[("buyer", "Buyer"), ("seller", "Seller")],
                        max_length=6,
                        verbose_name="proposed by",
                    ),
                ),
                (
                    "unit_price",
                    models.DecimalField(
                        decimal_places=3, max_digits=14, verbose_name="price per unit"
                    ),
                ),
                ("quantity", models.PositiveIntegerField(verbose_name="quantity")),
                ("created_at", models.DateTimeField(verbose_name="when")),
                (
                    "made_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "offer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="history",
                        to="marketplace.offer",
                    ),
                ),
            ],
            options={
                "verbose_name": "offer terms",
                "verbose_name_plural": "offer history",
                "ordering": ["created_at", "id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("unit_price__gt", 0)), name="offer_terms_price_positive"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("quantity__gt", 0)),
                        name="offer_terms_quantity_positive",
                    ),
                ],
            },
        ),
        migrations.RunPython(rebuild_history, migrations.RunPython.noop),
    ]
