"""The demo businesses' catalog and stock, written through the real services.

Boulangerie Kaching (EUR, Brussels) sells the nine products of the issue,
with their article numbers (SKU) and barcodes. All nine barcodes pass the
EAN-13 check digit (`barcode_parse` recognises each as EAN-13), so they are
stored as EAN-13; the article numbers (1234, 0000 …) are the SKUs, which the
register's lookup also finds. Alma7al (MAD, Casablanca) has a small Arabic
catalog.

Each business also gets categories (domain → category → sub-category), tags,
Belgian or Moroccan VAT rates, a picture per product (drawn by
`hanout.demo_images`), suppliers with their catalog lines, a back room beside
the shop floor, and a month of stock history: receipts 35 days ago, a
transfer, daily sales over the last 30 days (restock suggestions need them),
thresholds that leave a product or two low, and an open stock count.

The history is dated in the past by running the services with the clock set
back (`_at`), so the ledger, the audit log and the valuation at a past date
read like a real month. Loaded once: a business that already has products is
left as it is.
"""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from hanout.accounts.models import Membership
from hanout.catalog import services as catalog
from hanout.catalog.models import Category, Product
from hanout.core.models import Business, Shop
from hanout.core.permissions import Role
from hanout.demo_images import product_picture
from hanout.inventory import services as inventory
from hanout.inventory.models import Location, LocationKind, MovementReason
from hanout.suppliers import services as suppliers


@dataclass(frozen=True)
class DemoProduct:
    sku: str
    barcode: str  # "" for none
    name: str
    price: str
    cost: str
    tax: str
    category: tuple[str, ...]  # path from the domain
    tags: tuple[str, ...] = ()
    brand: str = ""
    icon: str = "sack"
    colour: tuple[int, int, int] = (120, 120, 120)
    # Stock: received on the floor and in the back room 35 days ago; threshold on the floor.
    floor: int = 0
    back: int = 0
    reorder_point: int | None = None
    reorder_quantity: int | None = None


@dataclass(frozen=True)
class DemoSupplierItem:
    sku: str
    supplier_sku: str
    cost: str
    lead_time_days: int
    min_order_quantity: int
    preferred: bool = True


@dataclass(frozen=True)
class DemoSupplier:
    name: str
    contact_name: str
    phone: str
    email: str
    address: str
    notes: str
    items: tuple[DemoSupplierItem, ...] = ()


@dataclass(frozen=True)
class DemoCatalog:
    back_room: str
    products: tuple[DemoProduct, ...]
    suppliers: tuple[DemoSupplier, ...]
    # Sales from the floor: (days ago, {sku: quantity}), one basket per entry.
    sales: tuple[tuple[int, dict[str, int]], ...] = ()
    # (days ago, sku, quantity) from the back room to the floor.
    transfers: tuple[tuple[int, str, int], ...] = ()
    # The open count of the back room: {sku: counted}.
    count: dict[str, int] = field(default_factory=dict)
    receipt_reference: str = ""
    count_note: str = ""


