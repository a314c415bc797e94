"""Master data down: the hub's changes to the chain's catalog, suppliers, customers and
expense categories reach its stores (docs/adr/0016-master-data-both-ways.md).

The hub notes its `DOWN` rows in its own outbox (the triggers, while the business has a
linked store). At the end of each push the store calls `down/`: the hub builds the next
batch of those changes for that store — leaving out the ones that came from it — with
the hub's ids turned into the store's, and the store applies it in one transaction.
The store's next call says how far it applied, and which rows it skipped (changed on
the store meanwhile: its own change goes up and meets the hub's as a conflict).

Every write the appliers make is marked with the link (`SyncOrigin`), so that a change
never travels back to where it came from.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.db import IntegrityError, transaction
from django.db.models import F, ProtectedError, Q, RestrictedError

from hanout.sync import conflicts
from hanout.sync.models import HubLink, IdMap, OutboxEntry, SyncBase, SyncOrigin
from hanout.sync.outbox import DOWN, LOCAL_FIELDS, SYNCED, model_for_table

_DOWN = {label.lower() for label in DOWN}
# The order rows are applied in: a row's parents first.
_ORDER = [label.lower() for label in SYNCED if label.lower() in _DOWN]


class marked:  # noqa: N801 - used as `with marked(link_id):`
    """Inside a transaction: every change noted while it is open carries `link_id` as
    its origin. The mark is removed before the transaction ends."""

    def __init__(self, link_id):
        self.link_id = link_id

    def __enter__(self):
        SyncOrigin.objects.create(link_id=self.link_id)
        return self

    def __exit__(self, kind, value, trace):
        if kind is None:
            SyncOrigin.objects.filter(link_id=self.link_id).delete()
        # On an error the transaction is rolled back, the mark with it (and on PostgreSQL
        # a statement now would only hide the error behind "transaction aborted").
        return False


def _serialize(model, ids) -> dict[str, dict]:
    from hanout.sync.wire import serialized

    return serialized(model._base_manager.filter(pk__in=ids))


# --- the hub: what goes down to one store ------------------------------------------------


def enqueue_down(*, business_id) -> int:
    """Note every `DOWN` row of the business (a store newly linked gets the chain's
    master data on its first sync). Rows it already has are written in the same state."""
    from hanout.sync.outbox import note_rows

    return note_rows(business_id=business_id, models=[apps.get_model(label) for label in DOWN])


def _reverse_maps(link) -> dict[str, dict[str, str]]:
    maps: dict[str, dict[str, str]] = defaultdict(dict)
    for model, store_id, hub_id in IdMap.objects.filter(link=link).values_list(
        "model", "store_id", "hub_id"
    ):
        maps[model][str(hub_id)] = str(store_id)
    return maps


def build_down(*, link, limit: int) -> dict:
    """The next down batch for the store of `link`: the hub's published entries after
    what the store applied, the store's own changes left out. Every row sent is kept as
    `SyncBase.sent` (agreed once the store says it applied it)."""
    after = link.down_acked_seq
    entries = list(
        OutboxEntry.objects.filter(business_id=link.business_id, pos__gt=after)
        .order_by("pos")
        .values_list("pos", "table_name", "row_id", "op", "origin")[:limit]
    )
    upto = entries[-1][0] if entries else after
    noted: dict[tuple[str, str], None] = {}  # in order; a row deleted is looked up too
    for _pos, table, row_id, _op, origin in entries:
        model = model_for_table(table)
        if model is None or model._meta.label_lower not in _DOWN or origin == link.pk:
            continue
        noted[(model._meta.label_lower, str(row_id))] = None
    by_label: dict[str, list[str]] = defaultdict(list)
    for label, row_id in noted:
        by_label[label].append(row_id)  # a row deleted, then made again, is sent as it is
    rows: dict[tuple[str, str], dict] = {}
    for label, ids in by_label.items():
        for pk, record in _serialize(apps.get_model(label), ids).items():
            rows[(label, pk)] = record
    rows.update(_parents(link, rows, upto=upto))
    maps = _reverse_maps(link)
    store_business = str(link.store_business_id)
    records, deleted, sent = [], [], []
    for label in _ORDER:
        for (row_label, pk), record in rows.items():
            if row_label != label:
                continue
            sent.append((label, pk, conflicts.compared(label, record["fields"])))
            records.append(_for_store(record, maps, store_business))
    for label, pk in noted:
        if (label, pk) not in rows:  # deleted (and not made again since)
            store_pk = maps[label].get(pk, pk)
            deleted.append({"model": label, "pk": store_pk})
    _remember_sent(link, sent)
    return {
        "after": after,
        "upto": upto,
        "records": records,
        "deleted": deleted,
        "people": _people_of(records),
    }


def _people_of(records: list[dict]) -> list[dict]:
    """The people the rows name (a membership's person), by the ids the store knows."""
    user_model = get_user_model()
    ids = {
        str(r["fields"]["user"])
        for r in records
        if r["model"] == "accounts.membership" and r["fields"].get("user")
    }
    return [
        {"id": str(u.pk), "email": u.email, "full_name": u.full_name, "phone": u.phone}
        for u in user_model.objects.filter(pk__in=ids)
    ]


def _parents(link, rows: dict, *, upto: int) -> dict:
    """The `DOWN` rows the batch's rows point to that the store may not have yet: noted
    on the hub, never at a position up to this batch's end (as wire._parents_first)."""
    found: dict[tuple[str, str], dict] = {}
    pending = dict(rows)
    for _depth in range(4):
        wanted: dict = defaultdict(set)
        for (label, _pk), record in pending.items():
            model = apps.get_model(label)
            for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
                target = field.related_model
                if not field.is_relation or target is None or field.name == "business":
                    continue
                target_label = target._meta.label_lower
                if target_label not in _DOWN:
                    continue
                value = record["fields"].get(field.name)
                for one in value if isinstance(value, list) else [value]:
                    key = (target_label, str(one))
                    if one and key not in rows and key not in found:
                        wanted[target_label].add(str(one))
        pending = {}
        for label, ids in wanted.items():
            model = apps.get_model(label)
            noted, sent = set(), set()
            for row_id, pos, origin in OutboxEntry.objects.filter(
                business_id=link.business_id, table_name=model._meta.db_table, row_id__in=ids
            ).values_list("row_id", "pos", "origin"):
                noted.add(str(row_id))
                if (pos is not None and pos <= upto) or origin == link.pk:
                    sent.add(str(row_id))
            later = noted - sent
            if later:
                for pk, record in _serialize(model, later).items():
                    pending[(label, pk)] = record
        if not pending:
            break
        found.update(pending)
    return found


def _for_store(record: dict, maps, store_business: str) -> dict:
    """The hub's row with the store's ids (a row made on the hub keeps its id)."""
    label = record["model"]
    model = apps.get_model(label)
    local = LOCAL_FIELDS.get(label, set())
    fields = {k: v for k, v in record["fields"].items() if k not in local}
    for field in model._meta.concrete_fields:
        if not field.is_relation or fields.get(field.name) is None:
            continue
        if field.name == "business":
            fields[field.name] = store_business
            continue
        target = field.related_model._meta.label_lower
        fields[field.name] = maps[target].get(str(fields[field.name]), fields[field.name])
    for field in model._meta.many_to_many:
        if field.name in fields:
            target = field.related_model._meta.label_lower
            fields[field.name] = [maps[target].get(str(v), v) for v in fields[field.name]]
    pk = str(record["pk"])
    return {"model": label, "pk": maps[label].get(pk, pk), "fields": fields}


def _remember_sent(link, sent: list[tuple[str, str, dict]]) -> None:
    SyncBase.objects.filter(link=link, sent__isnull=False).update(sent=None)
    if not sent:
        return
    SyncBase.objects.bulk_create(
        [
            SyncBase(link=link, model=label, row_id=pk, fields={}, sent=values)
            for label, pk, values in sent
        ],
        update_conflicts=True,
        unique_fields=["link", "model", "row_id"],
        update_fields=["sent"],
        batch_size=500,
    )


def acknowledge(*, link, applied: int, skipped: list) -> None:
    """The store applied the hub's changes up to `applied` (its last down batch when it
    is where that batch ended), except the rows in `skipped` ([model, store id]): the
    rows it applied are now agreed on both sides. Call with the link's row locked."""
    from hanout.sync.models import StoreLink

    if applied <= link.down_acked_seq:
        return
    if applied > link.down_sent_seq:
        return  # not a position this hub sent: ignored (the store resumes from ours)
    maps = {}
    for model, store_id, hub_id in IdMap.objects.filter(link=link).values_list(
        "model", "store_id", "hub_id"
    ):
        maps[(model, str(store_id))] = str(hub_id)
    left = Q()
    for pair in skipped or []:
        try:
            label, store_id = str(pair[0]), str(uuid.UUID(str(pair[1])))
        except (TypeError, ValueError, IndexError):
            continue
        left |= Q(model=label, row_id=maps.get((label, store_id), store_id))
    sent = SyncBase.objects.filter(link=link, sent__isnull=False)
    if applied == link.down_sent_seq:
        agreed = sent.exclude(left) if left else sent
        agreed.update(fields=F("sent"), sent=None, version=F("version") + 1)
    sent.update(sent=None)
    StoreLink.objects.filter(pk=link.pk).update(down_acked_seq=applied)
    link.down_acked_seq = applied


def prune_down(*, business_id) -> int:
    """Forget the hub's entries every live store has applied (a hub that is not a store
    itself: a business with a hub link of its own keeps its outbox for its pushes)."""
    from django.db.models import Min

    from hanout.sync.models import StoreLink

    if HubLink.objects.filter(business_id=business_id).exists():
        return 0
    live = StoreLink.objects.filter(
        business_id=business_id, linked_at__isnull=False, revoked_at__isnull=True
    )
    floor = live.aggregate(m=Min("down_acked_seq"))["m"]
    if floor is None:
        return 0
    count, _ = OutboxEntry.objects.filter(business_id=business_id, pos__lte=floor).delete()
    return count


# --- the store: apply what came down -------------------------------------------------------


def _changed_here(link, label: str, ids: list[str]) -> set[str]:
    """The rows with a change made on this store that the hub has not confirmed: the
    hub's version must not overwrite it (it goes up, and meets the hub's there)."""
    model = apps.get_model(label)
    return {
        str(pk)
        for pk in OutboxEntry.objects.filter(
            business_id=link.business_id,
            table_name=model._meta.db_table,
            row_id__in=ids,
            origin__isnull=True,
        )
        .filter(Q(pos__isnull=True) | Q(pos__gt=link.sent_seq))
        .values_list("row_id", flat=True)
    }


def apply_down(*, link, payload: dict) -> list[list[str]]:
    """Apply a down batch on the store, all of it in one transaction. Returns the rows
    skipped ([model, id]): changed here meanwhile, or clashing with a row of the store."""
    business_id = link.business_id
    records = [r for r in payload.get("records", []) if r.get("model") in _DOWN]
    skipped: list[list[str]] = []
    touched: dict[str, set[str]] = defaultdict(set)
    with transaction.atomic(), marked(link.link_id):
        people = _people_here(payload.get("people", []))
        by_label: dict[str, list[dict]] = defaultdict(list)
        for record in records:
            fields = dict(record["fields"])
            fields["business"] = str(business_id)
            if fields.get("user"):
                fields["user"] = people.get(str(fields["user"]), fields["user"])
            by_label[record["model"]].append({**record, "fields": fields})
        for tomb in payload.get("deleted", []):
            label = tomb.get("model")
            if label not in _DOWN:
                continue
            if _changed_here(link, label, [tomb["pk"]]):
                skipped.append([label, str(tomb["pk"])])
                continue
            model = apps.get_model(label)
            try:
                with transaction.atomic():
                    model._base_manager.filter(pk=tomb["pk"], business_id=business_id).delete()
            except (IntegrityError, ProtectedError, RestrictedError):
                # A row still used here (a product sold) stays.
                skipped.append([label, str(tomb["pk"])])
            touched[label].add(str(tomb["pk"]))
        for label in _ORDER:
            group = by_label.get(label)
            if not group:
                continue
            model = apps.get_model(label)
            mine = _changed_here(link, label, [r["pk"] for r in group])
            orphans = _without_parents(model, group)
            local = LOCAL_FIELDS.get(label, set())
            have = {
                str(pk)
                for pk in model._base_manager.filter(pk__in=[r["pk"] for r in group]).values_list(
                    "pk", flat=True
                )
            }
            for record in group:
                if str(record["pk"]) in mine or str(record["pk"]) in orphans:
                    # Changed here meanwhile (it goes up and meets the hub's change there),
                    # or its parent was skipped (a module access of a skipped membership).
                    skipped.append([label, str(record["pk"])])
                    continue
                item = next(
                    iter(serializers.deserialize("python", [record], ignorenonexistent=True))
                )
                obj = item.object
                try:
                    with transaction.atomic():
                        if str(obj.pk) in have:
                            keep = set(local)
                            if label == "accounts.membership" and not obj.employee_code:
                                # The hub leaves out a code another of its people has
                                # (ADR 15): that is no reason to take the till's away.
                                keep.add("employee_code")
                            names = [
                                f.attname
                                for f in model._meta.local_concrete_fields
                                if f.name not in keep and not f.primary_key
                            ]
                            obj.save_base(raw=True, force_update=True, update_fields=names)
                        else:
                            obj.save_base(raw=True, force_insert=True)
                        for name, values in (item.m2m_data or {}).items():
                            target = model._meta.get_field(name).related_model
                            getattr(obj, name).set(
                                target._base_manager.filter(pk__in=values).values_list(
                                    "pk", flat=True
                                )
                            )
                except IntegrityError:
                    # A row of the store with the same unique name (a SKU, a barcode): the
                    # store's own goes up, and the hub matches the two.
                    skipped.append([label, str(record["pk"])])
                    continue
                touched[label].add(str(obj.pk))
        follow(business_id=business_id, touched=touched)
        # What the triggers noted while applying is the hub's own: nothing to send back.
        OutboxEntry.objects.filter(business_id=business_id, origin=link.link_id).delete()
        # How far this store applied, kept with what it applied: told to the hub on the
        # next call, even if that call is only made by the next sync.
        HubLink.objects.filter(pk=link.pk).update(
            down_seq=int(payload["upto"]), down_skipped=skipped
        )
    return skipped


def _without_parents(model, group: list[dict]) -> set[str]:
    """The rows of `group` naming a row this store does not have (after the rows applied
    before them): applied, they would fail the foreign key check at commit."""
    wanted: dict = defaultdict(set)
    fields = [f for f in model._meta.concrete_fields if f.is_relation and f.name != "business"]
    for record in group:
        for field in fields:
            value = record["fields"].get(field.name)
            if value:
                wanted[field.related_model].add(str(value))
    missing: dict = {}
    for target, ids in wanted.items():
        have = {
            str(pk) for pk in target._base_manager.filter(pk__in=ids).values_list("pk", flat=True)
        }
        missing[target] = ids - have
    out = set()
    for record in group:
        for field in fields:
            value = record["fields"].get(field.name)
            if value and str(value) in missing.get(field.related_model, ()):
                out.add(str(record["pk"]))
    return out


def _people_here(people: list[dict]) -> dict[str, str]:
    """The store's person for each person the hub's rows name: the same id, else the
    same email; else a new account without a password (they sign in at the register
    with their code and PIN, or ask for a password by email). Returns hub id → id here."""
    from django.contrib.auth.hashers import make_password

    user_model = get_user_model()
    out: dict[str, str] = {}
    for person in people:
        hub_id = str(person.get("id", ""))
        if not hub_id or user_model.objects.filter(pk=hub_id).exists():
            continue
        email = (person.get("email") or "").strip()
        same = user_model.objects.filter(email__iexact=email).first() if email else None
        if same is not None:
            out[hub_id] = str(same.pk)
            continue
        user_model.objects.create(
            id=hub_id,
            email=email or f"{hub_id}@hub.invalid",
            full_name=str(person.get("full_name", ""))[:150],
            phone=str(person.get("phone", ""))[:32],
            password=make_password(None),
        )
    return out


def follow(*, business_id, touched: dict[str, set[str]]) -> None:
    """What each side derives from the master rows an applier wrote: the products'
    search rows, the category counts, the customers' search text."""
    from hanout.core.models import Business

    if (
        touched.get("catalog.product")
        or touched.get("catalog.barcode")
        or touched.get("catalog.tag")
    ):
        from hanout.catalog import search
        from hanout.catalog.models import Barcode, Product
        from hanout.catalog.services import category_counts_rebuild

        product_ids = set(touched.get("catalog.product", set()))
        product_ids |= {
            str(p)
            for p in Barcode.objects.filter(
                pk__in=touched.get("catalog.barcode", set())
            ).values_list("product_id", flat=True)
        }
        for product in Product.objects.filter(pk__in=product_ids).prefetch_related(
            "barcodes", "tags"
        ):
            search.document_save(
                product,
                barcodes=[b.code for b in product.barcodes.all()],
                tags=[t.name for t in product.tags.all()],
            )
        category_counts_rebuild(business=Business.objects.get(pk=business_id))
    if touched.get("customers.customer"):
        from hanout.customers.models import Customer
        from hanout.customers.services import search_text_of

        for customer in Customer.objects.filter(pk__in=touched["customers.customer"]):
            text = search_text_of(customer)
            if text != customer.search_text:
                Customer.objects.filter(pk=customer.pk).update(search_text=text)
