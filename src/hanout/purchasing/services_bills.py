"""Every write on supplier invoices (bills) and supplier payments.

A supplier invoice records what a supplier bills us: their own number (unique
per supplier), its date, due date, total and tax (both tax included, as on the
paper), optionally the purchase order it is for and a scan (PDF, JPEG or PNG,
checked by its content, not by its name). It is not edited once recorded.

A supplier payment is money we paid them (cash, bank transfer, card, cheque),
against one of their invoices or "on account". Payments are append-only: a
mistake is corrected by `supplier_payment_reverse`, which adds a negative
payment pointing at the one it cancels. The invoice's `paid_total` moves in the
same transaction, under a row lock on the invoice, so two people paying the
same bill at once can never pay more than is due.

Creating calls accept a client-made `client_uuid`: the same key again returns
the first result; the same key with other data is a 409.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath
from typing import Any
from uuid import UUID

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.core import audit, events, idempotency
from hanout.core.errors import Conflict, NotFound, ValidationFailed
from hanout.core.models import Business
from hanout.core.money import quantize
from hanout.core.validation import sniff_document_type
from hanout.purchasing.models import (
    POStatus,
    PurchaseOrder,
    SupplierInvoice,
    SupplierPayment,
    SupplierPaymentMethod,
)
from hanout.purchasing.selectors_bills import local_today
from hanout.suppliers.models import Supplier

ACTION_LABELS = {
    "supplier_invoice.record": gettext_lazy("Recorded a supplier invoice"),
    "supplier_invoice.attach": gettext_lazy("Attached the scan of a supplier invoice"),
    "supplier_payment.record": gettext_lazy("Recorded a payment to a supplier"),
    "supplier_payment.reverse": gettext_lazy("Reversed a payment to a supplier"),
}

# A bill or payment above this is a typing mistake, not a purchase of a shop.
MAX_AMOUNT = Decimal("1000000000")
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
EARLIEST = datetime.date(2000, 1, 1)
MAX_DUE_DAYS = 3660
ATTACHMENT_TYPES = {
    "application/pdf": (".pdf", {".pdf"}),
    "image/jpeg": (".jpg", {".jpg", ".jpeg"}),
    "image/png": (".png", {".png"}),
}
CONTENT_TYPE_OF_EXTENSION = {ext: ct for ct, (ext, _exts) in ATTACHMENT_TYPES.items()}
INVOICE_FIELDS = ["supplier", "order", "number", "issued_on", "due_on", "total", "tax_total"]
PAYMENT_FIELDS = ["supplier", "invoice", "amount", "method", "paid_on", "reference", "reverses"]


# --- checks --------------------------------------------------------------------------------


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", fields={field: [message]})


def _amount(value, *, field: str, currency: str, allow_zero: bool = False) -> Decimal:
    """A positive amount rounded to the currency's minor unit, or a 400 naming the field."""
    try:
        number = Decimal(str(value).strip().replace(",", ".")) if value is not None else None
        if number is None or not number.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        raise _invalid(field, _("Enter an amount, such as 125.40.")) from None
    number = quantize(number, currency)
    if number < 0 or (number == 0 and not allow_zero):
        raise _invalid(field, _("Enter an amount above zero."))
    if number >= MAX_AMOUNT:
        raise _invalid(
            field, _("%(amount)s is not a plausible amount; check the figure.") % {"amount": value}
        )
    return number


def _date(value, *, field: str, business: Business, latest_days: int = 1) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, datetime.date):
        raise _invalid(field, _("Enter a date, such as 2026-03-31."))
    latest = local_today(business) + datetime.timedelta(days=latest_days)
    if value < EARLIEST or value > latest:
        raise _invalid(
            field, _("Enter a date between %(first)s and today.") % {"first": EARLIEST.isoformat()}
        )
    return value