# Belgian VAT: 6 % on food and non-alcoholic takeaway food; 21 % on cosmetics and on
# sugared soft drinks (since April 2023).
KACHING = DemoCatalog(
    back_room="Réserve",
    receipt_reference="BL-2026-0412",
    count_note="Inventaire mensuel de la réserve",
    products=(
        DemoProduct(
            "1234",
            "1946753214860",
            "Pain au chocolat",
            "1.20",
            "0.42",
            "6",
            ("Boulangerie", "Viennoiseries"),
            ("fait maison", "best-seller"),
            icon="croissant",
            colour=(190, 120, 60),
            floor=60,
            back=40,
            reorder_point=15,
            reorder_quantity=60,
        ),
        DemoProduct(
            "5678",
            "9859432166010",
            "Tarte au riz",
            "1.10",
            "0.45",
            "6",
            ("Boulangerie", "Pâtisseries"),
            ("fait maison", "spécialité belge"),
            icon="tart",
            colour=(214, 160, 70),
            floor=24,
            back=12,
            reorder_point=6,
            reorder_quantity=24,
        ),
        DemoProduct(
            "9012",
            "3792075124138",
            "Croissant",
            "1.00",
            "0.35",
            "6",
            ("Boulangerie", "Viennoiseries"),
            ("fait maison", "best-seller"),
            icon="croissant",
            colour=(205, 140, 55),
            floor=60,
            back=50,
            reorder_point=15,
            reorder_quantity=60,
        ),
        DemoProduct(
            "0000",
            "4829105637487",
            "Café",
            "2.50",
            "0.60",
            "6",
            ("Épicerie", "Boissons", "Boissons chaudes"),
            ("à emporter",),
            icon="cup",
            colour=(110, 75, 55),
            floor=100,
            back=200,
            reorder_point=30,
            reorder_quantity=100,
        ),
        DemoProduct(
            "4821",
            "9056712384908",
            "Déodorant CienMEN",
            "4.00",
            "2.10",
            "21",
            ("Hygiène", "Soins du corps"),
            ("homme",),
            brand="CienMEN",
            icon="tube",
            colour=(60, 110, 160),
            floor=10,
            back=6,
            reorder_point=3,
            reorder_quantity=6,
        ),
        DemoProduct(
            "2020",
            "1738459201677",
            "Croissant au pistache",
            "1.50",
            "0.60",
            "6",
            ("Boulangerie", "Viennoiseries"),
            ("fait maison", "nouveau"),
            icon="croissant",
            colour=(130, 160, 80),
            floor=20,
            reorder_point=6,
            reorder_quantity=30,
        ),
        DemoProduct(
            "8975",
            "5126903748124",
            "Pain au saucisse",
            "2.00",
            "0.80",
            "6",
            ("Boulangerie", "Snacking"),
            ("fait maison", "salé"),
            icon="loaf",
            colour=(170, 85, 60),
            floor=30,
            back=10,
            reorder_point=8,
            reorder_quantity=24,
        ),
        DemoProduct(
            "9630",
            "7741039582619",
            "Canette Coca",
            "3.50",
            "0.95",
            "21",
            ("Épicerie", "Boissons", "Boissons fraîches"),
            ("à emporter", "frais"),
            brand="Coca-Cola",
            icon="can",
            colour=(185, 40, 45),
            floor=48,
            back=48,
            reorder_point=12,
            reorder_quantity=24,
        ),
        DemoProduct(
            "6051",
            "1983746509282",
            "Chocolat noir",
            "4.00",
            "1.90",
            "6",
            ("Épicerie", "Confiserie"),
            ("belge",),
            brand="Côte d'Or",
            icon="bar",
            colour=(85, 55, 45),
            floor=8,
            reorder_point=3,
            reorder_quantity=10,
        ),
    ),
    suppliers=(
        DemoSupplier(
            name="Moulin de la Senne",
            contact_name="Marc Vandenberghe",
            phone="+32 2 520 41 18",
            email="commandes@moulin-senne.example",
            address="Quai de Mariemont 40, 1080 Molenbeek-Saint-Jean",
            notes="Farine, pâtes surgelées et viennoiseries crues. Livraison mardi et vendredi.",
            items=(
                DemoSupplierItem("1234", "MS-VPC-60", "0.40", 2, 60),
                DemoSupplierItem("9012", "MS-VCR-60", "0.33", 2, 60),
                DemoSupplierItem("2020", "MS-VCP-30", "0.58", 3, 30),
                DemoSupplierItem("5678", "MS-TRZ-12", "0.44", 3, 12),
                DemoSupplierItem("8975", "MS-PSA-24", "0.78", 2, 24),
            ),
        ),
        DemoSupplier(
            name="Grossiste Horeca Brabant",
            contact_name="Sophie Lambert",
            phone="+32 470 12 34 56",
            email="sophie.lambert@horeca-brabant.example",
            address="Chaussée de Vilvorde 150, 1120 Neder-Over-Heembeek",
            notes="Cash & carry : boissons, café, confiserie, droguerie.",
            items=(
                DemoSupplierItem("0000", "HB-CAF-100", "0.60", 1, 50),
                DemoSupplierItem("9630", "HB-COC-24", "0.95", 1, 24),
                DemoSupplierItem("6051", "HB-CHN-10", "1.90", 4, 10),
                DemoSupplierItem("4821", "HB-DEO-6", "2.10", 7, 6),
                DemoSupplierItem("9012", "HB-VCR-50", "0.36", 1, 50, preferred=False),
            ),
        ),
    ),
    sales=(
        (29, {"1234": 4, "9012": 6, "0000": 8, "5678": 2}),
        (26, {"1234": 3, "9012": 5, "0000": 7, "8975": 3, "9630": 2}),
        (23, {"1234": 4, "2020": 3, "0000": 6, "6051": 1}),
        (20, {"9012": 6, "5678": 3, "0000": 9, "4821": 1, "9630": 3}),
        (17, {"1234": 5, "9012": 4, "2020": 4, "8975": 4}),
        (14, {"1234": 3, "0000": 8, "9630": 2, "6051": 2}),
        (11, {"9012": 7, "2020": 3, "5678": 2, "4821": 2}),
        (8, {"1234": 4, "9012": 5, "0000": 6, "8975": 3, "9630": 3}),
        (5, {"1234": 3, "2020": 3, "0000": 7, "6051": 2, "5678": 3}),
        (2, {"9012": 6, "1234": 4, "2020": 3, "0000": 5, "4821": 1, "9630": 2}),
        (1, {"1234": 5, "9012": 5, "8975": 4, "0000": 6}),
    ),
    transfers=((15, "9012", 20), (6, "0000", 30)),
    count={"0000": 168, "9630": 47, "4821": 6},
)

