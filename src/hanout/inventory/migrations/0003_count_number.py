from django.db import migrations, models


def number_existing_counts(apps, schema_editor):
    """Give the counts made before numbering their numbers, oldest first per business,
    and start each business's sequence after them."""
    StockCount = apps.get_model("inventory", "StockCount")
    DocumentSequence = apps.get_model("core", "DocumentSequence")
    last: dict = {}
    for count in StockCount.objects.order_by("business_id", "created_at", "id").only(
        "id", "business_id"
    ):
        last[count.business_id] = last.get(count.business_id, 0) + 1
        StockCount.objects.filter(pk=count.pk).update(number=last[count.business_id])
    for business_id, value in last.items():
        DocumentSequence.objects.update_or_create(
            business_id=business_id, key="stock_count", year=0, defaults={"last_value": value}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0002_count_one_open"),
        ("core", "0004_legal_details_document_sequence"),
    ]

    operations = [
        migrations.AddField(
            model_name="stockcount",
            name="number",
            field=models.PositiveIntegerField(
                blank=True, editable=False, null=True, verbose_name="number"
            ),
        ),
        migrations.RunPython(number_existing_counts, migrations.RunPython.noop),
    ]
