"""The owner's dashboard: today and this month against the period before, charts, top
products, stock to reorder, expenses and the cash in the drawers. Reading it folds in
what is new first, so the figures match the books at the moment of the visit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hanout.core.errors import DomainError
from hanout.core.models import Shop
from hanout.core.pages import apply_domain_error, member_required
from hanout.core.permissions import Level, Module
from hanout.pos.reports import today_for
from hanout.reports import files, selectors, services


def shop_or_404(request) -> Shop | None:
    """The `?shop=` of this business (none = every shop); another business's is a 404."""
    value = request.GET.get("shop") or None
    if value is None:
        return None
    try:
        return Shop.objects.get(business=request.business, pk=value)
    except (Shop.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def _cards(comparison) -> list[dict]:
    """The four key figures of a span, each with its value before and the change."""
    return [
        {
            "label": label,
            "value": getattr(comparison.current, attr),
            "previous": getattr(comparison.previous, attr),
            "change": comparison.change(attr),
            "money": money,
        }
        for label, attr, money in (
            (_("Sales"), "revenue", True),
            (_("Margin"), "margin", True),
            (_("Tickets"), "tickets", False),
            (_("Average basket"), "basket", True),
        )
    ]


@member_required(Module.REPORTS)
def dashboard(request):
    shop = shop_or_404(request)
    services.daily_refresh_pending(business=request.business)
    today = today_for(business=request.business, shop=shop)
    data = selectors.dashboard(business=request.business, today=today, shop=shop)
    return render(
        request,
        "reports/dashboard.html",
        {
            "data": data,
            "day_cards": _cards(data.day),
            "month_cards": _cards(data.month),
            "shops": list(Shop.objects.filter(business=request.business).order_by("name")),
            "shop": shop,
        },
    )


# --- the sales report ----------------------------------------------------------------------------

EXPORT_FORMATS = ("csv", "xlsx", "pdf")


@member_required(Module.REPORTS)
def sales_report(request):
    from hanout.reports.forms import SalesReportForm
    from hanout.reports.selectors_sales import sales_report as build

    today = today_for(business=request.business)
    form = SalesReportForm(request.GET or None, business=request.business, today=today)
    report = None
    if request.GET and not form.is_valid():
        status = 400
    else:
        status = 200
        data = form.cleaned_data if request.GET else form.initial
        services.daily_refresh_pending(business=request.business)
        report = build(
            business=request.business,
            start=data["start"],
            end=data["end"],
            by=data["by"],
            shop=data.get("shop"),
        )
        fmt = request.GET.get("format", "")
        if fmt in EXPORT_FORMATS:
            body, content_type = files.sales_file(report, fmt)
            response = HttpResponse(body, content_type=content_type)
            name = f"{files.sales_filename(report)}.{fmt}"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "reports/sales.html",
        {
            "form": form,
            "report": report,
            "query": query.urlencode(),
            "can_schedule": request.membership.can_edit(Module.REPORTS),
        },
        status=status,
    )


# --- the other reports: top products, profit, customers, expenses -------------------------------


@member_required(Module.REPORTS)
def table_report(request, slug: str):
    """A report of `forms.TABLE_REPORTS`: filters, a chart, the table, and its files."""
    from hanout.reports import tables
    from hanout.reports.forms import TABLE_REPORTS

    form_class = TABLE_REPORTS[slug]
    today = today_for(business=request.business)
    form = form_class(request.GET or None, business=request.business, today=today)
    table = None
    status = 200
    if request.GET and not form.is_valid():
        status = 400
    else:
        services.daily_refresh_pending(business=request.business)
        table = form.build()
        fmt = request.GET.get("format", "")
        if fmt in tables.FORMATS:
            return tables.download(table, fmt)
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "reports/table.html",
        {
            "form": form,
            "title": form_class.title,
            "table": table,
            "slug": slug,
            "query": query.urlencode(),
            "can_schedule": request.membership.can_edit(Module.REPORTS),
        },
        status=status,
    )


# --- scheduled report emails ---------------------------------------------------------------------


@member_required(Module.REPORTS)
def schedule_list(request):
    """The business's scheduled emails, and (full access) a form to add one."""
    from hanout.reports.forms import ScheduleForm
    from hanout.reports.models import ReportSchedule
    from hanout.reports.services_schedules import schedule_create

    status = 200
    form = ScheduleForm(request.POST or None, business=request.business)
    if request.method == "POST" and form.is_valid():
        try:
            schedule = schedule_create(
                business=request.business, actor=request.user, data=form.schedule_data()
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
            status = exc.status
        else:
            messages.success(request, _("“%(name)s” will be sent.") % {"name": schedule.name})
            return redirect("report_schedules")
    elif request.method == "POST":
        status = 400
    from hanout.reports.services_schedules import kind_label

    schedules = list(ReportSchedule.objects.for_business(request.business).select_related("shop"))
    for schedule in schedules:
        schedule.kind_label = kind_label(schedule)
    return render(
        request,
        "reports/schedules.html",
        {"form": form, "schedules": schedules, "can_edit": request.can_edit},
        status=status,
    )


def _schedule_or_404(request, pk):
    from hanout.reports.models import ReportSchedule

    return get_object_or_404(ReportSchedule.objects.for_business(request.business), pk=pk)


@member_required(Module.REPORTS, Level.FULL)
def schedule_edit(request, pk):
    from hanout.reports.forms import ScheduleForm
    from hanout.reports.services_schedules import schedule_update

    schedule = _schedule_or_404(request, pk)
    status = 200
    form = ScheduleForm(request.POST or None, business=request.business, schedule=schedule)
    if request.method == "POST" and form.is_valid():
        try:
            schedule_update(schedule=schedule, actor=request.user, data=form.schedule_data())
        except DomainError as exc:
            apply_domain_error(form, exc)
            status = exc.status
        else:
            messages.success(request, _("The schedule was saved."))
            return redirect("report_schedules")
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "reports/schedule_form.html",
        {"form": form, "schedule": schedule},
        status=status,
    )


@require_POST
@member_required(Module.REPORTS, Level.FULL)
def schedule_toggle(request, pk):
    from hanout.reports.services_schedules import schedule_update

    schedule = _schedule_or_404(request, pk)
    schedule_update(
        schedule=schedule, actor=request.user, data={"is_active": not schedule.is_active}
    )
    return redirect("report_schedules")


@require_POST
@member_required(Module.REPORTS, Level.FULL)
def schedule_delete(request, pk):
    from hanout.reports.services_schedules import schedule_delete as delete

    schedule = _schedule_or_404(request, pk)
    delete(schedule=schedule, actor=request.user)
    messages.success(request, _("“%(name)s” will no longer be sent.") % {"name": schedule.name})
    return redirect("report_schedules")
