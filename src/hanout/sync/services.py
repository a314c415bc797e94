"""Linking a store to its hub and sending the store's records up (every write here).

Hub side: `store_link_create` (a one-time pairing code, shown once), `store_link_revoke`,
`store_pair` (the code becomes the store's key), `store_receive` (apply a batch).
Store side: `hub_link` (enter the hub's address and the code), `hub_unlink`, `push`.
The store talks to the hub over HTTP(S) with the standard library: a push runs in the
job queue or `hanout sync`, never in a page's request.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import secrets
import socket
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from hanout.core import audit, clock
from hanout.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hanout.sync import outbox, wire
from hanout.sync.backups import app_version
from hanout.sync.crypto import BackupKeyError, seal, unseal
from hanout.sync.models import HubLink, OutboxEntry, StoreLink

CODE_LIFETIME = timedelta(hours=24)
TIMEOUT = 60  # seconds the store waits for the hub to answer one batch
KEEP_CONFIRMED = 200_000  # confirmed outbox entries kept, to resend after a hub restore
PUSH_LEASE = timedelta(minutes=5)  # one push at a time per business; renewed every batch


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _code() -> str:
    # 12 characters a person can read out and type: no 0/O, 1/I/L.
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _normal_code(code: str) -> str:
    return "".join(c for c in (code or "").upper() if c.isalnum())


# --- hub ---------------------------------------------------------------------------------


@transaction.atomic
def store_link_create(*, business, name: str, actor) -> tuple[StoreLink, str]:
    """A new store link with its pairing code (returned once; only its hash is kept)."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("Give the store a name."), fields={"name": _("Required.")})
    if len(name) > 120:
        raise ValidationFailed(
            _("The name is too long (120 characters at most)."), fields={"name": _("Too long.")}
        )
    code = _code()
    link = StoreLink.objects.create(
        business=business,
        name=name,
        code_hash=_hash(_normal_code(code)),
        code_expires_at=clock.now() + CODE_LIFETIME,
        created_by=actor,
    )
    audit.record(business=business, actor=actor, action="sync.store_link_create", obj=link)
    return link, code


@transaction.atomic
def store_link_revoke(*, link: StoreLink, actor) -> StoreLink:
    """The store's key stops working at once (its next push is refused)."""
    updated = StoreLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=clock.now(), code_hash="", key_hash=None
    )
    if updated:
        audit.record(business=link.business, actor=actor, action="sync.store_link_revoke", obj=link)
    link.refresh_from_db()
    return link


@transaction.atomic
def store_pair(
    *, code: str, store_business: dict, store_version: str = ""
) -> tuple[StoreLink, str]:
    """A store presents its pairing code: the code is used up and the store gets its key."""
    normal = _normal_code(code)
    try:
        store_id = uuid.UUID(str(store_business.get("id", "")))
    except ValueError:
        raise ValidationFailed(
            _("The store did not say which business it is."), fields={"business": _("Required.")}
        ) from None
    link = (
        StoreLink.objects.select_for_update()
        .select_related("business")
        .filter(code_hash=_hash(normal), revoked_at__isnull=True, linked_at__isnull=True)
        .first()
        if normal
        else None
    )
    if link is None or link.code_expires_at is None or link.code_expires_at < clock.now():
        raise NotFound(
            _(
                "This pairing code is not valid: it was mistyped, already used or more than "
                "a day old. Make a new one on the hub."
            )
        )
    currency = str(store_business.get("currency", ""))
    if currency != link.business.currency:
        raise Conflict(
            _(
                "The store counts in %(store)s and the hub's business in %(hub)s: they cannot "
                "share their books."
            )
            % {"store": currency or "?", "hub": link.business.currency}
        )
    raw = secrets.token_urlsafe(32)
    link.key_hash = _hash(raw)
    link.code_hash = ""
    link.linked_at = clock.now()
    link.store_business_id = store_id
    link.store_business_name = str(store_business.get("name", ""))[:120]
    link.store_version = str(store_version)[:40]
    link.save()
    # The chain's master data goes down to the new store on its first sync.
    from hanout.sync.down import enqueue_down

    enqueue_down(business_id=link.business_id)
    audit.record(
        business=link.business,
        actor=None,
        action="sync.store_pair",
        obj=link,
        actor_label=link.name,
    )
    return link, raw


