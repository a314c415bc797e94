"""What the base layout needs on every page: navigation, language, direction."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from hanout.core.permissions import Module

NAV = [
    # (module, url name, icon); a module without a page yet is not listed.
    (Module.REPORTS, "dashboard", "speedometer2"),
    (Module.CHAT, "chat", "chat-dots"),
    (Module.CATALOG, "catalog_explorer", "grid-3x3-gap"),
    (Module.STOCK, "stock_levels", "boxes"),
    (Module.SUPPLIERS, "supplier_list", "truck"),
    (Module.PURCHASING, "po_list", "cart"),
    (Module.CUSTOMERS, "customer_list", "person-vcard"),
    (Module.SALES, "order_list", "bag"),
    (Module.EXPENSES, "expense_list", "wallet2"),
    (Module.SPONSORSHIP, "referral_home", "people-fill"),
    (Module.MARKETPLACE, "market_browse", "shop"),
    (Module.REGISTER, "pos_home", "upc-scan"),
    (Module.REGISTER, "pos_sales", "receipt"),
    (Module.REPORTS, "pos_day_report", "bar-chart-line"),
    (Module.STAFF, "staff_list", "people"),
    (Module.SETTINGS, "audit_list", "clock-history"),
    (Module.SETTINGS, "settings_business", "gear"),
    (Module.SETTINGS, "webhook_list", "broadcast"),
    (Module.SETTINGS, "sync_status", "arrow-repeat"),
]


# Other paths that belong to a menu section besides its own page's.
SECTION_PATHS = {
    "order_list": ("/invoices/", "/returns/"),
    "po_list": ("/purchasing/",),
}


def shell(request):
    language = translation.get_language() or settings.LANGUAGE_CODE
    info = translation.get_language_info(language)
    membership = getattr(request, "membership", None)
    nav = []
    if membership is not None:
        nav = [
            {
                "module": m,
                "label": label_for(url),
                "url": url,
                "path": reverse(url),
                "icon": icon,
                "read_only": not membership.can_edit(m),
                "active": False,
                "badge": _badge(url, request),
            }
            for m, url, icon in NAV
            if membership.can_read(m)
        ]
        # The section a page belongs to: the longest menu path the page's path starts with
        # (a section may own several paths: Sales holds orders, invoices and returns).
        matches = [
            item
            for item in nav
            if any(
                request.path.startswith(p)
                for p in [item["path"], *SECTION_PATHS.get(item["url"], ())]
            )
        ]
        if matches:
            max(matches, key=lambda item: len(item["path"]))["active"] = True
    return {
        "hanout_language": language,
        "hanout_rtl": info["bidi"],
        "hanout_languages": [
            {"code": code, "name_local": translation.get_language_info(code)["name_local"]}
            for code, _ in settings.LANGUAGES
        ],
        "membership": membership,
        "business": getattr(request, "business", None),
        "hanout_money": _money_format(getattr(request, "business", None)),
        "nav": nav,
    }


def _money_format(business) -> dict | None:
    """How the page writes the business's money (the `money` filter), for the charts."""
    if business is None:
        return None
    from hanout.catalog.templatetags.catalog_tags import money_format

    return money_format(business)


def _badge(url_name: str, request) -> str | None:
    """Where the page's script reads the number beside a menu entry (the chat's unread
    messages): asked after the page is shown, so drawing the menu costs no query."""
    if url_name != "chat":
        return None
    return reverse("chat_unread")


def label_for(url_name: str) -> str:
    from django.utils.translation import gettext as _

    return {
        "dashboard": _("Dashboard"),
        "chat": _("Chat"),
        "catalog_explorer": _("Catalog"),
        "stock_levels": _("Stock"),
        "supplier_list": _("Suppliers"),
        "po_list": _("Purchasing"),
        "customer_list": _("Customers"),
        "expense_list": _("Expenses"),
        "referral_home": _("Sponsorship"),
        "market_browse": _("Marketplace"),
        "order_list": _("Sales"),
        "pos_home": _("Register"),
        "pos_sales": _("Tickets"),
        "pos_day_report": _("Reports"),
        "staff_list": _("Staff"),
        "audit_list": _("History"),
        "settings_business": _("Settings"),
        "webhook_list": _("Webhooks"),
        "sync_status": _("Hub sync"),
    }[url_name]
