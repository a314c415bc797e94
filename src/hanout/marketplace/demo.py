"""Demo data for the marketplace (for hanout.demo.load_demo; idempotent).

Buying needs a trading partner in the same currency, so each demo business gets
one neighbour on the marketplace (registered like any store, with an owner who
can sign in too): Boulangerie Kaching trades with "Brasserie du Marché" in euros,
Alma7al with "Dar Souk" in dirhams. A platform administrator
(operator@hanout.example) approves the deposits, and leaves one deposit pending
so that the administrators' queue is not empty.

The story for each: both wallets funded; the business sells some of a surplus lot
(delivered, confirmed, paid), buys a lot from its neighbour after an accepted
offer (paid, waiting for delivery), has an offer out on another of the
neighbour's items, and has received an offer on its own equipment.
"""

from __future__ import annotations

from django.db import transaction

from hanout.core.permissions import Role

OPERATOR_EMAIL = "operator@hanout.example"
PASSWORD = "hanout-demo"

PARTNERS = {
    "Boulangerie Kaching": {
        "store": {
            "name": "Brasserie du Marché",
            "currency": "EUR",
            "country": "BE",
            "time_zone": "Europe/Brussels",
            "shop_name": "Brasserie du Marché",
            "language": "fr",
        },
        "owner": ("patron@brasserie-marche.example", "Luc Marchal"),
        "bio": "Brasserie familiale sur la place du marché depuis 1987.",
        "own": [
            (
                "Farine T65 – sacs de 25 kg",
                "surplus",
                "18.00",
                10,
                "Commande en trop, date longue.",
            ),
            (
                "Four à pain d'occasion",
                "equipment",
                "1200.00",
                1,
                "Four à sole, révisé l'an dernier.",
            ),
            ("Vitrine réfrigérée 1,2 m", "equipment", "450.00", 1, ""),
        ],
        "theirs": [
            (
                "Chaises de terrasse (lot)",
                "furniture",
                "25.00",
                12,
                "Chaises en aluminium empilables.",
            ),
            ("Machine à café 2 groupes", "equipment", "900.00", 1, "Détartrée, joints neufs."),
        ],
    },
    "Alma7al": {
        "store": {
            "name": "Dar Souk",
            "currency": "MAD",
            "country": "MA",
            "time_zone": "Africa/Casablanca",
            "shop_name": "Dar Souk",
            "language": "ar",
        },
        "owner": ("mol.lhanout@darsouk.example", "يوسف العلوي"),
        "bio": "متجر عائلي في قلب المدينة القديمة.",
        "own": [
            ("زيت الزيتون – صناديق", "surplus", "60.00", 10, "فائض من الموسم."),
            ("ميزان إلكتروني", "equipment", "1500.00", 1, "يعمل جيدا."),
            ("رفوف معدنية", "furniture", "300.00", 4, ""),
        ],
        "theirs": [
            ("أكياس السكر (دفعة)", "wholesale", "40.00", 20, "سكر أبيض، أكياس 5 كغ."),
            ("ثلاجة عرض", "equipment", "4000.00", 1, "مستعملة سنتين."),
        ],
    },
}


def _verified_user(email: str, name: str, language: str = "en", **extra):
    """A user who can sign in at once (the demo's addresses need no verification)."""
    from allauth.account.models import EmailAddress

    from hanout.accounts.models import User

    user = User.objects.create_user(
        email=email, password=PASSWORD, full_name=name, language=language, **extra
    )
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


OPERATORS_GROUP = "Marketplace operators"
OPERATOR_PERMISSIONS = {
    "marketterms": ("add", "change", "view"),
    "wallet": ("view",),
    "walletentry": ("view",),
    "walletrequest": ("view",),
}


