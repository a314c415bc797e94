"""The business's marketplace profile: what other businesses read about it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.catalog import images
from hanout.core import audit
from hanout.core.errors import ValidationFailed
from hanout.core.models import Business
from hanout.marketplace.models import MarketProfile

ACTION_LABELS = {"market_profile.update": gettext_lazy("Changed the marketplace profile")}

LIMITS = {"bio": 2000, "address": 500}


def profile_of(business: Business) -> MarketProfile:
    """The saved profile, or an empty unsaved one."""
    return MarketProfile.objects.filter(business=business).first() or MarketProfile(
        business=business
    )


@transaction.atomic
def profile_update(
    *, business: Business, actor, data: dict[str, Any], picture=None
) -> MarketProfile:
    errors = {}
    clean = {}
    for name, limit in LIMITS.items():
        if name in data:
            value = str(data.get(name) or "").strip()
            if len(value) > limit:
                errors[name] = [_("Keep it under %(n)s characters.") % {"n": f"{limit:,}"}]
            clean[name] = value
    if errors:
        first = next(iter(errors))
        raise ValidationFailed(f"{first}: {errors[first][0]}", fields=errors)
    checked = images.check(picture) if picture is not None else None
    profile = (
        MarketProfile.objects.select_for_update(no_key=True, of=("self",))
        .filter(business=business)
        .first()
    )
    if profile is None:
        profile = MarketProfile.objects.create(business=business)
    before = audit.snapshot(profile, list(LIMITS))
    for name, value in clean.items():
        setattr(profile, name, value)
    old_picture = profile.picture.name if checked else None
    if checked:
        profile.picture.save(checked.filename, checked.content, save=False)
    changes = audit.diff(before, audit.snapshot(profile, list(LIMITS)))
    if checked:
        changes["picture"] = [old_picture or None, profile.picture.name]
    if changes:
        profile.save()
        audit.record(
            business=business,
            actor=actor,
            action="market_profile.update",
            obj=profile,
            changes=changes,
        )
        if old_picture:
            transaction.on_commit(lambda: images.delete_quietly(old_picture))
    return profile
