"""The cash session at the register: open with a float, paid in / paid out with a
reason, close by counting the drawer note by note (the Z figures: expected,
counted, difference).

Each page needs the paired device and the cashier signed in at it
(`cashier_required`); closing is refused while the register says sales made
offline still wait to be sent.
"""

from __future__ import annotations

from babel.numbers import get_currency_precision
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hanout.catalog.templatetags.catalog_tags import money_format
from hanout.core.errors import DomainError, NotFound
from hanout.core.pages import apply_domain_error, member_required
from hanout.core.permissions import Level, Module
from hanout.pos import selectors, services, services_register
from hanout.pos.forms import CashMovementForm, SessionCloseForm, SessionOpenForm
from hanout.pos.models import SessionStatus
from hanout.pos.views_register import (
    cashier_required,
    current_device,
    pending_count,
    pending_message,
    register_cashier,
    url_or,
)


@require_POST
@cashier_required
def session_open_view(request):
    register = request.pos_register
    if selectors.session_current(register=register) is not None:
        return redirect("pos_till")
    form = SessionOpenForm(request.POST)
    if form.is_valid():
        try:
            services_register.register_hours_check(
                membership=request.pos_membership, shop=register.shop
            )
            services.session_open(
                register=register,
                actor=request.user,
                opening_float=form.cleaned_data["opening_float"],
                client_uuid=form.cleaned_data["client_uuid"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return redirect("pos_till")
    return render(
        request,
        "pos/session_open.html",
        {"register": register, "form": form, "cashier": request.user},
        status=400,
    )


def _open_session_or_redirect(request):
    session = selectors.session_current(register=request.pos_register)
    if session is None:
        messages.info(request, _("No session is open on this register."))
    return session


@never_cache
@cashier_required
def session_cash_view(request):
    session = _open_session_or_redirect(request)
    if session is None:
        return redirect("pos_till")
    form = CashMovementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            movement = services.session_cash_movement(
                session=session,
                actor=request.user,
                kind=d["kind"],
                amount=d["amount"],
                reason=d["reason"].strip(),
                client_uuid=d["client_uuid"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("%(kind)s recorded: %(amount)s %(currency)s.")
                % {
                    "kind": movement.get_kind_display(),
                    "amount": movement.amount,
                    "currency": request.pos_register.business.currency,
                },
            )
            return redirect("pos_till")
    return render(
        request,
        "pos/session_cash.html",
        {
            "register": request.pos_register,
            "session": session,
            "form": form,
            "movements": session.movements.select_related("actor").order_by("created_at"),
            "currency": request.pos_register.business.currency,
        },
        status=400 if form.is_bound else 200,
    )


@never_cache
@cashier_required
def session_close_view(request):
    session = _open_session_or_redirect(request)
    if session is None:
        return redirect("pos_till")
    currency = request.pos_register.business.currency
    form = SessionCloseForm(request.POST or None, currency=currency)
    status = 200
    if request.method == "POST":
        status = 400
        pending = pending_count(request)
        if pending:
            form.is_valid()
            form.add_error(None, pending_message(pending))
            status = 409
        elif form.is_valid():
            d = form.cleaned_data
            kwargs = {"note": d["note"].strip()}
            if form.by_denomination and d["counted_denominations"]:
                kwargs["counted_denominations"] = d["counted_denominations"]
            elif form.by_denomination:
                kwargs["counted_cash"] = d["counted_total"]  # an empty drawer, counted
            else:
                kwargs["counted_cash"] = d["counted_cash"]
            try:
                closed = services.session_close(session=session, actor=request.user, **kwargs)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                return redirect("pos_session_closed", pk=closed.pk)
    return render(
        request,
        "pos/session_close.html",
        {
            "register": request.pos_register,
            "session": session,
            "form": form,
            "currency": currency,
            "decimal_places": get_currency_precision(currency),
            "money_format": money_format(request.pos_register.business),
        },
        status=status,
    )


@never_cache
@member_required(Module.REGISTER, Level.READ)
def session_closed_view(request, pk):
    try:
        session = selectors.session_get(business=request.business, pk=pk)
    except (ObjectDoesNotExist, NotFound, ValueError) as exc:
        raise Http404 from exc
    if session.status != SessionStatus.CLOSED:
        return redirect("pos_till")
    device = current_device(request)
    return render(
        request,
        "pos/session_close.html",
        {
            "register": session.register,
            "session": session,
            "form": None,
            "currency": request.business.currency,
            "report_url": url_or(
                "pos_session_report", session.pk, fallback=f"/pos/sessions/{session.pk}/"
            ),
            "at_register": register_cashier(request, device) is not None,
        },
    )