def _operators_group():
    """A group that may set the marketplace terms and read the wallets in Django admin
    (staff status alone opens the admin with nothing in it)."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name=OPERATORS_GROUP)
    wanted = [
        f"{action}_{model}" for model, actions in OPERATOR_PERMISSIONS.items() for action in actions
    ]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="marketplace", codename__in=wanted)
    )
    return group


def _operator():
    from hanout.accounts.models import User

    user = User.objects.filter(email=OPERATOR_EMAIL).first()
    user = user or _verified_user(OPERATOR_EMAIL, "Hanout operator", is_staff=True)
    user.groups.add(_operators_group())
    return user


def _partner(spec):
    from hanout.accounts import services as accounts
    from hanout.accounts.models import Membership, User
    from hanout.core.models import Business

    found = Business.objects.filter(name=spec["store"]["name"]).first()
    if found is not None:
        return found, Membership.objects.get(business=found, role=Role.OWNER).user
    email, name = spec["owner"]
    owner = User.objects.filter(email=email).first() or _verified_user(
        email, name, spec["store"]["language"]
    )
    membership = accounts.business_register(
        store=accounts.StoreDetails(**spec["store"]), owner=owner
    )
    return membership.business, owner


def _fund(business, actor, amount, operator, reference):
    from hanout.marketplace import services_wallet as wallet

    request = wallet.deposit_request(
        business=business, actor=actor, amount=amount, reference=reference
    )
    wallet.request_approve(request=request, admin=operator)


ICONS = {"surplus": "sack", "wholesale": "sack", "equipment": "appliance", "furniture": "bar"}
COLOURS = [(233, 196, 106), (42, 157, 143), (231, 111, 81), (38, 70, 83)]


def _list(business, actor, rows, *, publish=True):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hanout.demo_images import product_picture
    from hanout.marketplace import services_listings as listings

    out = []
    for i, (name, cat, price, qty, text) in enumerate(rows):
        listing = listings.listing_create(
            business=business,
            actor=actor,
            data={
                "name": name,
                "category": cat,
                "price": price,
                "quantity": qty,
                "description": text,
            },
            publish=publish,
        )
        picture = product_picture(
            name, icon=ICONS.get(cat, "bar"), colour=COLOURS[i % len(COLOURS)]
        )
        upload = SimpleUploadedFile(f"listing-{i + 1}.png", picture, content_type="image/png")
        listings.listing_add_image(listing=listing, actor=actor, upload=upload)
        out.append(listing)
    return out


def _profile_picture(business):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hanout.demo_images import product_picture

    icon = "loaf" if business.currency == "EUR" else "sack"
    picture = product_picture(business.name, icon=icon, colour=(236, 226, 205))
    return SimpleUploadedFile("profile.png", picture, content_type="image/png")


def load(business, spec) -> None:
    from hanout.accounts.models import Membership
    from hanout.marketplace import services_profile as profiles
    from hanout.marketplace import services_trade as trade
    from hanout.marketplace import services_wallet as wallet
    from hanout.marketplace.models import Listing

    partner_spec = PARTNERS.get(business.name)
    if partner_spec is None or Listing.objects.filter(business=business).exists():
        return
    owner = Membership.objects.get(business=business, role=Role.OWNER).user
    with transaction.atomic():
        operator = _operator()
        partner, partner_owner = _partner(partner_spec)
        big = "20000" if business.currency == "MAD" else "2000"
        _fund(business, owner, big, operator, "VIR-0001")
        _fund(partner, partner_owner, big, operator, "VIR-0002")
        wallet.deposit_request(business=business, actor=owner, amount="150", reference="VIR-0003")
        profiles.profile_update(
            business=partner, actor=partner_owner, data={"bio": partner_spec["bio"]}
        )
        # The business's own profile picture: its name on a tile, as a shop would upload.
        profiles.profile_update(
            business=business, actor=owner, data={}, picture=_profile_picture(business)
        )

        surplus, equipment, _showcase = _list(business, owner, partner_spec["own"])
        lot, machine = _list(partner, partner_owner, partner_spec["theirs"])

        # The neighbour buys 3 of the surplus lot: delivered, confirmed, paid.
        sold = trade.buy_now(business=partner, actor=partner_owner, listing=surplus, quantity=3)
        trade.purchase_deliver(purchase=sold, business=business, actor=owner)
        trade.purchase_confirm(purchase=sold, business=partner, actor=partner_owner)
        # The business offers less for 4 of the neighbour's lot; accepted: paid, not delivered yet.
        offer = trade.offer_make(
            business=business, actor=owner, listing=lot, unit_price=lot.price * 9 / 10, quantity=4
        )
        trade.offer_accept(offer=offer, business=partner, actor=partner_owner)
        # An offer out on the neighbour's machine, and one received on the business's equipment.
        trade.offer_make(
            business=business, actor=owner, listing=machine, unit_price=machine.price * 8 / 10
        )
        trade.offer_make(
            business=partner,
            actor=partner_owner,
            listing=equipment,
            unit_price=equipment.price * 85 / 100,
        )
