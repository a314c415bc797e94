"""Offers the marketplace closed (sold out, taken off the market) get their own status.

Before, they were stored as "declined", like a seller's answer. The ones the market
closed are known from the audit trail ("offer.close"); their reason is inferred from
the listing: none left is "sold_out", otherwise "unpublished". Going back makes them
"declined" again.
"""

from django.conf import settings
from django.db import migrations, models


def close_the_ones_the_market_closed(apps, schema_editor):
    Offer = apps.get_model("marketplace", "Offer")
    AuditEntry = apps.get_model("core", "AuditEntry")
    closed_ids = AuditEntry.objects.filter(
        action="offer.close", object_type="marketplace.offer"
    ).values_list("object_id", flat=True)
    for offer in (
        Offer.objects.filter(status="declined", pk__in=list(closed_ids))
        .select_related("listing")
        .iterator(chunk_size=500)
    ):
        offer.status = "closed"
        offer.closed_reason = "sold_out" if offer.listing.quantity == 0 else "unpublished"
        offer.save(update_fields=["status", "closed_reason"])


def declined_again(apps, schema_editor):
    Offer = apps.get_model("marketplace", "Offer")
    Offer.objects.filter(status="closed").update(status="declined", closed_reason="")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_legal_details_document_sequence"),
        ("marketplace", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="offer",
            name="closed_reason",
            field=models.CharField(
                blank=True,
                choices=[("sold_out", "Sold out"), ("unpublished", "Taken off the market")],
                max_length=12,
                verbose_name="why it closed",
            ),
        ),
        migrations.AlterField(
            model_name="offer",
            name="status",
            field=models.CharField(
                choices=[
                    ("open", "Waiting for the seller"),
                    ("countered", "Countered by the seller"),
                    ("accepted", "Accepted"),
                    ("declined", "Declined"),
                    ("withdrawn", "Withdrawn"),
                    ("expired", "Expired"),
                    ("closed", "Closed by the marketplace"),
                ],
                default="open",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(close_the_ones_the_market_closed, declined_again),
        migrations.AddConstraint(
            model_name="marketterms",
            constraint=models.CheckConstraint(
                condition=models.Q(("request_days__gte", 1), ("confirm_days__gte", 1)),
                name="market_terms_days_at_least_one",
            ),
        ),
        migrations.AddConstraint(
            model_name="offer",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("closed_reason__in", ["sold_out", "unpublished"]), ("status", "closed")
                    ),
                    models.Q(models.Q(("status", "closed"), _negated=True), ("closed_reason", "")),
                    _connector="OR",
                ),
                name="offer_closed_has_reason",
            ),
        ),
    ]
