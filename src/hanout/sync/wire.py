"""What a batch holds, and how the hub applies it.

A batch is JSON: the records (Django's "python" serialization: model, pk, fields with
foreign keys as ids) in outbox order, the tombstones, and the people the records name
(who sold, who opened the drawer). The store reads each row's state when it builds the
batch, so a row changed ten times since the last push travels once.

The hub applies a batch in one transaction:

1. translate ids: the store's business becomes the hub's; a person is the hub's person
   with that id, else with that email, else a new account without a password; a master
   row that is the same thing as a hub row (same unique fields: the owner's membership,
   a product with the same SKU, a barcode) takes the hub row's id, remembered in IdMap;
2. refuse the whole batch if a row, or a row it points to, belongs to another business;
3. insert the rows the hub lacks, update the master rows it has (facts are never
   rewritten: their id makes them idempotent), delete the tombstoned ones;
4. bring the hub's derived data up to date: search rows of the products, category
   counts, and the daily report tables of the days the sales fell on.
"""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
import zoneinfo
from collections import defaultdict

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core import serializers
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from hanout.core import clock
from hanout.sync import conflicts
from hanout.sync.models import IdMap, OutboxEntry
from hanout.sync.outbox import DOWN, FACTS, MASTER, SYNCED, model_for_table

PROTOCOL = 1


class BatchRefused(Exception):
    """The hub will not apply this batch (the message says why, for the store's page)."""


class _Encoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.date | datetime.time):
            return o.isoformat()  # full precision (DjangoJSONEncoder cuts microseconds)
        if isinstance(o, decimal.Decimal | uuid.UUID):
            return str(o)
        return super().default(o)


def dumps(payload) -> bytes:
    return json.dumps(payload, cls=_Encoder, separators=(",", ":")).encode()


# --- the store: build a batch -----------------------------------------------------------


def build_batch(*, business, after: int, limit: int, own=None) -> dict | None:
    """The next batch of the business's outbox after position `after` (the published
    entries, `outbox.publish`); None when nothing published waits. `own`: the hub link's
    id, the origin of the changes the hub itself sent (they do not go back)."""
    entries = list(
        OutboxEntry.objects.filter(business_id=business.pk, pos__gt=after)
        .order_by("pos")
        .values_list("pos", "table_name", "row_id", "op", "origin")[:limit]
    )
    if not entries:
        return None
    last_op: dict[tuple[str, uuid.UUID], str] = {}
    order: list[tuple[str, uuid.UUID]] = []
    for _seq, table, row_id, op, origin in entries:
        if origin is not None and origin == own:
            continue  # written while applying the hub's changes: the hub has them
        key = (table, row_id)
        if key not in last_op:
            order.append(key)
        last_op[key] = op
    by_table: dict[str, list[uuid.UUID]] = defaultdict(list)
    for table, row_id in order:
        by_table[table].append(row_id)
    rows: dict[tuple[str, str], dict] = {}
    for table, ids in by_table.items():
        model = model_for_table(table)
        if model is None:
            continue
        queryset = model._base_manager.filter(pk__in=ids)
        if model._meta.many_to_many:
            queryset = queryset.prefetch_related(*(f.name for f in model._meta.many_to_many))
        for record in serializers.serialize("python", queryset):
            rows[(table, str(record["pk"]))] = record
    records, deleted, people = [], [], set()
    for table, row_id in order:
        model = model_for_table(table)
        if model is None:
            continue
        record = rows.get((table, str(row_id)))
        if last_op[(table, row_id)] == "d" or record is None:
            # Deleted (or deleted since it was noted): the hub deletes it too.
            deleted.append({"model": model._meta.label_lower, "pk": str(row_id)})
            continue
        records.append(record)
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is _user_model():
                value = record["fields"].get(field.name)
                if value:
                    people.add(str(value))
    records = _parents_first(business, records, upto=entries[-1][0], own=own) + records
    user_model = _user_model()
    return {
        "levels": _levels_of(records),
        "protocol": PROTOCOL,
        "after": after,
        "upto": entries[-1][0],
        "entries": len(entries),
        "business": {
            "id": str(business.pk),
            "name": business.name,
            "currency": business.currency,
        },
        "people": [
            {"id": str(u.pk), "email": u.email, "full_name": u.full_name, "phone": u.phone}
            for u in user_model.objects.filter(pk__in=people)
        ],
        "records": records,
        "deleted": deleted,
    }


