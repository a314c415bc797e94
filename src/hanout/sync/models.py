"""Store ↔ hub links and the store's outbox (docs/adr/0015-store-hub-sync.md).

On the **hub** a `StoreLink` is one store server allowed to send its records: made by
the owner, it carries a one-time pairing code until a store uses it, then the SHA-256
of the store's key. On the **store** a `HubLink` says where the hub is, with the key
(sealed with the server's secret) and how far the hub has confirmed.

`OutboxEntry` rows are written by database triggers on every synced table (insert,
update, delete) while the business has a `HubLink`, in the same transaction as the
change: nothing written by any code path — a service, a bulk import, a queryset
`update()` — can be missed, and a change rolled back leaves no entry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hanout.core.models import BusinessOwned


class StoreLink(BusinessOwned):
    """On the hub: one store server of this business."""

    name = models.CharField(_("store name"), max_length=120)
    code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    key_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    store_business_id = models.UUIDField(null=True, blank=True)
    store_business_name = models.CharField(max_length=120, blank=True)
    store_version = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_sync_at = models.DateTimeField(null=True, blank=True)
    # The store's outbox position up to which every change is in (its resume point).
    received_seq = models.BigIntegerField(default=0)
    received_count = models.BigIntegerField(default=0)
    last_error = models.TextField(blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)  # "silent for a day" sent
    # The hub's own outbox position up to which the store applied the master rows sent
    # down (ADR 0016): the next down batch starts after it.
    down_acked_seq = models.BigIntegerField(default=0)
    down_sent_seq = models.BigIntegerField(default=0)  # where the last down batch ended

    class Meta:
        verbose_name = _("store link")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.linked_at:
            return "linked"
        return "waiting"


class HubLink(BusinessOwned):
    """On the store: the hub this business sends its records to (at most one)."""

    hub_url = models.URLField(_("hub address"), max_length=300)
    link_id = models.UUIDField()
    hub_business_id = models.UUIDField()
    hub_business_name = models.CharField(max_length=120, blank=True)
    sealed_key = models.TextField()
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField()
    # Everything in the outbox up to here is confirmed by the hub.
    sent_seq = models.BigIntegerField(default=0)
    sent_count = models.BigIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)  # "not synced for a day" sent
    # Confirmed entries up to here were pruned: a hub that has less needs a full resend.
    pruned_seq = models.BigIntegerField(default=0)
    # One push at a time per business, whatever the process: a lease held by `push_holder`
    # ("host pid token") until `push_until`, renewed every batch (services.push).
    push_holder = models.CharField(max_length=200, blank=True)
    push_until = models.DateTimeField(null=True, blank=True)
    # Unlinked: nothing is sent any more, but deletions are still noted (tombstones), so a
    # link made again tells the hub of the rows deleted meanwhile.
    unlinked_at = models.DateTimeField(null=True, blank=True)
    # The hub's position up to which this store applied the hub's master rows (sent back
    # with the next call, so the hub moves on), and the hub's open conflicts of this store.
    down_seq = models.BigIntegerField(default=0)
    down_skipped = models.JSONField(default=list, blank=True)  # [[model, id]] of that batch
    hub_conflicts = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("hub link")
        constraints = [
            models.UniqueConstraint(fields=["business"], name="hublink_one_per_business")
        ]

    def __str__(self) -> str:
        return self.hub_url


class OutboxEntry(models.Model):
    """A change to send: which row of which table, in the order they were written.
    Written by triggers (sync/outbox.py), read and pruned by the push.

    `seq` is the order of writing, not of commit (on PostgreSQL a transaction may commit
    after a later one). The position the store and the hub agree on is `pos`, given by
    the push (`outbox.publish`) to entries already committed, in `seq` order: an entry
    committed later always gets a higher `pos`. Null: not published yet (waiting)."""

    seq = models.BigAutoField(primary_key=True)
    business_id = models.UUIDField()
    table_name = models.CharField(max_length=63)
    row_id = models.UUIDField()
    op = models.CharField(max_length=1)  # "u" written (insert or update), "d" deleted
    pos = models.BigIntegerField(null=True, blank=True)
    # The link whose batch wrote the change (`SyncOrigin`), or null for a change made
    # here: a change never travels back to where it came from (ADR 0016).
    origin = models.UUIDField(null=True, blank=True)

    class Meta:
        indexes = [
            # A row's notes (the parents a batch must bring, the newest tombstone).
            models.Index(fields=["business_id", "table_name", "row_id"], name="outbox_row"),
            models.Index(fields=["business_id", "pos"], name="outbox_business_pos"),
            models.Index(
                fields=["business_id", "seq"],
                name="outbox_unpublished",
                condition=models.Q(pos__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seq} {self.op} {self.table_name} {self.row_id}"


class IdMap(models.Model):
    """On the hub: a store's row that is the same thing as a hub row with another id
    (the owner's membership, a person known by email, a default expense category)."""

    link = models.ForeignKey(StoreLink, on_delete=models.CASCADE, related_name="+")
    model = models.CharField(max_length=63)
    store_id = models.UUIDField()
    hub_id = models.UUIDField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["link", "model", "store_id"], name="idmap_unique")
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.store_id} → {self.hub_id}"


class SyncOrigin(models.Model):
    """One row, inside the transaction that applies a batch only: the triggers copy its
    `link_id` into the entries they write (`OutboxEntry.origin`). Inserted at the start
    of that transaction and deleted before it commits, it is never seen by another."""

    link_id = models.UUIDField(primary_key=True)

    class Meta:
        db_table = "sync_origin"

    def __str__(self) -> str:
        return str(self.link_id)


class SyncBase(models.Model):
    """On the hub: a master row's field values that the hub and one store last agreed on
    (the store's row as it arrived, or the hub's row once the store applied it), for the
    three-way comparison that finds conflicts (sync/conflicts.py)."""

    link = models.ForeignKey(StoreLink, on_delete=models.CASCADE, related_name="+")
    model = models.CharField(max_length=63)
    row_id = models.UUIDField()  # the hub's id
    fields = models.JSONField(default=dict)
    # What the last down batch carried, agreed once the store says it applied it.
    sent = models.JSONField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["link", "model", "row_id"], name="syncbase_unique")
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.row_id} v{self.version}"


class SyncConflict(BusinessOwned):
    """On the hub: one field of a master row changed on both sides to different values
    since they last agreed. The default rule chose `applied`; the owner may keep the
    other value, or agree."""

    link = models.ForeignKey(StoreLink, on_delete=models.CASCADE, related_name="conflicts")
    model = models.CharField(max_length=63)
    row_id = models.UUIDField()
    row_label = models.CharField(max_length=200)
    # The field's name; empty when the whole row was deleted on one side, changed on the other.
    field = models.CharField(max_length=63, blank=True)
    store_value = models.JSONField(null=True)
    hub_value = models.JSONField(null=True)
    base_value = models.JSONField(null=True)
    applied = models.CharField(max_length=5)  # "store" or "hub": the rule's choice
    store_by = models.CharField(max_length=150, blank=True)
    store_at = models.DateTimeField(null=True, blank=True)
    hub_by = models.CharField(max_length=150, blank=True)
    hub_at = models.DateTimeField(null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kept = models.CharField(max_length=5, blank=True)  # what the owner kept in the end

    class Meta:
        verbose_name = _("sync conflict")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["business", "created_at"],
                name="syncconflict_open",
                condition=models.Q(settled_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.row_label} · {self.field or '*'}"
