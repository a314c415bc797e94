"""Home, health, language, settings (business, shops, opening hours) and history."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from hanout.core import selectors, services
from hanout.core.errors import DomainError
from hanout.core.forms import (
    AuditFilterForm,
    BusinessForm,
    LegalDetailsForm,
    OpeningHoursFormSet,
    ShopForm,
)
from hanout.core.middleware import SESSION_BUSINESS_KEY
from hanout.core.pages import apply_domain_error, member_required
from hanout.core.permissions import Module


def home(request):
    if not request.user.is_authenticated:
        from hanout.core.models import Business

        # A fresh installation (`hanout serve --no-demo`) starts with registration.
        return redirect("account_login" if Business.objects.exists() else "register")
    if request.membership is None:
        return redirect("no_business")
    return render(
        request,
        "core/home.html",
        selectors.home_summary(business=request.business, membership=request.membership),
    )


def no_business(request):
    return render(request, "core/no_business.html")


@never_cache
def healthz(request):
    """Database reachable and writable, migrations applied, job queue reachable: 200,
    else 503."""
    checks = {"database": "ok", "migrations": "ok", "jobs": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            if connection.vendor == "postgresql":
                # A standby answers reads but refuses every write: not a server to send
                # the shop to (after a failover, DATABASE_URL still names the old one).
                cursor.execute("SELECT pg_is_in_recovery()")
                if cursor.fetchone()[0]:
                    checks["database"] = "read-only (a standby): point DATABASE_URL at the primary"
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            checks["migrations"] = f"{len(pending)} pending"
    except Exception as exc:  # any failure is reported, not raised
        checks["database"] = f"error: {exc.__class__.__name__}"
        checks["migrations"] = "unknown"
    try:
        from huey.contrib.djhuey import HUEY

        HUEY.storage.queue_size()
    except Exception as exc:
        checks["jobs"] = f"error: {exc.__class__.__name__}"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


def set_language(request):
    """Django's language switch, also remembered on the user's profile."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
    ):
        from hanout.accounts.services import user_set_language

        user_set_language(user=request.user, language=language)
    return response


@require_POST
@member_required()
def switch_business(request):
    from hanout.accounts.selectors import active_memberships_for_user

    wanted = request.POST.get("business")
    if any(str(m.business_id) == wanted for m in active_memberships_for_user(user=request.user)):
        request.session[SESSION_BUSINESS_KEY] = wanted
    return redirect("home")


@member_required(Module.SETTINGS)
def settings_business(request):
    business = request.business
    legal_post = request.method == "POST" and request.POST.get("section") == "legal"
    form = BusinessForm(
        request.POST if request.method == "POST" and not legal_post else None,
        instance_data=business,
    )
    legal_form = LegalDetailsForm(request.POST if legal_post else None, instance_data=business)
    if legal_post and legal_form.is_valid():
        try:
            services.business_legal_update(
                business=business, actor=request.user, data=legal_form.cleaned_data
            )
        except DomainError as exc:
            apply_domain_error(legal_form, exc)
        else:
            messages.success(request, _("Legal details saved."))
            return redirect("settings_business")
    elif request.method == "POST" and not legal_post and form.is_valid():
        try:
            services.business_update(business=business, actor=request.user, data=form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Business settings saved."))
            return redirect("settings_business")
    shops = selectors.shop_list(business=business)
    from hanout.sync.selectors import may_manage_backups  # noqa: PLC0415 (core before sync)

    return render(
        request,
        "core/settings_business.html",
        {
            "form": form,
            "legal_form": legal_form,
            "shops": shops,
            "backups": may_manage_backups(request.user),
        },
    )


@member_required(Module.SETTINGS)
def shop_edit(request, pk=None):
    business = request.business
    shop = None
    if pk is not None:
        try:
            shop = selectors.shop_get(business=business, pk=pk)
        except selectors.Shop.DoesNotExist as exc:
            raise Http404 from exc
    form = ShopForm(request.POST or None, instance_data=shop, prefix="shop")
    hours = OpeningHoursFormSet(
        request.POST or None, initial=selectors.hours_initial(shop), prefix="hours"
    )
    if request.method == "POST" and form.is_valid() and hours.is_valid():
        rows = [f.cleaned_data for f in hours.forms]
        try:
            if shop is None:
                shop = services.shop_create(
                    business=business, actor=request.user, hours=rows, **form.cleaned_data
                )
            else:
                services.shop_update(shop=shop, actor=request.user, data=form.cleaned_data)
                services.opening_hours_set(shop=shop, actor=request.user, hours=rows)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Shop “%(name)s” saved.") % {"name": shop.name})
            return redirect("settings_business")
    return render(request, "core/shop_form.html", {"form": form, "hours": hours, "shop": shop})


@member_required(Module.SETTINGS)
def audit_list(request):
    form = AuditFilterForm(request.GET or None, business=request.business)
    filters = form.cleaned_data if form.is_valid() else {}
    page = selectors.audit_page(
        business=request.business, filters=filters, cursor=request.GET.get("cursor")
    )
    template = "core/audit_list.html#rows" if request.htmx else "core/audit_list.html"
    return render(request, template, {"form": form, "page": page})
