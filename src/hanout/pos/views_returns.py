"""Returns at the register: take back some lines of a ticket, and find a ticket by
scanning its number.

The return page lists the original ticket's product lines (sold, already returned,
still returnable) with a quantity each; `pos.services.sale_return` decides the rules
(how much can come back, the open session, the refund split) and its errors are shown
beside the field they name. A client UUID made when the page is drawn makes a double
submit record one return.

`sales` wraps the Tickets list: a search that is exactly one ticket number matching
exactly one sale goes straight to that ticket (a barcode scanner types the number
and Enter).
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_htmx.http import HttpResponseClientRedirect

from hanout.core.errors import DomainError
from hanout.core.pages import apply_domain_error, member_required
from hanout.core.permissions import Level, Module
from hanout.pos import reports, selectors, services, views_reports
from hanout.pos.forms import ClientUuidForm
from hanout.pos.models import LineKind, Sale, SaleKind

ZERO = Decimal(0)
_LINE_ERROR = re.compile(r"^lines\[(\d+)\]\.")


class QuantityField(forms.DecimalField):
    """A quantity to take back; a decimal comma (1,5 typed in French) is read as a point."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class SaleReturnForm(ClientUuidForm):
    """One quantity per product line of the ticket (0 = not returned), how to refund,
    why, and whether the goods go back in stock. Shape only: the service decides how
    much can come back."""

    refund_method = forms.ChoiceField(
        label=gettext_lazy("Refund"),
        choices=[
            ("original", gettext_lazy("By the original method")),
            ("cash", gettext_lazy("In cash")),
        ],
        initial="original",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=200,
        help_text=gettext_lazy("Why the customer brings it back, e.g. “damaged”."),
        error_messages={"required": gettext_lazy("Say why the customer brings it back.")},
    )
    restock = forms.BooleanField(
        label=gettext_lazy("Put the goods back in stock"), required=False, initial=True
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = []
        for line in lines:
            left = line.quantity - line.returned_quantity
            name = f"qty_{line.pk}"
            self.fields[name] = QuantityField(
                label=line.name,
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=3,
                initial=0,
                widget=forms.TextInput(
                    attrs={
                        "inputmode": "decimal",
                        "autocomplete": "off",
                        "dir": "ltr",
                        "size": 6,
                        # Nothing left to take back. Only the input is disabled: a resent
                        # form (double submit) still carries its quantities to the service,
                        # which answers with the first return or refuses.
                        **({"disabled": True} if left <= 0 else {}),
                    }
                ),
            )
            self.lines.append((line, name, left))

    def rows(self):
        """(line, bound field, returnable) for the template."""
        return [(line, self[name], left) for line, name, left in self.lines]

    def _chosen(self) -> list[tuple]:
        return [
            (line, name, self.cleaned_data[name])
            for line, name, _left in self.lines
            if (self.cleaned_data.get(name) or ZERO) > 0
        ]

    def chosen(self) -> list[tuple]:
        """The (line, quantity) pairs with a quantity above zero, in ticket order."""
        return [(line, qty) for line, _name, qty in self._chosen()]

    def place(self, exc: DomainError) -> None:
        """Show the service's error beside the quantity of the line it names
        (the service numbers the lines it was given: lines[0] is the first chosen)."""
        names = [name for _line, name, _qty in self._chosen()]
        fields = {}
        for key, msgs in exc.fields.items():
            match = _LINE_ERROR.match(key)
            if match and int(match.group(1)) < len(names):
                key = names[int(match.group(1))]
            elif key not in self.fields:
                # The sale, session, register, lines …: at the top of the form. A client
                # UUID reused with other quantities says what happened in a sentence.
                key, msgs = "__all__", [exc.message] if key == "client_uuid" else msgs
            fields.setdefault(key, []).extend(msgs if isinstance(msgs, list) else [msgs])
        exc.fields = fields
        apply_domain_error(self, exc)


def _product_lines(sale: Sale) -> list:
    lines = [line for line in sale.lines.all() if line.kind == LineKind.PRODUCT]
    return sorted(lines, key=lambda line: line.position)


@member_required(Module.REGISTER, Level.FULL)
def sale_return(request, pk):
    sale = views_reports._sale_or_404(request, pk)
    context = {"sale": sale}
    if sale.kind != SaleKind.SALE:
        context["refusal"] = _("A return cannot itself be returned.")
        return render(
            request,
            "pos/sale_return.html",
            context,
            status=400 if request.method == "POST" else 200,
        )
    lines = _product_lines(sale)
    form = SaleReturnForm(request.POST or None, lines=lines)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ret = services.sale_return(
                sale=sale,
                actor=request.user,
                client_uuid=data["client_uuid"],
                lines=form.chosen(),
                refund_method=data["refund_method"],
                reason=data["reason"],
                restock=data["restock"],
                membership=request.membership,
            )
        except DomainError as exc:
            form.place(exc)
        else:
            if not getattr(ret, "replayed", False):
                messages.success(
                    request,
                    _("Return %(number)s recorded for ticket %(ticket)s.")
                    % {"number": ret.ticket_number, "ticket": sale.ticket_number},
                )
            return redirect("pos_sale_detail", pk=ret.pk)
    context["form"] = form
    return render(request, "pos/sale_return.html", context, status=400 if form.is_bound else 200)


@member_required(Module.REGISTER)
def sales(request):
    """The Tickets list; a scanned ticket number that names one sale opens that ticket.

    The number is read as printed ("000123" is sale 123, "R000004" is return 4) within
    the business and the list's other filters (a register picks among the registers'
    own numbering); anything else is the list as usual."""
    query = (request.GET.get("q") or "").strip()
    parsed = selectors.ticket_parse(query, bare=None) if query else None
    if parsed is not None and not (request.GET.get("after") or request.GET.get("before")):
        form = views_reports.SalesFilterForm(request.GET, business=request.business)
        if form.is_valid():
            filters = form.cleaned_data
            found = reports.sale_history(
                business=request.business,
                day=filters.get("date"),
                register=filters.get("register"),
                cashier=filters.get("cashier"),
                ticket=query,
            ).filter(kind=parsed[0] or SaleKind.SALE)
            matches = list(found.values_list("pk", flat=True)[:2])
            if len(matches) == 1:
                target = reverse("pos_sale_detail", args=[matches[0]])
                if request.htmx:
                    # htmx would swap the ticket page into the rows: send the browser there.
                    return HttpResponseClientRedirect(target)
                return redirect(target)
    return views_reports.sales(request)


@member_required(Module.REGISTER, Level.FULL)
def refund_retry(request, pk, payment_pk):
    """Send a failed phone refund of this return again."""
    if request.method != "POST":
        return redirect("pos_sale_detail", pk=pk)
    from hanout.pos.models import Payment
    from hanout.pos.services_refunds import phone_refund_retry

    payment = (
        Payment.objects.for_business(request.business).filter(pk=payment_pk, sale_id=pk).first()
    )
    if payment is None:
        raise Http404
    try:
        phone_refund_retry(payment=payment, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The refund was sent to the payment provider again."))
    return redirect("pos_sale_detail", pk=pk)
