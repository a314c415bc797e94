"""Return pages: the list (filters, CSV/XLSX export), one return, and recording a
return from an order or a ticket.

Thin on purpose: the forms check shape only, `services_returns.return_record`
decides what can come back, and its errors are shown beside the field they name
(`lines[2].quantity` → the quantity box of the third line chosen). A client UUID
made when the form is drawn makes a double submit record one return. Reading
needs `read` on Sales; recording needs `full`. Another business's order, ticket
or return is a 404.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET

from hanout.core.errors import DomainError
from hanout.core.exports import file_response
from hanout.core.pages import apply_domain_error, member_required
from hanout.core.permissions import Level, Module
from hanout.core.selectors import business_zone
from hanout.inventory.models import Location
from hanout.pos.forms import ClientUuidForm
from hanout.sales import selectors_returns as selectors
from hanout.sales import services_returns as services
from hanout.sales import services_returns_lines
from hanout.sales.models import CustomerOrder, CustomerReturn, RefundMethod, ReturnDisposition

PAGE_SIZE = 50
ZERO = Decimal(0)
_LINE_ERROR = re.compile(r"^lines\[(\d+)\]\.(\w+)$")


class DecimalCommaField(forms.DecimalField):
    """A number where a decimal comma (1,5 typed in French) is read as a point."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


_NUMBER = {"inputmode": "decimal", "autocomplete": "off", "dir": "ltr"}

# --- forms --------------------------------------------------------------------------------------


class ReturnFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": gettext_lazy("RT-000004, SO-000012, a reason or a name"),
            }
        ),
    )
    source = forms.ChoiceField(
        label=pgettext_lazy("return origin", "From"),
        required=False,
        choices=[
            ("", gettext_lazy("Orders and tickets")),
            ("order", gettext_lazy("Orders")),
            ("sale", gettext_lazy("Tickets")),
        ],
    )
    refund_method = forms.ChoiceField(
        label=gettext_lazy("Refund method"),
        required=False,
        choices=[("", gettext_lazy("Any method")), *RefundMethod.choices],
    )
    date_from = forms.DateField(
        label=gettext_lazy("From date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=gettext_lazy("To date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "search": data.get("q") or None,
            "source": data.get("source") or None,
            "refund_method": data.get("refund_method") or None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }


class ReturnForm(ClientUuidForm):
    """One quantity and one "what becomes of the goods" per line, the reason, the
    refund and the location. Shape only: the service decides how much can come back."""

    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=services.MAX_REASON,
        help_text=gettext_lazy("Why the customer brings it back, e.g. “damaged in transit”."),
        error_messages={"required": gettext_lazy("Say why the goods come back.")},
    )
    refund_method = forms.ChoiceField(
        label=gettext_lazy("Refund"), choices=RefundMethod.choices, widget=forms.RadioSelect
    )
    refund_amount = DecimalCommaField(
        label=gettext_lazy("Amount refunded"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=3,
        help_text=gettext_lazy("Empty: the returned lines' total (never more)."),
        widget=forms.TextInput(attrs=_NUMBER),
    )
    refund_reference = forms.CharField(
        label=gettext_lazy("Refund reference"),
        required=False,
        max_length=services.MAX_REFERENCE,
        help_text=gettext_lazy("The bank transfer's or the card refund's reference, if any."),
    )
    location = forms.ModelChoiceField(
        label=gettext_lazy("Goods go back to"), queryset=Location.objects.none(), empty_label=None
    )

    def __init__(self, *args, rows, business, default_location, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = (
            Location.objects.for_business(business).filter(is_active=True).select_related("shop")
        )
        self.fields["location"].label_from_instance = lambda loc: f"{loc.shop.name} · {loc.name}"
        if default_location is not None:
            self.fields["location"].initial = default_location.pk
        self.fields["refund_method"].initial = RefundMethod.CASH
        self.lines = []
        for row in rows:
            qty_name, disp_name = f"qty_{row.pk}", f"disp_{row.pk}"
            attrs = {**_NUMBER, "size": 6}
            if row.left <= 0:
                # Only the box is disabled: a resent form still carries its quantities,
                # and the service answers with the first return or refuses.
                attrs["disabled"] = True
            self.fields[qty_name] = DecimalCommaField(
                label=row.line.name,
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=3,
                initial=0,
                widget=forms.TextInput(attrs=attrs),
            )
            self.fields[disp_name] = forms.ChoiceField(
                label=gettext_lazy("Goods"),
                choices=ReturnDisposition.choices,
                initial=ReturnDisposition.RESTOCK,
                required=False,
            )
            self.lines.append((row, qty_name, disp_name))

    def table(self):
        """(row, quantity field, disposition field) for the template."""
        return [(row, self[q], self[d]) for row, q, d in self.lines]

    def _chosen(self):
        return [(row, q, d) for row, q, d in self.lines if (self.cleaned_data.get(q) or ZERO) > 0]

    def chosen(self) -> list[services_returns_lines.ReturnLineInput]:
        return [
            services_returns_lines.ReturnLineInput(
                line=row.line,
                quantity=self.cleaned_data[q],
                disposition=self.cleaned_data.get(d) or ReturnDisposition.RESTOCK,
            )
            for row, q, d in self._chosen()
        ]

    def clean(self):
        data = super().clean()
        if not self.errors and not self._chosen():
            raise ValidationError(_("Enter a quantity for at least one line."))
        return data

    def place(self, exc: DomainError) -> None:
        """Put the service's error beside the line's box it names (lines[i] is the
        i-th line chosen), other fields beside themselves, the rest on top."""
        chosen = self._chosen()
        fields: dict[str, list] = {}
        for key, msgs in exc.fields.items():
            match = _LINE_ERROR.match(key)
            if match and int(match.group(1)) < len(chosen):
                _row, q, d = chosen[int(match.group(1))]
                key = d if match.group(2) == "disposition" else q
            elif key not in self.fields or key == "client_uuid":
                key, msgs = "__all__", [exc.message] if key == "client_uuid" else msgs
            fields.setdefault(key, []).extend(msgs if isinstance(msgs, list) else [msgs])
        exc.fields = fields
        apply_domain_error(self, exc)


# --- helpers ----------------------------------------------------------------------------------


def _url_or_empty(name: str, pk) -> str:
    """A link to another part's page when it exists (orders, invoices are built beside us)."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _source(request):
    """The order or the ticket named by ?order= / ?sale= (POST carries them too)."""
    from hanout.pos.models import Sale

    business = request.business
    order_id = request.GET.get("order") or request.POST.get("order")
    sale_id = request.GET.get("sale") or request.POST.get("sale")
    try:
        if order_id:
            return selectors.order_for_return(business=business, pk=order_id), None
        if sale_id:
            return None, selectors.sale_for_return(business=business, pk=sale_id)
    except (ValidationError, ValueError, CustomerOrder.DoesNotExist, Sale.DoesNotExist) as exc:
        raise Http404 from exc
    return None, None


def _default_location(order, sale):
    if order is not None:
        return order.location
    from hanout.pos.services import register_location

    return register_location(sale.register)


# --- pages ------------------------------------------------------------------------------------


@member_required(Module.SALES)
def return_list(request):
    form = ReturnFilterForm(request.GET or None)
    returns = selectors.return_list(business=request.business, **form.filters())
    page = Paginator(returns, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "sales/return_list.html#rows" if request.htmx else "sales/return_list.html"
    return render(
        request, template, {"form": form, "page": page, "query": _query_without_page(request)}
    )


@member_required(Module.SALES)
def return_detail(request, pk):
    try:
        ret = selectors.return_get(business=request.business, pk=pk)
    except (CustomerReturn.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc
    note = selectors.credit_note_of(ret)
    context = {
        "ret": ret,
        "credit_note": note,
        "credit_note_url": _url_or_empty("invoice_detail", note.pk) if note else "",
        "credited_url": (
            _url_or_empty("invoice_detail", note.credited_invoice_id)
            if note and note.credited_invoice_id
            else ""
        ),
        "source_url": (
            _url_or_empty("order_detail", ret.order_id)
            if ret.order_id
            else _url_or_empty("pos_sale_detail", ret.sale_id)
        ),
        "customer_url": _url_or_empty("customer_detail", ret.customer_id)
        if ret.customer_id
        else "",
        "lines": list(ret.lines.all()),
    }
    return render(request, "sales/return_detail.html", context)


@member_required(Module.SALES, level=Level.FULL)
def return_create(request):
    order, sale = _source(request)
    if order is None and sale is None:
        query = (request.GET.get("q") or "").strip()
        found = selectors.find_sources(business=request.business, query=query)
        return render(
            request,
            "sales/return_start.html",
            {"q": query, "found": found, "searched": bool(query)},
        )
    context = {"order": order, "sale": sale}
    source = order or sale
    context["source_url"] = (
        _url_or_empty("order_detail", order.pk)
        if order
        else _url_or_empty("pos_sale_detail", sale.pk)
    )
    if order is not None and not selectors.order_returnable(order):
        context["refusal"] = _(
            "Nothing of order %(number)s was shipped yet: there is nothing to take back."
        ) % {"number": order.reference}
    elif sale is not None and sale.kind != "sale":
        context["refusal"] = _("A return ticket cannot itself be returned.")
    if "refusal" in context:
        return render(
            request,
            "sales/return_form.html",
            context,
            status=400 if request.method == "POST" else 200,
        )
    rows = selectors.returnable_lines(order=order, sale=sale)
    form = ReturnForm(
        request.POST or None,
        rows=rows,
        business=request.business,
        default_location=_default_location(order, sale),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ret = services.return_record(
                business=request.business,
                actor=request.user,
                order=order,
                sale=sale,
                lines=form.chosen(),
                reason=data["reason"],
                refund_method=data["refund_method"],
                refund_amount=data.get("refund_amount"),
                refund_reference=data.get("refund_reference") or "",
                location=data["location"],
                client_uuid=data["client_uuid"],
            )
        except DomainError as exc:
            form.place(exc)
        else:
            if not ret.replayed:
                messages.success(
                    request,
                    _("Return %(number)s recorded for %(source)s.")
                    % {"number": ret.reference, "source": source},
                )
            return redirect("return_detail", pk=ret.pk)
    context.update(form=form, nothing_left=not any(row.left > 0 for row in rows))
    return render(request, "sales/return_form.html", context, status=400 if form.is_bound else 200)


@require_GET
@member_required(Module.SALES)
def return_export(request):
    """The list's returns (same filters), one row per returned line, as CSV or XLSX."""
    kind = request.GET.get("file", "csv")
    if kind not in ("csv", "xlsx"):
        raise Http404
    form = ReturnFilterForm(request.GET or None)
    business = request.business
    tz = business_zone(business)
    returns = selectors.return_list(business=business, tz=tz, **form.filters())
    header, rows = selectors.export_table(returns, currency=business.currency, tz=tz)
    response = file_response(
        kind,
        name=f"returns-{timezone.localtime().strftime('%Y%m%d-%H%M')}",
        title=_("Returns"),
        header=header,
        rows=rows,
        stream=False,
        number_format=selectors.NUMBER_FORMAT,
    )
    response["Cache-Control"] = "private, no-store"
    return response