def store_for_key(raw: str) -> StoreLink | None:
    if not raw:
        return None
    return (
        StoreLink.objects.select_related("business")
        .filter(key_hash=_hash(raw), revoked_at__isnull=True)
        .first()
    )


def store_seen(*, link: StoreLink) -> int:
    """A store asked where the hub is: it is alive. Returns the hub's position."""
    StoreLink.objects.filter(pk=link.pk).update(last_sync_at=clock.now(), alerted_at=None)
    return StoreLink.objects.values_list("received_seq", flat=True).get(pk=link.pk)


def store_receive(*, link: StoreLink, payload: dict) -> dict:
    """Apply one batch from the store; answers how far the hub now has the store's outbox.

    A batch that starts past what the hub has (it lost some: restored from a backup) is
    refused with the hub's position, and the store resends from there. A batch that ends
    where the hub already is or before (a late copy of an older batch) is acknowledged
    without being applied, unless it is a full resend."""
    if payload.get("protocol") != wire.PROTOCOL:
        raise Conflict(_("The store and the hub run versions of Hanout that cannot sync."))
    try:
        after, upto = int(payload["after"]), int(payload["upto"])
    except (KeyError, TypeError, ValueError):
        raise ValidationFailed(_("The batch has no position.")) from None
    try:
        with transaction.atomic():
            # One batch of a store at a time (two pushes of one store at once queue here).
            link = StoreLink.objects.select_for_update().get(pk=link.pk)
            resync = bool(payload.get("resync"))
            if after > link.received_seq and not resync:
                raise ResendFrom(link.received_seq)
            if upto <= link.received_seq and not resync:
                # An older batch arriving late (held on the way, or sent by a store
                # process since killed): the hub already has a batch that ends as far,
                # built later. Applying it would put older states back: acknowledged only.
                StoreLink.objects.filter(pk=link.pk).update(
                    last_sync_at=clock.now(), alerted_at=None
                )
                return {"received_seq": link.received_seq, "written": 0}
            written = wire.apply_batch(link=link, payload=payload)
            received = max(link.received_seq, upto)
            StoreLink.objects.filter(pk=link.pk).update(
                received_seq=received,
                received_count=link.received_count + int(payload.get("entries", 0)),
                last_sync_at=clock.now(),
                last_error="",
                alerted_at=None,
            )
    except wire.BatchRefused as exc:
        StoreLink.objects.filter(pk=link.pk).update(last_error=str(exc))
        raise Conflict(str(exc), code="batch_refused") from None
    except IntegrityError as exc:
        message = _("The batch does not fit the hub's records (%(why)s).") % {
            "why": str(exc).splitlines()[0][:300]
        }
        StoreLink.objects.filter(pk=link.pk).update(last_error=message)
        raise Conflict(message, code="batch_refused") from None
    except (
        KeyError,
        TypeError,
        ValueError,
        LookupError,
        AttributeError,
        DjangoValidationError,
        DeserializationError,
    ) as exc:
        raise ValidationFailed(
            _("The batch cannot be read (%(why)s).") % {"why": str(exc)[:300]}
        ) from None
    return {"received_seq": received, "written": written}


def store_down(*, link: StoreLink, payload: dict) -> dict:
    """A store asks for the hub's changes to the chain's master data (ADR 0016), saying
    how far it applied the last batch and which rows it skipped. Answers the next batch
    (empty when the store has everything) and the store's open conflicts."""
    from hanout.sync import down
    from hanout.sync.models import SyncConflict

    try:
        applied = int(payload.get("applied", 0))
    except (TypeError, ValueError):
        raise ValidationFailed(_("The store did not say how far it applied.")) from None
    skipped = payload.get("skipped") or []
    if not isinstance(skipped, list):
        raise ValidationFailed(_("The skipped rows are a list."))
    outbox.publish(business_id=link.business_id, floor=0, limit=10_000, hub=True)
    with transaction.atomic():
        link = StoreLink.objects.select_for_update().get(pk=link.pk)
        down.acknowledge(link=link, applied=applied, skipped=skipped)
        answer = down.build_down(link=link, limit=settings.HANOUT_SYNC_BATCH)
        StoreLink.objects.filter(pk=link.pk).update(
            down_sent_seq=answer["upto"], last_sync_at=clock.now(), alerted_at=None
        )
    if answer["upto"] == answer["after"]:
        down.prune_down(business_id=link.business_id)
    answer["protocol"] = wire.PROTOCOL
    answer["conflicts"] = SyncConflict.objects.filter(link=link, settled_at__isnull=True).count()
    return answer


