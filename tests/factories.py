"""factory-boy factories shared by every app's tests.

Built through the services where a service exists, so tests see the same rows
(audit, work history, default opening hours) that real use creates.
"""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress

from hanout.accounts import services as accounts
from hanout.accounts.models import Membership, User
from hanout.core.permissions import Role

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Faker("name")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"primary": True, "verified": True}
            )


_counter = iter(range(1, 10**9))


def make_business(
    name: str | None = None,
    *,
    currency="EUR",
    country="BE",
    time_zone="Europe/Brussels",
    language="en",
    owner: User | None = None,
) -> Membership:
    """A registered business; returns the owner's membership."""
    n = next(_counter)
    owner = owner or UserFactory(email=f"owner{n}@example.test", full_name=f"Owner {n}")
    store = accounts.StoreDetails(
        name=name or f"Shop {n}",
        currency=currency,
        country=country,
        time_zone=time_zone,
        shop_name=f"{name or 'Shop'} {n} main",
        language=language,
    )
    return accounts.business_register(store=store, owner=owner)


def make_member(
    owner_membership: Membership,
    *,
    role: str = Role.STAFF,
    email: str | None = None,
    code: str = "",
    pin: str = "",
    **extra,
) -> Membership:
    n = next(_counter)
    user = UserFactory(
        email=email or f"member{n}@example.test", full_name=extra.pop("full_name", f"Member {n}")
    )
    membership = accounts.employee_create(
        actor_membership=owner_membership,
        email=user.email,
        full_name=user.full_name,
        role=role,
        employee_code=code,
        pin=pin,
        send_invitation=False,
        **extra,
    )
    return (
        Membership.objects.prefetch_related("module_access")
        .select_related("business", "user")
        .get(pk=membership.pk)
    )