# Moroccan VAT (illustrative): bread and fresh produce exempt, sugar 7 %, oils 10 %, tea 20 %.
ALMA7AL = DemoCatalog(
    back_room="المخزن",
    receipt_reference="BL-2026-118",
    count_note="جرد المخزن الشهري",
    products=(
        DemoProduct(
            "T200",
            "6111000123454",
            "أتاي أخضر سلطان 200 غ",
            "18.00",
            "13.50",
            "20",
            ("بقالة", "مشروبات"),
            ("الأكثر مبيعا",),
            brand="سلطان",
            icon="leaf",
            colour=(40, 120, 80),
            floor=40,
            back=60,
            reorder_point=10,
            reorder_quantity=40,
        ),
        DemoProduct(
            "S002",
            "6112000345679",
            "سكر قالب 2 كغ",
            "24.50",
            "20.00",
            "7",
            ("بقالة", "مواد أساسية"),
            ("الأكثر مبيعا",),
            brand="كوسومار",
            icon="sack",
            colour=(90, 110, 160),
            floor=30,
            back=50,
            reorder_point=8,
            reorder_quantity=30,
        ),
        DemoProduct(
            "Z001",
            "6113000567894",
            "زيت الزيتون البكر 1 ل",
            "75.00",
            "58.00",
            "10",
            ("بقالة", "مواد أساسية"),
            ("محلي",),
            icon="bottle",
            colour=(110, 130, 40),
            floor=12,
            back=24,
            reorder_point=4,
            reorder_quantity=12,
        ),
        DemoProduct(
            "K001",
            "2000001",
            "خبز",
            "1.50",
            "0.90",
            "0",
            ("مخبزة",),
            ("محلي", "طازج"),
            icon="loaf",
            colour=(190, 130, 70),
            floor=100,
            reorder_point=20,
            reorder_quantity=80,
        ),
        DemoProduct(
            "N001",
            "",
            "نعناع",
            "3.00",
            "1.50",
            "0",
            ("خضر وفواكه",),
            ("طازج",),
            icon="leaf",
            colour=(60, 150, 90),
            floor=15,
            reorder_point=5,
            reorder_quantity=20,
        ),
    ),
    suppliers=(
        DemoSupplier(
            name="أطلس للتوزيع",
            contact_name="رشيد بناني",
            phone="+212 522-987654",
            email="commandes@atlas-distribution.example",
            address="زنقة الحرية 24، الحي الصناعي، الدار البيضاء",
            notes="توصيل كل يوم اثنين وخميس.",
            items=(
                DemoSupplierItem("T200", "AT-TH-200", "13.50", 3, 24),
                DemoSupplierItem("S002", "AT-SU-2", "20.00", 3, 20),
                DemoSupplierItem("Z001", "AT-ZZ-1", "58.00", 5, 12),
            ),
        ),
    ),
    sales=(
        (27, {"T200": 4, "S002": 3, "K001": 20, "N001": 3}),
        (21, {"T200": 5, "S002": 4, "Z001": 2, "K001": 18}),
        (14, {"T200": 6, "K001": 22, "N001": 4}),
        (7, {"T200": 4, "S002": 3, "Z001": 1, "K001": 15}),
        (2, {"T200": 5, "S002": 2, "K001": 12, "N001": 2}),
    ),
    transfers=((10, "T200", 20),),
    count={"T200": 39, "S002": 50},
)

CATALOGS = {"Boulangerie Kaching": KACHING, "Alma7al": ALMA7AL}


@contextlib.contextmanager
def _at(moment: datetime.datetime):
    """Run the services as if it were `moment`.

    `auto_now` fields and `hanout.core.clock` both read `django.utils.timezone.now`,
    so pinning it dates the movements and their audit rows in the past. Used only
    while the demo loads, before any server thread runs.
    """
    with mock.patch.object(timezone, "now", return_value=moment):
        yield


def _category(business, actor, path: tuple[str, ...], made: dict) -> Category:
    parent = None
    for depth in range(len(path)):
        key = path[: depth + 1]
        if key not in made:
            made[key] = catalog.category_create(
                business=business, actor=actor, name=key[-1], parent=parent, position=len(made)
            )
        parent = made[key]
    return parent


def _picture(product: Product, spec: DemoProduct):
    return SimpleUploadedFile(
        f"{slugify(spec.name) or spec.sku.lower()}.png",
        product_picture(spec.name, icon=spec.icon, colour=spec.colour),
        content_type="image/png",
    )