def conflict_settle(*, conflict, keep: str, actor):
    """The owner settles a conflict: "keep" is "store" or "hub". Keeping the value the
    rule did not choose writes it on the hub (audited as the owner's), and it goes down
    to the stores like any change made here; keeping the rule's choice only agrees. For
    a row deleted on one side and changed on the other, keeping the deletion deletes the
    row here too."""
    from django.apps import apps
    from django.db.models import ProtectedError, RestrictedError

    from hanout.sync import down
    from hanout.sync.models import SyncConflict

    if keep not in ("store", "hub"):
        raise ValidationFailed(
            _("Say which value to keep: the store's or the hub's."),
            fields={"keep": _("Choose store or hub.")},
        )
    if conflict.model.startswith("accounts.") and not _may_edit_staff(actor, conflict.business):
        raise PermissionDenied(
            _("Settling a conflict about the staff needs the right to change the staff.")
        )
    with transaction.atomic():
        conflict = SyncConflict.objects.select_for_update().get(pk=conflict.pk)
        if conflict.settled_at is not None:
            raise Conflict(_("This conflict is already settled: nothing changed."))
        model = apps.get_model(conflict.model)
        row = (
            model._base_manager.select_for_update()
            .filter(pk=conflict.row_id, business=conflict.business)
            .first()
        )
        if keep != conflict.applied:
            if conflict.field and row is None:
                raise Conflict(_("This row was deleted since: there is nothing to change."))
            if conflict.field:
                value = conflict.store_value if keep == "store" else conflict.hub_value
                _set_field(row, conflict.field, value)
                down.follow(
                    business_id=conflict.business_id,
                    touched={conflict.model: {str(row.pk)}},
                )
                audit.record(
                    business=conflict.business,
                    actor=actor,
                    action="sync.conflict_keep",
                    obj=row,
                    changes={
                        conflict.field: (
                            conflict.hub_value if keep == "store" else conflict.store_value,
                            value,
                        )
                    },
                )
            elif row is not None:
                try:
                    with transaction.atomic():
                        audit.record(
                            business=conflict.business,
                            actor=actor,
                            action="sync.conflict_delete",
                            obj=row,
                        )
                        row.delete()
                except (IntegrityError, ProtectedError, RestrictedError):
                    raise Conflict(
                        _("This row is still used (a sale or a stock movement names it): it stays.")
                    ) from None
        conflict.settled_at = clock.now()
        conflict.settled_by = actor
        conflict.kept = keep
        conflict.save(update_fields=["settled_at", "settled_by", "kept", "updated_at"])
    return conflict


def _may_edit_staff(actor, business) -> bool:
    from hanout.accounts.models import Membership
    from hanout.core.permissions import Module

    membership = Membership.objects.filter(user=actor, business=business, is_active=True).first()
    return membership is not None and membership.can_edit(Module.STAFF)


def _set_field(row, name: str, value) -> None:
    field = row._meta.get_field(name)
    if field.many_to_many:
        getattr(row, name).set(value or [])
        if any(f.name == "updated_at" for f in row._meta.fields):
            row.save(update_fields=["updated_at"])  # noted, so it travels down
        return
    try:
        setattr(row, field.attname, field.to_python(value))
        row.full_clean(exclude=[f.name for f in row._meta.fields if f.name != name])
    except DjangoValidationError as exc:
        raise ValidationFailed(
            _("The value cannot be kept: %(why)s") % {"why": " ".join(exc.messages)}
        ) from None
    # That field only: a store's batch may have changed another one of the row meanwhile.
    clock_field = ["updated_at"] if any(f.name == "updated_at" for f in row._meta.fields) else []
    row.save(update_fields=[field.attname, *clock_field])


# --- store -------------------------------------------------------------------------------