def _parents_first(business, records: list[dict], *, upto: int, own=None) -> list[dict]:
    """The rows the batch's rows point to that the hub would only get in a later batch.

    A row travels at its first place in the outbox in its current state: a product noted
    early and moved since into a category made later points to a row not sent yet. Those
    rows come along now (again later: the hub's apply is idempotent), their parents too."""
    synced = {apps.get_model(label) for label in SYNCED}
    have = {(r["model"], str(r["pk"])) for r in records}
    pending, out = records, []
    for _depth in range(5):
        wanted: dict = defaultdict(set)
        for record in pending:
            model = apps.get_model(record["model"])
            for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
                target = field.related_model
                if not field.is_relation or target not in synced or field.name == "business":
                    continue
                value = record["fields"].get(field.name)
                for one in value if isinstance(value, list) else [value]:
                    if one and (target._meta.label_lower, str(one)) not in have:
                        wanted[target].add(str(one))
        found = []
        for model, ids in wanted.items():
            # Noted, but never at a position up to this batch's end (published later, or
            # waiting to be): the hub would get it in a later batch only.
            noted, sent = set(), set()
            noted_here = OutboxEntry.objects.filter(
                business_id=business.pk, table_name=model._meta.db_table, row_id__in=ids
            )
            if own is not None:
                # A row the hub sent has no need to go back (`exclude` keeps null origins).
                noted_here = noted_here.filter(Q(origin__isnull=True) | ~Q(origin=own))
            for row_id, pos in noted_here.values_list("row_id", "pos"):
                noted.add(row_id)
                if pos is not None and pos <= upto:
                    sent.add(row_id)
            later = list(noted - sent)
            if later:
                queryset = model._base_manager.filter(pk__in=later)
                if model._meta.many_to_many:
                    queryset = queryset.prefetch_related(
                        *(f.name for f in model._meta.many_to_many)
                    )
                found += serializers.serialize("python", queryset)
        if not found:
            break
        have |= {(r["model"], str(r["pk"])) for r in found}
        out = found + out
        pending = found
    return out


def _levels_of(records: list[dict]) -> list[list[str]]:
    """[product, location, level id] for the stock movements of the batch: a movement may
    travel a batch ahead of the new level row written in its transaction; the hub then
    makes that row under this id, so its level is the sum of the movements at once."""
    from hanout.inventory.models import StockLevel

    pairs = {
        (r["fields"]["product"], r["fields"]["location"])
        for r in records
        if r["model"] == "inventory.stockmovement"
    }
    if not pairs:
        return []
    products = {p for p, _ in pairs}
    rows = StockLevel.objects.filter(product_id__in=products).values_list(
        "product_id", "location_id", "pk"
    )
    return [[str(p), str(loc), str(pk)] for p, loc, pk in rows if (str(p), str(loc)) in pairs]


def _user_model():
    from django.contrib.auth import get_user_model

    return get_user_model()


# --- the hub: apply a batch -------------------------------------------------------------


_MASTER = {label.lower() for label in MASTER}
_FACTS = {label.lower() for label in FACTS}
_KNOWN = _MASTER | _FACTS
_DOWN = {label.lower() for label in DOWN}


# When a store's master row *is* a hub row under another id: the same person's membership,
# the same SKU, barcode, tag, category (same name under the same parent), supplier,
# customer card, built-in expense category. `where`: both rows must match it too.
# Other unique fields (a shop's or register's name, an employee code) that collide are
# two different things with one name: the batch is refused and the message says which.
IDENTITY: dict[str, list[tuple[tuple[str, ...], dict]]] = {
    "accounts.membership": [(("business", "user"), {})],
    "accounts.moduleaccess": [(("membership", "module"), {})],
    "catalog.category": [(("business", "parent", "name"), {})],
    "catalog.tag": [(("business", "name"), {})],
    "catalog.product": [(("business", "sku"), {})],
    "catalog.barcode": [(("business", "code", "product"), {})],
    "suppliers.supplier": [(("business", "name"), {})],
    "suppliers.supplierproduct": [(("supplier", "product"), {})],
    "customers.customer": [(("business", "card_code"), {})],
    "expenses.expensecategory": [
        (("business", "builtin"), {}),
        (("business", "name"), {"builtin": ""}),
    ],
}