def _text(value, *, field: str, max_length: int, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise _invalid(field, _("This field is required."))
    if len(text) > max_length:
        raise _invalid(
            field, _("At most %(n)d characters (it has %(m)d).") % {"n": max_length, "m": len(text)}
        )
    return text


def _check_supplier(business: Business, supplier: Supplier) -> None:
    if supplier is None or supplier.business_id != business.pk:
        raise NotFound(_("This supplier does not exist."), fields={"supplier": [_("Not found.")]})


def check_attachment(upload: UploadedFile) -> tuple[str, str]:
    """(content type, extension) of a scan, read from its bytes; raise a 400 otherwise.

    The name and the content type the browser claims are not trusted: the first
    bytes decide. A file whose name or claimed type says something else than its
    content (an HTML page called invoice.pdf, a PNG called scan.pdf) is refused,
    and so is a truncated file (a PDF without its end marker, a PNG without IEND).
    """
    field = "attachment"
    size = getattr(upload, "size", None) or 0
    if size <= 0:
        raise _invalid(field, _("The file is empty."))
    if size > MAX_ATTACHMENT_BYTES:
        raise _invalid(
            field,
            _("The file is larger than %(mb)d MB.") % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(max(size - 1024, 0))
    tail = upload.read(1024)
    upload.seek(0)
    content_type = sniff_document_type(head)
    if content_type is None:
        raise _invalid(field, _("Upload the scan as a PDF, JPEG or PNG file."))
    complete = {
        "application/pdf": b"%%EOF" in tail,
        "image/png": b"IEND" in tail[-16:],
        "image/jpeg": b"\xff\xd9" in tail[-64:],
    }[content_type]
    if not complete:
        raise _invalid(field, _("The file is damaged or cut short; scan it again."))
    extension, allowed = ATTACHMENT_TYPES[content_type]
    name_ext = PurePosixPath((upload.name or "").lower()).suffix
    claimed = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    claimed_ok = claimed in ("", "application/octet-stream", content_type) or (
        content_type == "image/jpeg" and claimed == "image/jpg"
    )
    if (name_ext and name_ext not in allowed) or not claimed_ok:
        raise _invalid(
            field,
            _("The file's name or type does not match its content (%(kind)s); refused.")
            % {"kind": extension.lstrip(".").upper()},
        )
    return content_type, extension


def _check_order(business: Business, supplier: Supplier, order: PurchaseOrder | None) -> None:
    if order is None:
        return
    if order.business_id != business.pk:
        raise NotFound(
            _("This purchase order does not exist."), fields={"order": [_("Not found.")]}
        )
    if order.supplier_id != supplier.pk:
        raise _invalid("order", _("This purchase order is for another supplier."))
    if order.status in (POStatus.DRAFT, POStatus.CANCELLED):
        raise _invalid("order", _("A draft or cancelled purchase order cannot be billed."))


# --- supplier invoices --------------------------------------------------------------------------


def _invoice_payload(**kw) -> dict:
    upload = kw.pop("attachment", None)
    kw["attachment"] = [upload.name, upload.size] if upload is not None else None
    kw["supplier"] = str(kw["supplier"].pk)
    kw["order"] = str(kw["order"].pk) if kw["order"] is not None else None
    return kw


@transaction.atomic
def supplier_invoice_record(
    *,
    business: Business,
    actor,
    supplier: Supplier,
    number: str,
    issued_on,
    total,
    tax_total=Decimal(0),
    due_on=None,
    order: PurchaseOrder | None = None,
    note: str = "",
    attachment: UploadedFile | None = None,
    client_uuid: UUID | None = None,
) -> SupplierInvoice:
    """Record a supplier's invoice (their number, date, due date, total and tax, tax
    included; optionally the PO it bills and a scan).

    Refused with a 400 naming the field, nothing written: a total not above zero
    or absurd, tax above the total, a future date, a due date before the invoice
    date, a PO of another supplier or still a draft, a scan that is not a real
    PDF/JPEG/PNG or lies about its type. The same supplier number twice is a 409.
    """
    _check_supplier(business, supplier)
    currency = business.currency
    fields: dict[str, Any] = {
        "number": _text(number, field="number", max_length=64, required=True),
        "issued_on": _date(issued_on, field="issued_on", business=business),
        "total": _amount(total, field="total", currency=currency),
        "tax_total": _amount(
            tax_total if tax_total not in (None, "") else 0,
            field="tax_total",
            currency=currency,
            allow_zero=True,
        ),
        "note": _text(note, field="note", max_length=500),
    }
    if fields["tax_total"] > fields["total"]:
        raise _invalid("tax_total", _("The tax cannot be more than the invoice total."))
    fields["due_on"] = None
    if due_on not in (None, ""):
        fields["due_on"] = _date(
            due_on, field="due_on", business=business, latest_days=MAX_DUE_DAYS
        )
        if fields["due_on"] < fields["issued_on"]:
            raise _invalid("due_on", _("The due date cannot be before the invoice date."))
    _check_order(business, supplier, order)
    kind = check_attachment(attachment) if attachment is not None else None

    first = idempotency.claim(
        business=business,
        key=client_uuid,
        scope="supplier_invoice.record",
        payload=_invoice_payload(supplier=supplier, order=order, attachment=attachment, **fields),
    )
    if first is not None:
        return SupplierInvoice.objects.get(business=business, pk=first)

    # Lock the supplier so two clerks typing the same bill queue here, and the
    # second is told it exists instead of meeting the unique index.
    Supplier.objects.select_for_update().filter(pk=supplier.pk).first()
    if (
        SupplierInvoice.objects.filter(business=business, supplier=supplier)
        .filter(number__iexact=fields["number"])
        .exists()
    ):
        raise Conflict(
            _("Invoice %(number)s of %(supplier)s is already recorded.")
            % {"number": fields["number"], "supplier": supplier.name},
            code="duplicate",
            fields={"number": [_("Already recorded for this supplier.")]},
        )
    invoice = SupplierInvoice(
        business=business, supplier=supplier, order=order, created_by=_user(actor), **fields
    )
    if kind is not None:
        invoice.attachment.save(f"{invoice.pk}{kind[1]}", attachment, save=False)
    try:
        with transaction.atomic():
            invoice.save()
    except IntegrityError:
        raise Conflict(
            _("Invoice %(number)s of %(supplier)s is already recorded.")
            % {"number": fields["number"], "supplier": supplier.name},
            code="duplicate",
            fields={"number": [_("Already recorded for this supplier.")]},
        ) from None
    idempotency.remember(business=business, key=client_uuid, result_id=invoice.pk)
    changes = {k: [None, v] for k, v in audit.snapshot(invoice, INVOICE_FIELDS).items() if v}
    if kind is not None:
        changes["attachment"] = [None, attachment.name]
    audit.record(
        business=business,
        actor=actor,
        action="supplier_invoice.record",
        obj=invoice,
        changes=changes,
    )
    events.emit(
        "supplier_invoice.recorded",
        business=business,
        payload={
            "id": invoice.pk,
            "supplier": supplier.pk,
            "number": invoice.number,
            "total": invoice.total,
        },
    )
    return invoice


@transaction.atomic
def supplier_invoice_attach(
    *, invoice: SupplierInvoice, actor, attachment: UploadedFile
) -> SupplierInvoice:
    """Add (or replace) the scan of a recorded invoice; the figures stay as recorded."""
    kind = check_attachment(attachment)
    invoice = (
        SupplierInvoice.objects.select_for_update().select_related("business").get(pk=invoice.pk)
    )
    before = invoice.attachment.name or None
    invoice.attachment.save(f"{invoice.pk}{kind[1]}", attachment, save=False)
    invoice.save(update_fields=["attachment", "updated_at"])
    audit.record(
        business=invoice.business,
        actor=actor,
        action="supplier_invoice.attach",
        obj=invoice,
        changes={"attachment": [before, attachment.name]},
    )
    return invoice


def attachment_content_type(invoice: SupplierInvoice) -> str | None:
    """The type of the stored scan (its extension was chosen from its content)."""
    if not invoice.attachment:
        return None
    return CONTENT_TYPE_OF_EXTENSION.get(PurePosixPath(invoice.attachment.name).suffix.lower())


# --- supplier payments -----------------------------------------------------------------------


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _locked_invoice(invoice: SupplierInvoice) -> SupplierInvoice:
    return SupplierInvoice.objects.select_for_update().get(pk=invoice.pk)


@transaction.atomic
def supplier_payment_record(
    *,
    business: Business,
    actor,
    supplier: Supplier,
    amount,
    method: str,
    paid_on,
    invoice: SupplierInvoice | None = None,
    reference: str = "",
    note: str = "",
    client_uuid: UUID | None = None,
) -> SupplierPayment:
    """Record money paid to a supplier, against one of its invoices or on account.

    Against an invoice the amount may not exceed what is left to pay on it (the
    rest goes on account): the invoice row is locked while checking and adding,
    so two simultaneous payments cannot both pass. Idempotent on `client_uuid`.
    """
    _check_supplier(business, supplier)
    fields = {
        "amount": _amount(amount, field="amount", currency=business.currency),
        "method": str(method or ""),
        "paid_on": _date(paid_on, field="paid_on", business=business),
        "reference": _text(reference, field="reference", max_length=120),
        "note": _text(note, field="note", max_length=500),
    }
    if fields["method"] not in SupplierPaymentMethod.values:
        raise _invalid("method", _("Choose cash, bank transfer, card, cheque or other."))
    if invoice is not None:
        if invoice.business_id != business.pk:
            raise NotFound(_("This invoice does not exist."), fields={"invoice": [_("Not found.")]})
        if invoice.supplier_id != supplier.pk:
            raise _invalid("invoice", _("This invoice is from another supplier."))
    first = idempotency.claim(
        business=business,
        key=client_uuid,
        scope="supplier_payment.record",
        payload={
            **fields,
            "supplier": str(supplier.pk),
            "invoice": str(invoice.pk) if invoice else None,
        },
    )
    if first is not None:
        return SupplierPayment.objects.get(business=business, pk=first)
    if invoice is not None:
        invoice = _locked_invoice(invoice)
        left = invoice.total - invoice.paid_total
        if fields["amount"] > left:
            raise _invalid(
                "amount",
                _("Only %(left)s is left to pay on invoice %(number)s; record the rest on account.")
                % {"left": quantize(left, business.currency), "number": invoice.number},
            )
    payment = SupplierPayment.objects.create(
        business=business,
        supplier=supplier,
        invoice=invoice,
        created_by=_user(actor),
        client_uuid=client_uuid,
        **fields,
    )
    if invoice is not None:
        invoice.paid_total += payment.amount
        invoice.save(update_fields=["paid_total", "updated_at"])
    idempotency.remember(business=business, key=client_uuid, result_id=payment.pk)
    audit.record(
        business=business,
        actor=actor,
        action="supplier_payment.record",
        obj=payment,
        changes={k: [None, v] for k, v in audit.snapshot(payment, PAYMENT_FIELDS).items() if v},
    )
    events.emit(
        "supplier_payment.recorded",
        business=business,
        payload={
            "id": payment.pk,
            "supplier": supplier.pk,
            "invoice": invoice.pk if invoice else None,
            "amount": payment.amount,
        },
    )
    return payment


@transaction.atomic
def supplier_payment_reverse(
    *,
    payment: SupplierPayment,
    actor,
    reason: str,
    paid_on=None,
    client_uuid: UUID | None = None,
) -> SupplierPayment:
    """Cancel a payment by adding its opposite (negative amount, `reverses` set).

    The original stays as it was; the invoice it paid is owed again. A payment
    is reversed at most once, and a reversal itself cannot be reversed (record
    the payment again instead). Idempotent on `client_uuid`.
    """
    business = payment.business
    reason = _text(reason, field="reason", max_length=500, required=True)
    paid_on = (
        _date(paid_on, field="paid_on", business=business)
        if paid_on not in (None, "")
        else local_today(business)
    )
    first = idempotency.claim(
        business=business,
        key=client_uuid,
        scope="supplier_payment.reverse",
        payload={"payment": str(payment.pk), "reason": reason, "paid_on": paid_on},
    )
    if first is not None:
        return SupplierPayment.objects.get(business=business, pk=first)
    # Lock order: the invoice first, then the payment (as supplier_payment_record).
    invoice = _locked_invoice(payment.invoice) if payment.invoice_id else None
    payment = SupplierPayment.objects.select_for_update().get(pk=payment.pk)
    if payment.reverses_id is not None or payment.amount < 0:
        raise Conflict(
            _("This is a reversal; it cannot be reversed. Record the payment again instead."),
            code="is_reversal",
        )
    if SupplierPayment.objects.filter(reverses=payment).exists():
        raise Conflict(_("This payment was already reversed."), code="already_reversed")
    reversal = SupplierPayment.objects.create(
        business=business,
        supplier_id=payment.supplier_id,
        invoice=invoice,
        amount=-payment.amount,
        method=payment.method,
        paid_on=paid_on,
        reference=payment.reference,
        note=reason,
        reverses=payment,
        created_by=_user(actor),
        client_uuid=client_uuid,
    )
    if invoice is not None:
        invoice.paid_total += reversal.amount
        invoice.save(update_fields=["paid_total", "updated_at"])
    idempotency.remember(business=business, key=client_uuid, result_id=reversal.pk)
    audit.record(
        business=business,
        actor=actor,
        action="supplier_payment.reverse",
        obj=reversal,
        changes={
            "reverses": [None, str(payment.pk)],
            "amount": [None, reversal.amount],
            "note": [None, reason],
        },
    )
    events.emit(
        "supplier_payment.reversed",
        business=business,
        payload={"id": reversal.pk, "reverses": payment.pk, "supplier": payment.supplier_id},
    )
    return reversal
