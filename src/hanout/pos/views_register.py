"""The register shell: everything around the selling screen.

- `/pos/` — a manager pairs this browser as one of the shop's registers (a
  signed, http-only cookie holds the device token) and revokes devices.
- `/pos/registers/` — the registers themselves (name, shop, stock location,
  idle lock, receipt printer).
- `/pos/till/` — the paired device's one page: the PIN keypad when nobody is
  signed in for it, the opening-float form when no session is open, else the
  selling screen (`pos/till.html`).
- `/pos/sign-in/`, `/pos/sign-out/`, `/pos/lock/` — the keypad signs the
  employee in with Django's `login`; signing out (switch cashier, idle lock)
  logs out and keeps the device cookie.
- `/pos/session/…` — open, paid in / paid out, close by counting the drawer
  (views_session.py).
- `/pos/sw.js`, `/pos/manifest.webmanifest` — the till's service worker and
  web-app manifest, served from /pos/ so their scope is the register.

Thin on purpose: each POST validates a form and calls one service; a
DomainError is shown beside the field it names.
"""

from __future__ import annotations

import json
from functools import wraps

from babel.numbers import get_currency_precision
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.staticfiles import finders
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hanout.core.errors import DomainError, NotFound
from hanout.core.middleware import SESSION_BUSINESS_KEY
from hanout.core.pages import apply_domain_error, forbidden, member_required
from hanout.core.permissions import Level, Module, denial_message
from hanout.customers.models import TrustLevel
from hanout.pos import selectors, services, services_register
from hanout.pos.forms import (
    PairForm,
    RegisterForm,
    SessionOpenForm,
    SignInForm,
)
from hanout.pos.models import CashSession, Register, RegisterDevice
from hanout.pos.services_register import can_manage_registers

DEVICE_COOKIE = "hanout_register"
DEVICE_SALT = "hanout.pos.register-device"
DEVICE_MAX_AGE = 365 * 24 * 3600
SESSION_REGISTER_KEY = "hanout_register_id"
SESSION_CASHIER_KEY = "register_cashier"
AUTH_BACKEND = "django.contrib.auth.backends.ModelBackend"
ZERO_UUID = "00000000-0000-0000-0000-000000000000"


# --- the device and the person at it ----------------------------------------------------------


def current_device(request) -> RegisterDevice | None:
    """The register this browser was paired as, from its signed cookie; None when the
    cookie is missing, forged, revoked or its register was switched off."""
    if hasattr(request, "_pos_device"):
        return request._pos_device
    device = None
    raw = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT)
    if raw:
        from hanout.pos import services

        device = services.device_in_use(raw=raw)
    request._pos_device = device
    return device


def set_device_cookie(response, raw: str) -> None:
    response.set_signed_cookie(
        DEVICE_COOKIE,
        raw,
        salt=DEVICE_SALT,
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        path="/",
    )


def register_cashier(request, device: RegisterDevice | None):
    """The membership signed in *at this register*, or None (then: the keypad).

    Someone signed in to the back office in this browser is not the register's
    cashier until they type their code and PIN here.
    """
    if device is None or not request.user.is_authenticated:
        return None
    if not request.session.get(SESSION_CASHIER_KEY):
        return None
    if request.session.get(SESSION_REGISTER_KEY) != str(device.register_id):
        return None
    membership = request.membership
    if membership is None or membership.business_id != device.business_id:
        return None
    if not membership.can_edit(Module.REGISTER):
        return None
    return membership


def cashier_required(view):
    """The page needs a paired device and its signed-in cashier; else back to the keypad."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        device = current_device(request)
        membership = register_cashier(request, device)
        if membership is None:
            if wants_json(request):
                return JsonResponse(
                    {
                        "error": {
                            "code": "not_signed_in",
                            "message": _("Sign in at the register first."),
                        }
                    },
                    status=403,
                )
            return redirect("pos_till")
        request.pos_device = device
        request.pos_register = device.register
        request.pos_membership = membership
        return view(request, *args, **kwargs)

    return wrapper


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "") or (
        request.content_type == "application/json"
    )


def _manage_denied(request):
    return forbidden(request, services_register.manage_denied_message(), module=Module.REGISTER)


def pending_count(request) -> int:
    """How many sales the register says still wait to be sent (form field or JSON)."""
    value = request.POST.get("pending")
    if value is None and request.content_type == "application/json":
        try:
            value = json.loads(request.body or b"{}").get("pending")
        except (ValueError, AttributeError):
            value = None
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError):
        return 0


def pending_message(count: int) -> str:
    return ngettext(
        "%(count)s sale made offline is still waiting to be sent. Wait until it is sent (the register needs the network), then try again.",
        "%(count)s sales made offline are still waiting to be sent. Wait until they are sent (the register needs the network), then try again.",
        count,
    ) % {"count": count}


def url_or(name: str, *args, fallback: str) -> str:
    """A route of another part of the register, or its known path while it is not there yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


