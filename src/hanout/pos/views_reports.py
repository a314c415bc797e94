"""Register pages after the sale: the sales history, one ticket (reprint, PDF, email),
the Z report of a cash session, and the end-of-day report with its downloads.

Thin on purpose: every object is looked up scoped to request.business (another
business's id is a 404), the data comes from `pos.tickets` and `pos.reports`,
and the only writes (recording the email address, auditing a reprint) are the
small services in `pos.tickets`.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.core.errors import DomainError
from hanout.core.keyset import keyset_page
from hanout.core.pages import member_required
from hanout.core.permissions import Module
from hanout.pos import reports, reports_exports, reports_session, tickets
from hanout.pos.models import CashSession, PrinterKind, Register, Sale

PAGE_SIZE = 50


# --- lookups -------------------------------------------------------------------------------


def _sale_or_404(request, pk) -> Sale:
    sale = (
        Sale.objects.for_business(request.business)
        .select_related("business", "shop", "register", "cashier", "original", "session")
        .prefetch_related("lines", "payments")
        .filter(pk=pk)
        .first()
    )
    if sale is None:
        raise Http404
    sale._ticket_ready = True
    return sale


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "") or bool(
        request.headers.get("HX-Request")
    )


# --- filters -------------------------------------------------------------------------------


def _sane_day(day):
    """A day the report can bound (the day after it must exist)."""
    if day is not None and not 1900 <= day.year <= 9998:
        raise forms.ValidationError(_("Choose a day between 1900 and 9998."))
    return day


class SalesFilterForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    register = forms.ModelChoiceField(
        label=gettext_lazy("Register"),
        queryset=Register.objects.none(),
        required=False,
        empty_label=gettext_lazy("All registers"),
    )
    cashier = forms.ChoiceField(label=gettext_lazy("Cashier"), required=False)
    q = forms.CharField(
        label=gettext_lazy("Ticket number"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "000123"}),
    )

    def __init__(self, *args, business, **kwargs):
        from hanout.accounts.models import Membership

        super().__init__(*args, **kwargs)
        self.business = business
        self.fields["register"].queryset = Register.objects.for_business(business).select_related(
            "shop"
        )
        people = (
            Membership.objects.filter(business=business)
            .select_related("user")
            .order_by("user__full_name", "user__email")
        )
        self.users = {str(m.user_id): m.user for m in people}
        self.fields["cashier"].choices = [("", _("Everyone"))] + [
            (key, user.full_name or user.email) for key, user in self.users.items()
        ]

    def clean_date(self):
        return _sane_day(self.cleaned_data.get("date"))

    def clean_cashier(self):
        value = self.cleaned_data.get("cashier")
        return self.users.get(value) if value else None


class DayReportForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    shop = forms.ModelChoiceField(
        label=gettext_lazy("Shop"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("All shops"),
    )
    register = forms.ModelChoiceField(
        label=gettext_lazy("Register"),
        queryset=Register.objects.none(),
        required=False,
        empty_label=gettext_lazy("All registers"),
    )

    def __init__(self, *args, business, **kwargs):
        from hanout.core.models import Shop

        super().__init__(*args, **kwargs)
        self.fields["shop"].queryset = Shop.objects.for_business(business)
        self.fields["register"].queryset = Register.objects.for_business(business).select_related(
            "shop"
        )

    def clean_date(self):
        return _sane_day(self.cleaned_data.get("date"))

    def clean(self):
        data = super().clean()
        shop, register = data.get("shop"), data.get("register")
        if shop and register and register.shop_id != shop.pk:
            self.add_error("register", _("This register is in another shop."))
        return data


# --- sales history and tickets -------------------------------------------------------------


@member_required(Module.REGISTER)
def sales(request):
    form = SalesFilterForm(request.GET or None, business=request.business)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = reports.sale_history(
        business=request.business,
        day=filters.get("date"),
        register=filters.get("register"),
        cashier=filters.get("cashier"),
        ticket=filters.get("q") or "",
    )
    page = keyset_page(
        queryset,
        order=("-sold_at", "-id"),
        size=PAGE_SIZE,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )
    params = request.GET.copy()
    for key in ("after", "before"):
        params.pop(key, None)
    context = {"form": form, "page": page, "query": params.urlencode()}
    if request.htmx and request.htmx.target == "sale-rows":
        return render(request, "pos/sales.html#rows", context)
    return render(request, "pos/sales.html", context)


def _detail_context(request, sale: Sale, **extra) -> dict:
    ticket = tickets.ticket_data(sale)
    with translation.override(ticket.language):
        ticket_html = render_to_string("pos/ticket.html", {"ticket": ticket})
    returns = list(sale.returns.order_by("sold_at")) if sale.kind == "sale" else []
    return {
        "sale": sale,
        "ticket": ticket,
        "ticket_html": ticket_html,
        "returns": returns,
        "provider_refunds": [p for p in sale.payments.all() if p.provider_status],
        "can_print": sale.register.printer_kind != PrinterKind.NONE,
        "email": extra.pop("email", sale.email),
        **extra,
    }


@member_required(Module.REGISTER)
def sale_detail(request, pk):
    sale = _sale_or_404(request, pk)
    return render(request, "pos/sale_detail.html", _detail_context(request, sale))


@member_required(Module.REGISTER)
def ticket_pdf(request, pk):
    sale = _sale_or_404(request, pk)
    ticket = tickets.ticket_data(sale)
    pdf = tickets.ticket_pdf(sale, ticket=ticket)
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{tickets.ticket_filename(ticket)}"'
    return response


@member_required(Module.REGISTER)
def ticket_print(request, pk):
    if request.method != "POST":
        return redirect("pos_sale_detail", pk=pk)
    sale = _sale_or_404(request, pk)
    try:
        tickets.print_ticket(sale, actor=request.user)
    except DomainError as exc:
        if _wants_json(request):
            return JsonResponse(
                {"error": {"code": exc.code, "message": exc.message, "fields": exc.fields}},
                status=exc.status,
            )
        messages.error(request, exc.message)
    else:
        if _wants_json(request):
            return JsonResponse({"printed": True, "ticket": sale.ticket_number})
        messages.success(
            request,
            _("Ticket %(number)s was sent to the printer.") % {"number": sale.ticket_number},
        )
    return redirect("pos_sale_detail", pk=sale.pk)


@member_required(Module.REGISTER)
def ticket_email(request, pk):
    if request.method != "POST":
        return redirect("pos_sale_detail", pk=pk)
    sale = _sale_or_404(request, pk)
    email = request.POST.get("email", "").strip()[:254]
    try:
        tickets.sale_ticket_email(sale=sale, actor=request.user, email=email)
    except DomainError as exc:
        if _wants_json(request):
            return JsonResponse(
                {"error": {"code": exc.code, "message": exc.message, "fields": exc.fields}},
                status=exc.status,
            )
        context = _detail_context(request, sale, email=email, email_error=exc.message)
        return render(request, "pos/sale_detail.html", context, status=exc.status)
    if _wants_json(request):
        return JsonResponse({"emailed": True, "email": email})
    messages.success(
        request,
        _("Ticket %(number)s was emailed to %(email)s.")
        % {"number": sale.ticket_number, "email": email},
    )
    return redirect("pos_sale_detail", pk=sale.pk)


# --- the Z report --------------------------------------------------------------------------


@member_required(Module.REGISTER)
def session_report(request, pk):
    session = CashSession.objects.for_business(request.business).filter(pk=pk).first()
    if session is None:
        raise Http404
    z = reports_session.session_report(session=session)
    if request.GET.get("format") == "pdf":
        pdf = reports_session.session_report_pdf(z)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="z-report-{reports_exports.slug(z.register.name)}-{z.session.number}.pdf"'
        )
        return response
    return render(request, "pos/z_report.html", {"z": z})


# --- the end-of-day report -----------------------------------------------------------------

DOWNLOADS = {
    "csv": ("text/csv; charset=utf-8", reports_exports.report_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        reports_exports.report_xlsx,
    ),
    "pdf": ("application/pdf", reports_exports.report_pdf),
}


@member_required(Module.REPORTS)
def day_report(request):
    form = DayReportForm(request.GET or None, business=request.business)
    data = form.cleaned_data if form.is_valid() else {}
    shop, register = data.get("shop"), data.get("register")
    if register is not None:
        shop = register.shop
    day = data.get("date") or reports.today_for(business=request.business, shop=shop)
    report = reports.day_report(business=request.business, day=day, shop=shop, register=register)
    kind = request.GET.get("format")
    if kind in DOWNLOADS:
        content_type, build = DOWNLOADS[kind]
        response = HttpResponse(build(report), content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="{reports_exports.filename(report, kind)}"'
        )
        return response
    params = request.GET.copy()
    params.pop("format", None)
    if not params.get("date"):
        params["date"] = day.isoformat()
    return render(
        request,
        "pos/day_report.html",
        {"form": form, "report": report, "query": params.urlencode()},
    )