class ResendFrom(Conflict):
    """The batch starts past what the hub has: the store resends from `received_seq`."""

    code = "resend_from"

    def __init__(self, received_seq: int):
        super().__init__(
            _("The hub has this store's records up to change %(n)s only.") % {"n": received_seq}
        )
        self.received_seq = received_seq


class HubUnreachable(Exception):
    """The hub did not answer, or answered with an error (the message says which)."""


def _call(url: str, *, body: dict, key: str = "", language: str = "") -> dict:
    """POST `body` to the hub; the hub's messages come back in `language`."""
    data = wire.dumps(body)
    request = urllib.request.Request(  # noqa: S310 - _clean_url allows http(s) only
        url,
        data=data,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Accept": "application/json",
            "User-Agent": f"hanout-store/{app_version()}",
            "Accept-Language": language or translation.get_language() or "en",
            **({"Authorization": f"Store {key}"} if key else {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        try:
            answer = json.loads(exc.read() or b"{}")
        except ValueError:
            answer = {}
        answer["status"] = exc.code
        raise _HubSaid(answer) from None
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise HubUnreachable(
            _("The hub at %(url)s did not answer (%(why)s).") % {"url": url, "why": reason}
        ) from None


class _HubSaid(Exception):
    """The hub answered with an error: {"error": {"code", "message"}} (+ "received_seq")."""

    def __init__(self, answer: dict):
        error = answer.get("error") if isinstance(answer.get("error"), dict) else {}
        self.code = str(error.get("code", ""))
        self.answer = answer
        self.message = str(error.get("message") or "") or _(
            "The hub refused (HTTP %(status)s)."
        ) % {"status": answer.get("status")}
        super().__init__(self.message)


def _endpoint(hub_url: str, path: str) -> str:
    return hub_url.rstrip("/") + "/api/v1/sync/" + path


def _clean_url(hub_url: str) -> str:
    url = (hub_url or "").strip()
    if not url.startswith(("https://", "http://")):
        raise ValidationFailed(
            _("Type the hub's address, starting with https://"),
            fields={"hub_url": _("Not an address.")},
        )
    if url.startswith("http://") and not (settings.DEBUG or settings.HANOUT_SYNC_ALLOW_HTTP):
        raise ValidationFailed(
            _("The hub's address must start with https:// (the store's records travel on it)."),
            fields={"hub_url": _("Use https://")},
        )
    return url.rstrip("/")


def hub_link(*, business, hub_url: str, code: str, actor) -> HubLink:
    """Pair this store with a hub: present the code, keep the key, note every record."""
    url = _clean_url(hub_url)
    if HubLink.objects.filter(business=business, unlinked_at__isnull=True).exists():
        raise Conflict(_("This store is already linked to a hub. Unlink it first."))
    if not _normal_code(code):
        raise ValidationFailed(
            _("Type the pairing code the hub gave you."), fields={"code": _("Required.")}
        )
    try:
        answer = _call(
            _endpoint(url, "pair/"),
            body={
                "code": code,
                "store_version": app_version(),
                "business": {
                    "id": str(business.pk),
                    "name": business.name,
                    "currency": business.currency,
                },
            },
        )
    except _HubSaid as exc:
        raise ValidationFailed(exc.message, fields={"code": exc.message}) from None
    except HubUnreachable as exc:
        raise ValidationFailed(str(exc), fields={"hub_url": str(exc)}) from None
    try:
        link_id, hub_business = uuid.UUID(str(answer["link"])), answer["business"]
        hub_business_id, key = uuid.UUID(str(hub_business["id"])), str(answer["key"])
    except (KeyError, TypeError, ValueError):
        # Its code is used up: a new one is needed once the address is right.
        message = _("The address answered, but not as a Hanout hub does: check the address.")
        raise ValidationFailed(message, fields={"hub_url": message}) from None
    with transaction.atomic():
        # A former link's row goes; the tombstones it kept noting stay in the outbox and
        # travel first (enqueue_all notes them again before the rows).
        HubLink.objects.filter(business=business).delete()
        link = HubLink.objects.create(
            business=business,
            hub_url=url,
            link_id=link_id,
            hub_business_id=hub_business_id,
            hub_business_name=str(hub_business.get("name", ""))[:120],
            sealed_key=seal(key),
            linked_by=actor,
            linked_at=clock.now(),
        )
        outbox.ensure_triggers()
        outbox.enqueue_all(business_id=business.pk)
        audit.record(business=business, actor=actor, action="sync.hub_link", obj=link)
    return link


@transaction.atomic
def hub_unlink(*, business, actor) -> None:
    """Stop sending to the hub (the hub keeps what it has). What waits is dropped, but
    the tombstones are kept, and deletions made from now on are still noted: linked
    again (to this hub or another), the store tells the hub which rows are gone."""
    link = HubLink.objects.filter(business=business, unlinked_at__isnull=True).first()
    if link is None:
        return
    audit.record(business=business, actor=actor, action="sync.hub_unlink", obj=link)
    HubLink.objects.filter(pk=link.pk).update(
        unlinked_at=clock.now(),
        sealed_key="",
        sent_seq=0,
        pruned_seq=0,
        push_holder="",
        push_until=None,
        last_error="",
        failing_since=None,
    )
    entries = OutboxEntry.objects.filter(business_id=business.pk)
    entries.exclude(op="d").delete()
    entries.update(pos=None)  # published again, for the next link


def _holder() -> str:
    return f"{socket.gethostname()} {os.getpid()} {secrets.token_hex(6)}"


def _alive(holder: str) -> bool:
    """Whether the process named by a push lease may still run: one of this machine is
    asked (a push killed mid-batch must not block the next for minutes); one of another
    machine is trusted until its lease ends."""
    host, _sep, rest = holder.partition(" ")
    if host != socket.gethostname() or os.name != "posix":
        return True
    try:
        os.kill(int(rest.split(" ", 1)[0]), 0)
    except ProcessLookupError:
        return False
    except (ValueError, OSError):
        return True
    return True


def _lease_take(link: HubLink, holder: str) -> bool:
    """Take the business's push lease: a conditional UPDATE of the link's row, atomic on
    both databases, so two processes (the job queue, `hanout sync push`) never push the
    same business at once."""
    from django.db.models import Q

    now = clock.now()
    free = Q(push_holder="") | Q(push_until__isnull=True) | Q(push_until__lt=now)
    rows = HubLink.objects.filter(pk=link.pk, unlinked_at__isnull=True)
    if rows.filter(free).update(push_holder=holder, push_until=now + PUSH_LEASE):
        return True
    current = rows.values_list("push_holder", flat=True).first()
    if current and not _alive(current):
        # Its holder was killed: taken over, unless another process did it first.
        return bool(
            rows.filter(push_holder=current).update(push_holder=holder, push_until=now + PUSH_LEASE)
        )
    return False


def _lease_renew(link: HubLink, holder: str) -> None:
    if not HubLink.objects.filter(pk=link.pk, push_holder=holder).update(
        push_until=clock.now() + PUSH_LEASE
    ):
        raise HubUnreachable(_("A sync with the hub is already running."))


def _lease_release(link: HubLink, holder: str) -> None:
    HubLink.objects.filter(pk=link.pk, push_holder=holder).update(push_holder="", push_until=None)


def push(*, business, batch: int | None = None) -> dict:
    """Send everything waiting, batch after batch; returns {"sent": entries}. Raises
    HubUnreachable with the reason in words (also kept on the link for its page)."""
    link = HubLink.objects.filter(business=business, unlinked_at__isnull=True).first()
    if link is None:
        raise NotFound(_("This store is not linked to a hub."))
    holder = _holder()
    if not _lease_take(link, holder):
        raise HubUnreachable(_("A sync with the hub is already running."))
    try:
        return _push(link, business, batch or settings.HANOUT_SYNC_BATCH, holder)
    finally:
        _lease_release(link, holder)


def _push(link: HubLink, business, batch: int, holder: str) -> dict:
    try:
        key = unseal(link.sealed_key)
    except BackupKeyError as exc:
        _failed(link, str(exc))
        raise HubUnreachable(str(exc)) from None
    # The hub's words (a refused batch) in the language this push reports in: the
    # reader's for "Sync now", else the business's (the scheduled job, `hanout sync`).
    language = translation.get_language() or business.default_language or "en"
    HubLink.objects.filter(pk=link.pk).update(last_attempt_at=clock.now())
    try:
        # Where the hub is: it may have less than we think (restored from a backup), or
        # more (a batch applied whose answer was lost; this store restored).
        answer = _call(_endpoint(link.hub_url, "status/"), body={}, key=key, language=language)
        try:
            hub_seq = int(answer["received_seq"])
        except (KeyError, TypeError, ValueError):
            raise HubUnreachable(
                _("The hub at %(url)s answered, but not as a Hanout hub does.")
                % {"url": link.hub_url}
            ) from None
        resync = hub_seq < link.sent_seq and _rewind(link, hub_seq)
        if hub_seq > link.sent_seq:
            _republish(link, hub_seq)
        sent = 0
        while True:
            _lease_renew(link, holder)
            outbox.publish(business_id=business.pk, floor=link.sent_seq, limit=batch)
            payload = wire.build_batch(
                business=business, after=link.sent_seq, limit=batch, own=link.link_id
            )
            if payload is None:
                break
            if resync:
                # The outbox no longer holds what the hub lacks: everything was noted
                # again after it, and this batch starts the full resend.
                payload["after"], payload["resync"] = hub_seq, True
                resync = False
            _call(_endpoint(link.hub_url, "push/"), body=payload, key=key, language=language)
            link.sent_seq = int(payload["upto"])
            link.sent_count += payload["entries"]
            sent += payload["entries"]
            if not HubLink.objects.filter(pk=link.pk, push_holder=holder).update(
                sent_seq=link.sent_seq, sent_count=link.sent_count
            ):
                raise HubUnreachable(_("A sync with the hub is already running."))
        # Then the hub's changes come down (the store's own went up first: ADR 0016).
        received = _pull(link, key, language, holder)
    except _HubSaid as exc:
        _failed(link, exc.message)
        raise HubUnreachable(exc.message) from None
    except HubUnreachable as exc:
        _failed(link, str(exc))
        raise
    except DatabaseError as exc:
        # Applying the hub's changes here failed (rolled back): said on the page, and the
        # next sync tries again.
        message = _("The hub's changes could not be applied here: %(why)s") % {
            "why": str(exc).splitlines()[0][:300]
        }
        _failed(link, message)
        raise HubUnreachable(message) from None
    HubLink.objects.filter(pk=link.pk).update(
        last_success_at=clock.now(), last_error="", failing_since=None, alerted_at=None
    )
    cutoff = link.sent_seq - KEEP_CONFIRMED
    if cutoff > link.pruned_seq:
        outbox.prune(business_id=business.pk, upto=cutoff)
        HubLink.objects.filter(pk=link.pk).update(pruned_seq=cutoff)
    return {"sent": sent, "received": received}


def _pull(link: HubLink, key: str, language: str, holder: str) -> int:
    """Ask the hub for its changes until it has none left; each call acknowledges the
    batch applied before it. Returns how many rows were applied here."""
    from hanout.sync import down

    link.refresh_from_db(fields=["down_seq", "down_skipped"])
    applied, skipped, received = link.down_seq, list(link.down_skipped or []), 0
    while True:
        _lease_renew(link, holder)
        try:
            answer = _call(
                _endpoint(link.hub_url, "down/"),
                body={"protocol": wire.PROTOCOL, "applied": applied, "skipped": skipped},
                key=key,
                language=language,
            )
        except _HubSaid as exc:
            if exc.answer.get("status") == 404:
                return received  # a hub of an older Hanout: it sends nothing down
            raise
        try:
            after, upto = int(answer["after"]), int(answer["upto"])
            conflicts = int(answer.get("conflicts") or 0)
        except (KeyError, TypeError, ValueError):
            raise HubUnreachable(
                _("The hub at %(url)s answered, but not as a Hanout hub does.")
                % {"url": link.hub_url}
            ) from None
        HubLink.objects.filter(pk=link.pk).update(hub_conflicts=conflicts)
        if upto <= after:
            # Nothing new: the hub has our acknowledgement (or, restored, starts over).
            HubLink.objects.filter(pk=link.pk).update(down_seq=after, down_skipped=[])
            return received
        skipped = down.apply_down(link=link, payload=answer)
        received += len(answer.get("records", [])) + len(answer.get("deleted", []))
        applied = upto


def _rewind(link: HubLink, hub_seq: int) -> bool:
    """The hub has the store's changes up to `hub_seq` only: send again from there. When
    the outbox no longer reaches back that far (pruned past it), note every row again
    and every deletion it remembers (the hub skips what it has) and return True: the
    next batch is a full resend."""
    from django.db.models import Max

    lossy = hub_seq < link.pruned_seq
    if lossy:
        with transaction.atomic():
            outbox.enqueue_all(business_id=link.business_id)
        top = OutboxEntry.objects.filter(business_id=link.business_id).aggregate(m=Max("pos"))
        position = max(top["m"] or 0, link.sent_seq)  # only the fresh, complete notes go
    else:
        position = hub_seq
    link.sent_seq = position
    HubLink.objects.filter(pk=link.pk).update(sent_seq=position)
    return lossy


def _republish(link: HubLink, hub_seq: int) -> None:
    """The hub has more than this store knows: a batch it applied whose answer was lost,
    or this store restored from a backup (its new changes would reuse positions the hub
    already has, and the hub skips a batch ending where it already is). What was
    published past the store's confirmed position is published again, above the hub's."""
    with transaction.atomic():
        HubLink.objects.select_for_update().filter(pk=link.pk).update(sent_seq=hub_seq)
        OutboxEntry.objects.filter(business_id=link.business_id, pos__gt=link.sent_seq).update(
            pos=None
        )
    link.sent_seq = hub_seq


def _failed(link: HubLink, message: str) -> None:
    now = clock.now()
    HubLink.objects.filter(pk=link.pk).update(last_error=message[:2000], last_attempt_at=now)
    HubLink.objects.filter(pk=link.pk, failing_since__isnull=True).update(failing_since=now)


# --- both sides: silences -----------------------------------------------------------------

SILENCE = timedelta(days=1)


def linked_businesses():
    """The businesses of this server that send to a hub."""
    from hanout.core.models import Business

    return Business.objects.filter(
        pk__in=HubLink.objects.filter(unlinked_at__isnull=True).values("business_id")
    )


def _tell_owners(business, kind: str, title, body, link: str) -> None:
    from hanout.core.permissions import Module
    from hanout.notifications.services import notify_members

    notify_members(
        business=business,
        allowed=lambda member: member.can_edit(Module.SETTINGS),
        kind=kind,
        title=title,
        body=body,
        link=link,
    )


def silence_alerts() -> int:
    """Tell the owners, once per silence, of a store that has not synced for a day: on the
    store (the hub did not answer) and on the hub (the store did not call)."""
    from django.urls import reverse

    now = clock.now()
    told = 0
    for link in HubLink.objects.select_related("business").filter(
        alerted_at__isnull=True, unlinked_at__isnull=True
    ):
        since = link.failing_since or (None if link.last_success_at else link.linked_at)
        if since is None or now - since < SILENCE:
            continue
        with transaction.atomic():
            if not HubLink.objects.filter(pk=link.pk, alerted_at__isnull=True).update(
                alerted_at=now
            ):
                continue
            error = link.last_error
            _tell_owners(
                link.business,
                "sync.store_silent",
                lambda: _("This store has not synced with its hub for a day"),
                lambda error=error: (
                    _(
                        "Sales are kept here and will be sent when the hub answers. Last problem: "
                        "%(error)s"
                    )
                    % {"error": error or "—"}
                ),
                reverse("sync_status"),
            )
            told += 1
    quiet = StoreLink.objects.select_related("business").filter(
        linked_at__isnull=False, revoked_at__isnull=True, alerted_at__isnull=True
    )
    for link in quiet:
        last = link.last_sync_at or link.linked_at
        if now - last < SILENCE:
            continue
        with transaction.atomic():
            if not StoreLink.objects.filter(pk=link.pk, alerted_at__isnull=True).update(
                alerted_at=now
            ):
                continue
            name = link.name
            _tell_owners(
                link.business,
                "sync.hub_store_silent",
                lambda name=name: _("%(store)s has not synced for a day") % {"store": name},
                lambda: _(
                    "The store server has not called the hub: it may be switched off or "
                    "without internet. Its sales are kept there and arrive when it calls again."
                ),
                reverse("sync_status") + "#stores",
            )
            told += 1
    return told