# --- /pos/ : pair this device ---------------------------------------------------------------


@member_required(Module.REGISTER, Level.READ)
def pos_home(request):
    business = request.business
    device = current_device(request)
    if device is not None and device.business_id != business.pk:
        device = None  # paired for another business: nothing to show here
    manage = can_manage_registers(request.membership)
    registers = selectors.register_list(business=business).filter(is_active=True)
    form = PairForm(registers=registers) if manage else None
    return render(
        request,
        "pos/pair.html",
        {
            "device": device,
            "registers": registers,
            "devices": services_register.device_list(business=business) if manage else [],
            "form": form,
            "manage": manage,
        },
    )


@require_POST
@member_required(Module.REGISTER, Level.FULL)
def pos_pair(request):
    if not can_manage_registers(request.membership):
        return _manage_denied(request)
    registers = selectors.register_list(business=request.business).filter(is_active=True)
    form = PairForm(request.POST, registers=registers)
    if form.is_valid():
        try:
            device, raw = services.device_pair(
                register=form.cleaned_data["register"],
                actor=request.user,
                label=form.cleaned_data["label"].strip(),
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("This device is now the register “%(register)s”.")
                % {"register": device.register.name},
            )
            response = redirect("pos_home")
            set_device_cookie(response, raw)
            return response
    return render(
        request,
        "pos/pair.html",
        {
            "device": None,
            "registers": registers,
            "devices": services_register.device_list(business=request.business),
            "form": form,
            "manage": True,
        },
        status=400,
    )