@transaction.atomic
def load_catalog(business: Business, spec: DemoCatalog) -> bool:
    """Give `business` its demo catalog and stock; False when it already has products."""
    if Product.objects.for_business(business).exists():
        return False
    owner = (
        Membership.objects.select_related("user")
        .filter(business=business, role=Role.OWNER)
        .order_by("created_at")
        .first()
        .user
    )
    sellers = [
        m.user
        for m in Membership.objects.select_related("user")
        .filter(business=business, role__in=[Role.CASHIER, Role.MANAGER])
        .order_by("created_at")
    ] or [owner]
    now = timezone.now()
    start = now - datetime.timedelta(days=35)
    shop = Shop.objects.for_business(business).order_by("created_at").first()

    with _at(start - datetime.timedelta(hours=2)):
        categories: dict = {}
        products: dict[str, Product] = {}
        for item in spec.products:
            barcodes = []
            if item.barcode:
                code, kind = catalog.barcode_parse(item.barcode)
                barcodes.append({"code": code, "kind": kind})
            product = catalog.product_create(
                business=business,
                actor=owner,
                data={
                    "name": item.name,
                    "sku": item.sku,
                    "brand": item.brand,
                    "sale_price": Decimal(item.price),
                    "cost": Decimal(item.cost),
                    "tax_rate": Decimal(item.tax),
                    "category": _category(business, owner, item.category, categories),
                    "tags": list(item.tags),
                    "barcodes": barcodes,
                },
            )
            catalog.product_image_add(product=product, actor=owner, file=_picture(product, item))
            products[item.sku] = product

        for supplier_spec in spec.suppliers:
            supplier = suppliers.supplier_create(
                business=business,
                actor=owner,
                data={
                    "name": supplier_spec.name,
                    "contact_name": supplier_spec.contact_name,
                    "phone": supplier_spec.phone,
                    "email": supplier_spec.email,
                    "address": supplier_spec.address,
                    "notes": supplier_spec.notes,
                },
            )
            for line in supplier_spec.items:
                suppliers.supplier_item_set(
                    supplier=supplier,
                    actor=owner,
                    product=products[line.sku],
                    data={
                        "supplier_sku": line.supplier_sku,
                        "cost": line.cost,
                        "lead_time_days": line.lead_time_days,
                        "min_order_quantity": line.min_order_quantity,
                        "is_preferred": line.preferred,
                    },
                )

        floor = inventory.default_location(shop=shop)
        back = Location.objects.filter(shop=shop, name=spec.back_room).first()
        if back is None:
            back = inventory.location_create(
                business=business,
                actor=owner,
                shop=shop,
                name=spec.back_room,
                kind=LocationKind.BACKROOM,
            )

    # Deliveries 35 days ago, one receipt per location.
    with _at(start):
        for location, qty_of in ((floor, lambda p: p.floor), (back, lambda p: p.back)):
            lines = [
                inventory.MoveLine(products[p.sku], location, Decimal(qty_of(p)), Decimal(p.cost))
                for p in spec.products
                if qty_of(p)
            ]
            inventory.stock_apply(
                business=business,
                actor=owner,
                lines=lines,
                reason=MovementReason.RECEIPT,
                reference=spec.receipt_reference,
            )

    events = [(days, "sale", basket) for days, basket in spec.sales]
    events += [(days, "transfer", (sku, qty)) for days, sku, qty in spec.transfers]
    for n, (days, kind, what) in enumerate(sorted(events, key=lambda e: -e[0])):
        moment = (now - datetime.timedelta(days=days)).replace(hour=9 + n % 8, minute=17)
        moment = min(moment, now - datetime.timedelta(minutes=5))
        with _at(moment):
            if kind == "transfer":
                sku, qty = what
                inventory.stock_transfer(
                    business=business,
                    actor=owner,
                    product=products[sku],
                    from_location=back,
                    to_location=floor,
                    quantity=Decimal(qty),
                )
            else:
                inventory.stock_apply(
                    business=business,
                    actor=sellers[n % len(sellers)],
                    lines=[
                        inventory.MoveLine(products[sku], floor, Decimal(-qty))
                        for sku, qty in what.items()
                    ],
                    reason=MovementReason.SALE,
                )

    # Thresholds last: a level already below its new threshold is marked low without an alert.
    for p in spec.products:
        if p.reorder_point is not None:
            inventory.stock_level_set_thresholds(
                business=business,
                actor=owner,
                product=products[p.sku],
                location=floor,
                reorder_point=Decimal(p.reorder_point),
                reorder_quantity=Decimal(p.reorder_quantity),
            )

    if spec.count:
        count = inventory.stock_count_start(location=back, actor=owner, note=spec.count_note)
        for sku, counted in spec.count.items():
            inventory.stock_count_set_line(
                count=count, actor=owner, product=products[sku], counted=Decimal(counted)
            )
    return True