class _Applier:
    def __init__(self, link, payload: dict):
        self.link = link
        self.business_id = link.business_id
        self.payload = payload
        self.store_business = uuid.UUID(payload["business"]["id"])
        self.maps: dict[str, dict[str, str]] = defaultdict(dict)
        for model, store_id, hub_id in IdMap.objects.filter(link=link).values_list(
            "model", "store_id", "hub_id"
        ):
            self.maps[model][str(store_id)] = str(hub_id)
        self.touched: dict[str, set[str]] = defaultdict(set)
        # Master rows whose hub values differ from what the store sent (the hub's change
        # won): noted again after the batch, so they go down to this store too.
        self.down_again: set[tuple[str, str]] = set()
        self.bases: dict[tuple[str, str], dict] = {}
        self.clashes: list = []
        self.matched: set[tuple[str, str]] = set()  # store rows found to be hub rows
        self.referenced: set[tuple[str, str]] = set()
        self.revived: set[tuple[str, str]] = set()

    # ids ------------------------------------------------------------------------------

    def _remember(self, label: str, store_id: str, hub_id: str) -> None:
        if store_id == hub_id or self.maps[label].get(store_id) == hub_id:
            return
        self.maps[label][store_id] = hub_id
        IdMap.objects.update_or_create(
            link=self.link,
            model=label,
            store_id=store_id,
            defaults={"hub_id": hub_id},
        )

    def _people(self) -> None:
        """The hub's person for each person the batch names. Only this business's people
        are candidates (its members, by id or by email): a store never reaches, nor
        joins to its business, an account of someone else on a shared hub — that person
        becomes a new account here, without a password."""
        from hanout.accounts.models import Membership
        from hanout.core.ids import uuid7

        user_model = _user_model()
        label = user_model._meta.label_lower
        members = {
            str(pk)
            for pk in Membership.objects.filter(business_id=self.business_id).values_list(
                "user_id", flat=True
            )
        }
        for person in self.payload.get("people", []):
            store_id = str(person["id"])
            if store_id in self.maps[label]:
                continue
            email = (person.get("email") or "").strip()
            taken = user_model.objects.filter(pk=store_id).exists()
            if taken and store_id in members:
                continue
            same = (
                user_model.objects.filter(email__iexact=email, pk__in=members).first()
                if email
                else None
            )
            if same is not None:
                self._remember(label, store_id, str(same.pk))
                continue
            # A free id keeps the store's; an id taken by someone else's account gets a
            # new one here (the batch's rows are translated to it).
            hub_id = str(uuid7()) if taken else store_id
            if email and user_model.objects.filter(email__iexact=email).exists():
                email = ""  # someone else's address on this hub: not given to this person
            user_model.objects.create(
                id=hub_id,
                email=email or f"{hub_id}@store.invalid",
                full_name=person.get("full_name", "")[:150],
                phone=person.get("phone", "")[:32],
                password=make_password(None),
            )
            # Remembered even under the same id: this account is this store's person.
            self.maps[label][store_id] = hub_id
            IdMap.objects.create(link=self.link, model=label, store_id=store_id, hub_id=hub_id)

    def _translate(self, record: dict, model) -> dict:
        fields = dict(record["fields"])
        for field in model._meta.concrete_fields:
            if not field.is_relation or field.name not in fields:
                continue
            value = fields[field.name]
            if value is None:
                continue
            if field.name == "business" or field.related_model._meta.label == "core.Business":
                if str(value) != str(self.store_business):
                    # A store writes its own business's rows, never another's.
                    raise BatchRefused(_("The batch names a business other than the store's."))
                fields[field.name] = str(self.business_id)
                continue
            target = field.related_model._meta.label_lower
            fields[field.name] = self.maps[target].get(str(value), value)
        for field in model._meta.many_to_many:
            if field.name in fields:
                target = field.related_model._meta.label_lower
                fields[field.name] = [self.maps[target].get(str(v), v) for v in fields[field.name]]
        label = model._meta.label_lower
        pk = self.maps[label].get(str(record["pk"]), str(record["pk"]))
        return {"model": label, "pk": pk, "fields": fields}

    def _match(self, model, record: dict) -> str | None:
        """The hub row that is this master row under another id (see IDENTITY)."""
        fields = record["fields"]
        for key, where in IDENTITY.get(model._meta.label_lower, []):
            if any(fields.get(name) != value for name, value in where.items()):
                continue
            values = dict(where)
            for name in key:
                field = model._meta.get_field(name)
                value = fields.get(name)
                if value == "" or (value is None and name != "parent"):
                    break
                values[field.attname] = value
            else:
                found = (
                    model._base_manager.filter(**values)
                    .exclude(pk=record["pk"])
                    .values_list("pk", flat=True)
                    .first()
                )
                if found is not None:
                    return str(found)
        return None

    def _make_room(self, label: str, objs: list) -> None:
        """Names that are the hub's own: a store's employee whose code another person has
        on the hub arrives without a code there (the hub's owner gives one); a store's
        shop named like a hub shop takes the store's name after it."""
        if label == "accounts.membership":
            from hanout.accounts.models import Membership

            for obj in objs:
                if obj.employee_code and (
                    Membership.objects.filter(
                        business_id=self.business_id, employee_code=obj.employee_code
                    )
                    .exclude(pk=obj.pk)
                    .exists()
                ):
                    obj.employee_code = ""
        elif label == "core.shop":
            from hanout.core.models import Shop

            for obj in objs:
                if (
                    Shop.objects.filter(business_id=self.business_id, name=obj.name)
                    .exclude(pk=obj.pk)
                    .exists()
                ):
                    obj.name = f"{obj.name} ({self.link.name})"[
                        : Shop._meta.get_field("name").max_length
                    ]

    def _collision(self, model, items) -> str:
        """Words for the unique field a row of `items` shares with another hub row."""
        for item in items:
            obj = item.object
            for constraint in model._meta.constraints:
                names = getattr(constraint, "fields", ())
                if not isinstance(constraint, models.UniqueConstraint) or not names:
                    continue
                values = {
                    model._meta.get_field(n).attname: getattr(obj, model._meta.get_field(n).attname)
                    for n in names
                }
                if any(v in ("", None) for v in values.values()):
                    continue
                other = model._base_manager.filter(**values).exclude(pk=obj.pk).first()
                if other is not None:
                    shown = [
                        f"{model._meta.get_field(n).verbose_name} “{getattr(obj, n)}”"
                        for n in names
                        if n != "business"
                    ]
                    return _(
                        "%(kind)s “%(row)s” of the store has the same %(fields)s as "
                        "“%(other)s” on the hub: they are two different things with one "
                        "name. Change it on one side, then sync again."
                    ) % {
                        "kind": str(model._meta.verbose_name).capitalize(),
                        "row": obj,
                        "fields": ", ".join(shown),
                        "other": other,
                    }
        return _("A %(kind)s of the store clashes with one on the hub.") % {
            "kind": model._meta.verbose_name
        }

    # checks -----------------------------------------------------------------------------

    def _check_owners(self, model, ids: list[str]) -> None:
        if not ids or not any(f.name == "business" for f in model._meta.concrete_fields):
            return
        foreign = (
            model._base_manager.filter(pk__in=ids).exclude(business_id=self.business_id).exists()
        )
        if foreign:
            raise BatchRefused(
                _("The batch names %(kind)s rows that are not this business's on the hub.")
                % {"kind": model._meta.verbose_name}
            )

    def _check_references(self, records: list[dict]) -> None:
        wanted: dict = defaultdict(set)
        for record in records:
            model = apps.get_model(record["model"])
            for field in model._meta.concrete_fields:
                if field.is_relation and field.name != "business":
                    value = record["fields"].get(field.name)
                    if value and any(
                        f.name == "business" for f in field.related_model._meta.concrete_fields
                    ):
                        wanted[field.related_model].add(str(value))
            for field in model._meta.many_to_many:
                for value in record["fields"].get(field.name) or []:
                    wanted[field.related_model].add(str(value))
        for related, ids in wanted.items():
            self._check_owners(related, list(ids))

    # apply ------------------------------------------------------------------------------

    def apply(self) -> int:
        records_in = self.payload.get("records", [])
        for record in records_in + self.payload.get("deleted", []):
            if record["model"] not in _KNOWN:
                raise BatchRefused(
                    _("This hub does not take “%(model)s” records: update Hanout on the hub.")
                    % {"model": record["model"]}
                )
        self._people()
        records = []
        for record in records_in:
            model = apps.get_model(record["model"])
            translated = self._translate(record, model)
            if record["model"] in _MASTER:
                hub_id = self._match(model, translated)
                if hub_id is not None:
                    self._remember(translated["model"], str(record["pk"]), hub_id)
                    translated["pk"] = hub_id
                    self.matched.add((translated["model"], hub_id))
            records.append(translated)
        by_model: dict[str, list[dict]] = defaultdict(list)
        for record in records:
            by_model[record["model"]].append(record)
        for label, group in by_model.items():
            self._check_owners(apps.get_model(label), [r["pk"] for r in group])
        self._check_references(records)
        written = self._delete()
        self.referenced = self._referenced(records)
        for label, revived in self._revive(by_model).items():
            by_model[label].extend(revived)
        for label in (m.lower() for m in SYNCED):
            group = by_model.get(label)
            if not group:
                continue
            model = apps.get_model(label)
            have = {
                str(pk)
                for pk in model._base_manager.filter(pk__in=[r["pk"] for r in group]).values_list(
                    "pk", flat=True
                )
            }
            if label in _DOWN:
                group = self._reconcile(model, group, have)
            fresh, changed = [], []
            items = list(serializers.deserialize("python", group, ignorenonexistent=True))
            self._make_room(label, [item.object for item in items])
            for item in items:
                key = str(item.object.pk)
                if key not in have:
                    fresh.append(item)
                elif label != "core.auditentry":  # audit rows are never rewritten
                    changed.append(item)
            try:
                with transaction.atomic():
                    if fresh:
                        fields = list(model._meta.local_concrete_fields)
                        objs = [item.object for item in fresh]
                        for start in range(0, len(objs), 500):
                            model._base_manager.all()._insert(
                                objs[start : start + 500], fields, raw=True
                            )
                    for item in changed:
                        item.object.save_base(raw=True, force_update=True)
            except IntegrityError:
                raise BatchRefused(self._collision(model, fresh + changed)) from None
            for item in fresh + changed:
                for name, values in (item.m2m_data or {}).items():
                    getattr(item.object, name).set(values)
                self.touched[label].add(str(item.object.pk))
            written += len(fresh) + len(changed)
        self._agree()
        self._derive()
        return written

    # both sides changed a row -------------------------------------------------------------

    def _who(self) -> dict[str, tuple[str, str]]:
        """The store's audit rows of this batch: object id → (who, when), the latest."""
        people = {p["id"]: p.get("full_name") or p.get("email", "") for p in self.payload["people"]}
        out: dict[str, tuple[str, str]] = {}
        for record in self.payload.get("records", []):
            if record["model"] != "core.auditentry":
                continue
            fields = record["fields"]
            at = str(fields.get("at") or "")
            key = str(fields.get("object_id") or "")
            if key and at >= out.get(key, ("", ""))[1]:
                who = people.get(str(fields.get("actor"))) or fields.get("actor_label") or ""
                out[key] = (str(who), at)
        return out

    def _reconcile(self, model, group: list[dict], have: set[str]) -> list[dict]:
        """Compare each master row the store sent with the hub's and the last agreed
        values (sync/conflicts.py): the fields the store changed alone are applied, the
        hub's own changes kept, and each field changed on both sides is a conflict."""
        from hanout.sync.models import SyncBase

        label = model._meta.label_lower
        ids = [r["pk"] for r in group]
        # What both last agreed on; a row only sent down (the store's word lost on the
        # way) has at least what was sent.
        bases = {
            str(row_id): fields or sent
            for row_id, fields, sent in SyncBase.objects.filter(
                link=self.link, model=label, row_id__in=ids
            ).values_list("row_id", "fields", "sent")
        }
        hub_rows = {}
        if have:
            # Locked until the batch commits: a hub user's edit made meanwhile waits, and
            # is then made on top of the merged row instead of being overwritten by it.
            hub_rows = serialized(
                model._base_manager.select_for_update().filter(pk__in=have).order_by("pk")
            )
        out = []
        for record in group:
            pk = str(record["pk"])
            store = conflicts.compared(label, record["fields"])
            base = bases.get(pk) or None
            if base is None and (label, pk) in self.matched:
                base = {}  # matched by its SKU or name: the two never agreed on anything
            self.bases[(label, pk)] = store
            if pk not in hub_rows:
                if (label, pk) in self.revived:
                    out.append(record)  # made again from the agreed values (_revive)
                    continue
                if base is not None and store == base and (label, pk) not in self.referenced:
                    # Deleted on the hub, unchanged on the store: the deletion stands (it
                    # is on its way down).
                    del self.bases[(label, pk)]
                    continue
                if base is not None:
                    # Deleted on the hub, changed (or still used) on the store: the row is
                    # kept, and goes down again to the store, which had it deleted.
                    self.clashes.append((label, pk, record, None, "store"))
                    self.down_again.add((label, pk))
                out.append(record)
                continue
            hub = conflicts.compared(label, hub_rows[pk]["fields"])
            merged, clashes = conflicts.merge(label, store=store, hub=hub, base=base)
            for clash in clashes:
                self.clashes.append((label, pk, record, clash, clash.applied))
            if merged != store:
                self.down_again.add((label, pk))
                record = {**record, "fields": {**record["fields"], **merged}}
            out.append(record)
        return out

    def _referenced(self, records: list[dict]) -> set[tuple[str, str]]:
        """(model, hub id) of the master rows the batch's rows point to."""
        out = set()
        for record in records:
            model = apps.get_model(record["model"])
            for field in model._meta.concrete_fields:
                if not field.is_relation or field.name == "business":
                    continue
                value = record["fields"].get(field.name)
                target = field.related_model._meta.label_lower
                if value and target in _DOWN:
                    out.add((target, str(value)))
        return out

    def _revive(self, by_model: dict[str, list[dict]]) -> dict[str, list[dict]]:
        """The master rows the hub deleted that this store's new rows still use (a sale of
        a product deleted on the hub meanwhile): made again from what the two last agreed
        on, rather than refusing the batch forever. Each is a conflict, kept."""
        from hanout.sync.models import SyncBase

        in_batch = {(label, str(r["pk"])) for label, group in by_model.items() for r in group}
        wanted: dict[str, set[str]] = defaultdict(set)
        for label, pk in self.referenced - in_batch:
            wanted[label].add(pk)
        out: dict[str, list[dict]] = defaultdict(list)
        for label, ids in wanted.items():
            model = apps.get_model(label)
            present = {
                str(p) for p in model._base_manager.filter(pk__in=ids).values_list("pk", flat=True)
            }
            for row_id, fields in SyncBase.objects.filter(
                link=self.link, model=label, row_id__in=ids - present
            ).values_list("row_id", "fields"):
                if not fields:
                    continue
                fields = dict(fields)
                for field in model._meta.concrete_fields:
                    # The clock is not part of what is agreed on: it starts again now.
                    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                        fields.setdefault(field.name, clock.now().isoformat())
                record = {"model": label, "pk": str(row_id), "fields": fields}
                out[label].append(record)
                self.revived.add((label, str(row_id)))
                self.clashes.append((label, str(row_id), record, None, "store"))
                self.down_again.add((label, str(row_id)))
        return out

    def _agree(self) -> None:
        """After the batch: the store's rows are what this store and the hub last agreed
        on; the conflicts are kept for the owner; the rows where the hub's values won go
        down again."""
        from hanout.sync.models import SyncBase

        if self.bases:
            SyncBase.objects.bulk_create(
                [
                    SyncBase(link=self.link, model=label, row_id=pk, fields=fields)
                    for (label, pk), fields in self.bases.items()
                ],
                update_conflicts=True,
                unique_fields=["link", "model", "row_id"],
                update_fields=["fields"],
                batch_size=500,
            )
        if self.clashes:
            self._keep_clashes()
        if self.down_again:
            OutboxEntry.objects.bulk_create(
                [
                    OutboxEntry(
                        business_id=self.business_id,
                        table_name=apps.get_model(label)._meta.db_table,
                        row_id=pk,
                        op="u",
                    )
                    for label, pk in sorted(self.down_again)
                ]
            )

    def _keep_clashes(self) -> None:
        from hanout.core.models import AuditEntry
        from hanout.sync.models import SyncConflict

        store_who = self._who()
        store_ids = {hub: store for label in self.maps for store, hub in self.maps[label].items()}
        hub_ids = {pk for _label, pk, *_rest in self.clashes}
        hub_who: dict[str, tuple[str, object]] = {}
        for object_id, who, name, email, at in (
            AuditEntry.objects.filter(business_id=self.business_id, object_id__in=hub_ids)
            .exclude(action__startswith="sync.")
            .order_by("at")
            .values_list("object_id", "actor_label", "actor__full_name", "actor__email", "at")
        ):
            hub_who[object_id] = (name or who or email or "", at)
        rows = []
        for label, pk, record, clash, applied in self.clashes:
            model = apps.get_model(label)
            store_pk = store_ids.get(pk, pk)
            by, at = store_who.get(store_pk, ("", record["fields"].get("updated_at") or ""))
            hub_by, hub_at = hub_who.get(pk, ("", None))
            current = model._base_manager.filter(pk=pk).first()
            rows.append(
                SyncConflict(
                    business_id=self.business_id,
                    link=self.link,
                    model=label,
                    row_id=pk,
                    row_label=str(current or record["fields"].get("name") or pk)[:200],
                    field=clash.field if clash else "",
                    store_value=clash.store if clash else None,
                    hub_value=clash.hub if clash else None,
                    base_value=clash.base if clash else None,
                    applied=applied,
                    store_by=str(by)[:150],
                    store_at=_when(at),
                    hub_by=str(hub_by)[:150],
                    hub_at=hub_at,
                )
            )
        SyncConflict.objects.bulk_create(rows)

    def _derive(self) -> None:
        from hanout.core.models import Business

        business = Business.objects.get(pk=self.business_id)
        touched = self.touched
        self._ledgers_follow()
        from hanout.sync.down import follow

        follow(business_id=self.business_id, touched=touched)
        sales = set(touched["pos.sale"])
        if touched["pos.saleline"] or touched["pos.payment"]:
            from hanout.pos.models import Payment, SaleLine

            for model, label in ((SaleLine, "pos.saleline"), (Payment, "pos.payment")):
                sales |= {
                    str(s)
                    for s in model.objects.filter(pk__in=touched[label]).values_list(
                        "sale_id", flat=True
                    )
                    if s
                }
        if sales:
            from hanout.pos.models import Sale
            from hanout.reports.services import days_mark_stale

            # The sales keep the store's creation times, which the reports' sweep would
            # not look at: their days are marked for the next refresh (every few
            # minutes, and before any report page reads them).
            days = set()
            for shop_id, sold_at, tz in Sale.objects.filter(pk__in=sales).values_list(
                "shop_id", "sold_at", "shop__time_zone"
            ):
                days.add((shop_id, sold_at.astimezone(zoneinfo.ZoneInfo(tz)).date()))
            days_mark_stale(business=business, days=days)

    def _delete(self) -> int:
        """The store's deletions, first (a barcode moved to another product in the same
        batch is deleted before it is made again). A hub row a store row was matched to
        is the hub's own: the match is forgotten, the row kept. A row the hub cannot
        delete (something of the hub's still points to it) is kept rather than stalling
        the sync. Audit rows are never deleted."""
        from django.db.models import ProtectedError, RestrictedError

        deleted = 0
        for tomb in self.payload.get("deleted", []):
            label = tomb["model"]
            if label == "core.auditentry":
                continue
            model = apps.get_model(label)
            mapped = self.maps[label].pop(str(tomb["pk"]), None)
            if mapped is not None:
                IdMap.objects.filter(link=self.link, model=label, store_id=tomb["pk"]).delete()
                continue
            rows = model._base_manager.filter(pk=tomb["pk"], business_id=self.business_id)
            if label in _DOWN and self._changed_on_hub(model, str(tomb["pk"])):
                continue
            try:
                with transaction.atomic():
                    count, _by_model = rows.delete()
            except (IntegrityError, ProtectedError, RestrictedError):
                continue
            if count:
                deleted += 1
                self.touched[label].add(str(tomb["pk"]))
        return deleted

    def _changed_on_hub(self, model, pk: str) -> bool:
        """Deleted on the store, changed on the hub since they last agreed: the changed
        row is kept (a conflict of the whole row), and goes down to the store again."""
        from hanout.sync.models import SyncBase

        label = model._meta.label_lower
        base = (
            SyncBase.objects.filter(link=self.link, model=label, row_id=pk)
            .values_list("fields", flat=True)
            .first()
        )
        row = _serialize_one(model, pk)
        if not base or row is None:  # never agreed (only sent), or gone already
            SyncBase.objects.filter(link=self.link, model=label, row_id=pk).delete()
            return False
        hub = conflicts.compared(label, row["fields"])
        if hub == base:
            SyncBase.objects.filter(link=self.link, model=label, row_id=pk).delete()
            return False
        self.clashes.append((label, pk, row, None, "hub"))
        self.down_again.add((label, pk))
        return True

    def _ledgers_follow(self) -> None:
        """Keep the hub's ledger invariants at every commit, whatever the batch cut: each
        stock level touched is the sum of its movements here, and each customer's points
        the sum of their entries (the backup's checks, sync/engines.py INVARIANTS)."""
        from django.db.models import OuterRef, Subquery, Sum
        from django.db.models.functions import Coalesce

        from hanout.customers.models import Customer, LoyaltyEntry
        from hanout.inventory.models import StockLevel, StockMovement

        touched = self.touched
        pairs = set(
            StockMovement.objects.filter(pk__in=touched["inventory.stockmovement"]).values_list(
                "product_id", "location_id"
            )
        ) | set(
            StockLevel.objects.filter(pk__in=touched["inventory.stocklevel"]).values_list(
                "product_id", "location_id"
            )
        )
        if pairs:
            have = set(
                StockLevel.objects.filter(
                    business_id=self.business_id, product_id__in={p for p, _ in pairs}
                ).values_list("product_id", "location_id")
            )
            products, locations = self.maps["catalog.product"], self.maps["inventory.location"]
            ids = {
                (uuid.UUID(products.get(p, p)), uuid.UUID(locations.get(loc, loc))): pk
                for p, loc, pk in self.payload.get("levels", [])
            }
            StockLevel.objects.bulk_create(
                [
                    StockLevel(
                        business_id=self.business_id,
                        product_id=p,
                        location_id=loc,
                        # The store's row, when it comes, says; until then the sum so far.
                        allow_negative=True,
                        **({"id": ids[(p, loc)]} if (p, loc) in ids else {}),
                    )
                    for p, loc in pairs - have
                ]
            )
            sums = (
                StockMovement.objects.filter(
                    business_id=self.business_id,
                    product_id=OuterRef("product_id"),
                    location_id=OuterRef("location_id"),
                )
                .order_by()
                .values("product_id")
                .annotate(s=Sum("quantity"))
                .values("s")
            )
            for product_ids in _chunks(sorted({p for p, _ in pairs}), 500):
                StockLevel.objects.filter(
                    business_id=self.business_id, product_id__in=product_ids
                ).update(quantity=Coalesce(Subquery(sums), 0))
        customers = set(touched["customers.customer"]) | {
            str(c)
            for c in LoyaltyEntry.objects.filter(
                pk__in=touched["customers.loyaltyentry"]
            ).values_list("customer_id", flat=True)
        }
        if customers:
            points = (
                LoyaltyEntry.objects.filter(customer_id=OuterRef("pk"))
                .order_by()
                .values("customer_id")
                .annotate(s=Sum("points"))
                .values("s")
            )
            for chunk in _chunks(sorted(customers), 500):
                Customer.objects.filter(pk__in=chunk, business_id=self.business_id).update(
                    loyalty_points=Coalesce(Subquery(points), 0)
                )


def serialized(queryset) -> dict[str, dict]:
    """The rows of `queryset` in the wire's form ("python" serialization, with their
    many-to-many ids fetched in one query per field), by id."""
    model = queryset.model
    if model._meta.many_to_many:
        queryset = queryset.prefetch_related(*(f.name for f in model._meta.many_to_many))
    return {str(r["pk"]): r for r in serializers.serialize("python", queryset)}


def _serialize_one(model, pk: str) -> dict | None:
    return serialized(model._base_manager.filter(pk=pk)).get(str(pk))


def _when(value):
    """A datetime from the wire's ISO text (None when there is none)."""
    if not value:
        return None
    if isinstance(value, datetime.datetime):
        return value
    try:
        return datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def apply_batch(*, link, payload: dict) -> int:
    """Apply a store's batch on the hub (all of it or nothing). Returns rows written.
    Its writes are marked with the link: they do not go back down to that store."""
    from hanout.sync.down import marked

    with transaction.atomic(), marked(link.pk):
        return _Applier(link, payload).apply()