@require_POST
@member_required(Module.REGISTER, Level.FULL)
def pos_device_revoke(request, pk):
    if not can_manage_registers(request.membership):
        return _manage_denied(request)
    device = services_register.device_list(business=request.business).filter(pk=pk).first()
    if device is None:
        raise Http404
    mine = current_device(request)  # before revoking: afterwards the token finds nothing
    try:
        services.device_revoke(device=device, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("pos_home")
    messages.success(
        request, _("“%(device)s” can no longer be used as a register.") % {"device": device}
    )
    response = redirect("pos_home")
    if mine is not None and mine.pk == device.pk:
        response.delete_cookie(DEVICE_COOKIE, path="/", samesite="Lax")
    return response


# --- /pos/registers/ -----------------------------------------------------------------------


def _registers_access(request):
    """Settings or Register, read to see the list; managing needs can_manage_registers."""
    m = request.membership
    if m.can_read(Module.SETTINGS) or m.can_read(Module.REGISTER):
        return None
    return forbidden(
        request, denial_message(Module.REGISTER, m.level(Module.REGISTER)), Module.REGISTER
    )


@member_required()
def register_list_view(request):
    denied = _registers_access(request)
    if denied:
        return denied
    registers = selectors.register_list(business=request.business).select_related(
        "shop", "location"
    )
    return render(
        request,
        "pos/registers.html",
        {"registers": registers, "manage": can_manage_registers(request.membership)},
    )


def _register_or_404(request, pk) -> Register:
    try:
        return selectors.register_get(business=request.business, pk=pk)
    except (ObjectDoesNotExist, NotFound, ValueError) as exc:
        raise Http404 from exc


@member_required()
def register_create_view(request):
    if not can_manage_registers(request.membership):
        return _manage_denied(request)
    form = RegisterForm(request.POST or None, business=request.business)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            register = services.register_create(
                business=request.business,
                actor=request.user,
                shop=d["shop"],
                name=d["name"].strip(),
                location=d["location"],
                idle_lock_seconds=d["idle_lock_seconds"],
                printer_kind=d["printer_kind"],
                printer_target=d["printer_target"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Register “%(name)s” added.") % {"name": register.name})
            return redirect("pos_registers")
    return render(
        request,
        "pos/register_form.html",
        {"form": form, "register": None},
        status=400 if form.is_bound else 200,
    )


@member_required()
def register_edit_view(request, pk):
    if not can_manage_registers(request.membership):
        return _manage_denied(request)
    register = _register_or_404(request, pk)
    initial = {
        "name": register.name,
        "shop": register.shop_id,
        "location": register.location_id,
        "idle_lock_seconds": register.idle_lock_seconds,
        "printer_kind": register.printer_kind,
        "printer_target": register.printer_target,
        "is_active": register.is_active,
    }
    form = RegisterForm(
        request.POST or None, business=request.business, editing=True, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        d["name"] = d["name"].strip()
        try:
            services.register_update(register=register, actor=request.user, data=d)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Register “%(name)s” saved.") % {"name": d["name"]})
            return redirect("pos_registers")
    return render(
        request,
        "pos/register_form.html",
        {"form": form, "register": register},
        status=400 if form.is_bound else 200,
    )


# --- /pos/till/ : the device's page ---------------------------------------------------------


def _signin_context(request, device, form=None, error="", wait=0) -> dict:
    signed_elsewhere = request.user.is_authenticated and register_cashier(request, device) is None
    return {
        "device": device,
        "register": device.register if device else None,
        "form": form or SignInForm(),
        "error": error,
        "wait_seconds": wait,
        "signed_in_elsewhere": request.user if signed_elsewhere else None,
    }


@never_cache
def till(request):
    device = current_device(request)
    if device is None:
        return render(request, "pos/signin.html", {"device": None, "register": None})
    membership = register_cashier(request, device)
    if membership is None:
        wait = services_register.sign_in_wait_seconds(device=device)
        return render(request, "pos/signin.html", _signin_context(request, device, wait=wait))
    register = device.register
    session = selectors.session_current(register=register)
    if session is None:
        return render(
            request,
            "pos/session_open.html",
            {"register": register, "form": SessionOpenForm(), "cashier": request.user},
        )
    return render(
        request,
        "pos/till.html",
        {
            "register": register,
            "session": session,
            "cashier": request.user,
            "membership": membership,
            "till_config": till_config(
                request, register=register, session=session, membership=membership
            ),
        },
    )


def _till_loyalty(business) -> dict | None:
    from hanout.customers.services_loyalty import loyalty_rule_of

    rule = loyalty_rule_of(business)
    if not rule.enabled or rule.point_value <= 0:
        return None
    return {"point_value": str(rule.point_value)}


def till_config(request, *, register: Register, session: CashSession, membership) -> dict:
    """What the selling screen's JavaScript needs (rendered with json_script "till-config")."""
    business = register.business
    language = getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE
    csrf_header = settings.CSRF_HEADER_NAME
    if csrf_header.startswith("HTTP_"):
        csrf_header = csrf_header[5:]
    csrf_header = "-".join(part.capitalize() for part in csrf_header.split("_"))
    if csrf_header == "X-Csrftoken":
        csrf_header = "X-CSRFToken"
    return {
        "register": str(register.pk),
        "register_name": register.name,
        "session": str(session.pk),
        "session_number": session.number,
        "shop": str(register.shop_id),
        "shop_name": register.shop.name,
        "business_name": business.name,
        "cashier": str(request.user.pk),
        "cashier_name": request.user.get_short_name(),
        "currency": business.currency,
        # Language and country: "ar-MA" formats numbers with Western digits as Morocco does.
        "locale": f"{language}-{business.country}",
        "language": language,
        "decimal_places": get_currency_precision(business.currency),
        "idle_lock_seconds": register.idle_lock_seconds,
        "can_discount": membership.can_edit(Module.SALES),
        "trust_levels": {value: str(label) for value, label in TrustLevel.choices},
        # Paying with points at the till: only with the programme on and customers readable.
        "loyalty": _till_loyalty(business) if membership.can_read(Module.CUSTOMERS) else None,
        "api": {
            # Attaching a customer needs read access to Customers (a cashier's default).
            "customer_lookup": url_or("customer-lookup", fallback="/api/v1/customers/lookup/")
            if membership.can_read(Module.CUSTOMERS)
            else "",
            "sales": url_or("sale-list", fallback="/api/v1/sales/"),
            "lookup": url_or("product-lookup-noslash", fallback="/api/v1/products/lookup"),
            "search": url_or("product-list", fallback="/api/v1/products/"),
            "payment_links": url_or("payment-link-list", fallback="/api/v1/payment-links/"),
            "catalog": url_or("pos_till_catalog", fallback="/pos/catalog.json"),
        },
        "ws_url": f"/ws/register/{register.pk}/",
        "urls": {
            "sign_in": reverse("pos_till"),
            "sign_out": reverse("pos_sign_out"),
            "lock": reverse("pos_lock"),
            "session_cash": reverse("pos_session_cash"),
            "session_close": reverse("pos_session_close"),
            "health": url_or("healthz", fallback="/healthz"),
            "ticket_pdf_pattern": url_or(
                "pos_ticket_pdf", ZERO_UUID, fallback=f"/pos/sales/{ZERO_UUID}/ticket.pdf"
            ),
            "ticket_print_pattern": url_or(
                "pos_ticket_print", ZERO_UUID, fallback=f"/pos/sales/{ZERO_UUID}/print/"
            ),
            "ticket_email_pattern": url_or(
                "pos_ticket_email", ZERO_UUID, fallback=f"/pos/sales/{ZERO_UUID}/email/"
            ),
            "sales": url_or("pos_sales", fallback="/pos/sales/"),
        },
        "csrf_header": csrf_header,
    }


@require_POST
@never_cache
def sign_in(request):
    device = current_device(request)
    if device is None:
        return redirect("pos_till")
    form = SignInForm(request.POST)
    wait = services_register.sign_in_wait_seconds(device=device)
    if wait:
        keep = SignInForm(initial={"code": request.POST.get("code", "")})
        message = services_register.locked_message(wait)
        return _signin_refused(request, device, keep, message, 429, wait)
    if not form.is_valid():
        message = " ".join(e for errors in form.errors.values() for e in errors)
        return _signin_refused(request, device, form, message, 400)
    try:
        membership = services_register.register_sign_in(
            device=device, code=form.cleaned_data["code"], pin=form.cleaned_data["pin"]
        )
    except DomainError as exc:
        keep = SignInForm(initial={"code": form.cleaned_data["code"]})
        wait = services_register.sign_in_wait_seconds(device=device)
        return _signin_refused(request, device, keep, exc.message, exc.status, wait)
    login(request, membership.user, backend=AUTH_BACKEND)
    # After login (which may start a fresh session): the business the middleware picks
    # on the next request, and the register this person signed in at.
    request.session[SESSION_BUSINESS_KEY] = str(device.business_id)
    request.session[SESSION_REGISTER_KEY] = str(device.register_id)
    request.session[SESSION_CASHIER_KEY] = True
    return redirect("pos_till")


def _signin_refused(request, device, form, message, status, wait=0):
    return render(
        request,
        "pos/signin.html",
        _signin_context(request, device, form=form, error=message, wait=wait),
        status=status,
    )


def _leave(request, reason: str):
    """Sign-out, switch cashier and the idle lock: log out, keep the device cookie."""
    pending = pending_count(request)
    if pending:
        message = pending_message(pending)
        if wants_json(request):
            return JsonResponse(
                {"error": {"code": "sales_waiting", "message": message}}, status=409
            )
        messages.error(request, message)
        return redirect("pos_till")
    device = current_device(request)
    if device is not None and register_cashier(request, device) is not None:
        services_register.register_sign_out(
            register=device.register, actor=request.user, reason=reason
        )
    logout(request)
    if wants_json(request):
        return JsonResponse({"ok": True, "redirect": reverse("pos_till")})
    return redirect("pos_till")


@require_POST
def sign_out(request):
    return _leave(request, "sign_out")


@require_POST
def lock(request):
    return _leave(request, "idle" if request.POST.get("idle") else "lock")


def sign_in_get(request):
    """A bookmark or a reload of /pos/sign-in/ lands on the keypad."""
    if request.method == "POST":
        return sign_in(request)
    return redirect("pos_till")


# --- the offline shell: service worker and manifest -----------------------------------------


def service_worker(request):
    """D's pos/static/pos/sw.js, served from /pos/ so it may control the register's pages."""
    path = finders.find("pos/sw.js")
    if not path:
        raise Http404
    with open(path, "rb") as fh:
        body = fh.read()
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/pos/"
    response["Cache-Control"] = "no-cache"
    return response


def manifest(request):
    data = {
        "name": _("Hanout register"),
        "short_name": _("Register"),
        "description": _("The shop's till: sells, prints tickets and keeps selling offline."),
        "start_url": reverse("pos_till"),
        "scope": "/pos/",
        "display": "standalone",
        "orientation": "any",
        "background_color": "#f8f9fa",
        "theme_color": "#0d6efd",
        "lang": getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
        "icons": [
            {"src": static("hanout/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )
    response["Cache-Control"] = "no-cache"
    return response
