"""Who may do what: one table, read by the pages and the API alike.

A member's level for a module is their own override when they have one,
otherwise their role's default. Reading needs `read`; any change needs `full`.
Owners always have `full` on everything.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from rest_framework import permissions as drf_permissions


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    MANAGER = "manager", _("Manager")
    STAFF = "staff", pgettext_lazy("role", "Staff")
    CASHIER = "cashier", _("Cashier")


class Level(models.TextChoices):
    NONE = "none", _("No access")
    READ = "read", _("Read only")
    FULL = "full", _("Full access")


LEVEL_RANK = {Level.NONE: 0, Level.READ: 1, Level.FULL: 2}


class Module(models.TextChoices):
    CATALOG = "catalog", _("Catalog")
    STOCK = "stock", _("Stock")
    SUPPLIERS = "suppliers", _("Suppliers")
    PURCHASING = "purchasing", _("Purchasing")
    SALES = "sales", _("Sales")
    REGISTER = "register", _("Register")
    CUSTOMERS = "customers", _("Customers")
    EXPENSES = "expenses", _("Expenses")
    SPONSORSHIP = "sponsorship", _("Sponsorship")
    MARKETPLACE = "marketplace", _("Marketplace")
    CHAT = "chat", _("Chat")
    REPORTS = "reports", _("Reports")
    STAFF = "staff", _("Staff")
    SETTINGS = "settings", _("Settings")


_F, _R, _N = Level.FULL, Level.READ, Level.NONE

ROLE_DEFAULTS: dict[str, dict[str, str]] = {
    Role.OWNER: dict.fromkeys(Module.values, _F),
    Role.MANAGER: dict.fromkeys(Module.values, _F) | {Module.SETTINGS: _R},
    Role.STAFF: {
        Module.CATALOG: _F,
        Module.STOCK: _F,
        Module.SUPPLIERS: _R,
        Module.PURCHASING: _R,
        Module.SALES: _F,
        Module.REGISTER: _F,
        Module.CUSTOMERS: _F,
        Module.EXPENSES: _N,
        Module.SPONSORSHIP: _N,
        Module.MARKETPLACE: _R,
        Module.CHAT: _F,
        Module.REPORTS: _N,
        Module.STAFF: _N,
        Module.SETTINGS: _N,
    },
    Role.CASHIER: dict.fromkeys(Module.values, _N)
    | {
        Module.REGISTER: _F,
        Module.CATALOG: _R,
        Module.CUSTOMERS: _R,
        Module.SALES: _R,
        Module.CHAT: _F,
    },
}


def role_default(role: str, module: str) -> str:
    return ROLE_DEFAULTS[role][module]


def allows(level: str, needed: str) -> bool:
    return LEVEL_RANK[Level(level)] >= LEVEL_RANK[Level(needed)]


def needed_level(method: str) -> str:
    return Level.READ if method in drf_permissions.SAFE_METHODS else Level.FULL


def denial_message(module: str, current: str) -> str:
    """The sentence a person reads when refused: what they have and what to do.

    `current` is the person's level for the module: someone with no access is
    told so, someone with read access that they can only read.
    """
    label = Module(module).label
    if current == Level.NONE:
        return str(
            _(
                "You have no access to %(module)s. Ask a manager to grant it, or request it from your profile."
            )
        ) % {"module": label}
    return str(
        _(
            "You have read-only access to %(module)s. Ask a manager for full access, or request it from your profile."
        )
    ) % {"module": label}


class ModulePermission(drf_permissions.BasePermission):
    """DRF permission: the view names its `module`; the member needs read or full.

    Views that are about the user themself (profile, own tokens) set
    `module = None` and need only an authenticated member.
    """

    def has_permission(self, request, view) -> bool:
        member = getattr(request, "membership", None)
        if not request.user or not request.user.is_authenticated or member is None:
            return False
        module = getattr(view, "module", None)
        if module is None:
            return True
        needed = getattr(view, "required_levels", {}).get(
            getattr(view, "action", None), needed_level(request.method)
        )
        if member.allows(module, needed):
            return True
        self.message = denial_message(module, member.level(module))
        return False
