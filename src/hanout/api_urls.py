"""Every REST route under /api/v1/. Each app registers its viewsets here."""

from django.urls import re_path
from rest_framework.routers import DefaultRouter

from hanout.accounts import api as accounts_api
from hanout.accounts import api_signup as accounts_signup_api
from hanout.catalog import api as catalog_api
from hanout.chat import api as chat_api
from hanout.core import api_views as core_api
from hanout.core.api import not_found
from hanout.customers import api as customers_api
from hanout.expenses import api as expenses_api
from hanout.inventory import api as inventory_api
from hanout.marketplace import api as marketplace_api
from hanout.pos import api as pos_api
from hanout.pos import api_devices as pos_devices_api
from hanout.pos import api_payments as pos_payments_api
from hanout.pos import api_reports as pos_reports_api
from hanout.purchasing import api as purchasing_api
from hanout.purchasing import api_bills as purchasing_bills_api
from hanout.referrals import api as referrals_api
from hanout.reports import api as reports_api
from hanout.reports import api_export as reports_export_api
from hanout.sales import api_invoices as sales_invoices_api
from hanout.sales import api_orders as sales_orders_api
from hanout.sales import api_returns as sales_returns_api
from hanout.suppliers import api as suppliers_api
from hanout.sync import api as sync_api
from hanout.webhooks import api as webhooks_api

router = DefaultRouter(trailing_slash=True)
core_api.register(router)
accounts_api.register(router)
accounts_signup_api.register(router)
catalog_api.register(router)
suppliers_api.register(router)
inventory_api.register(router)
pos_api.register(router)
pos_devices_api.register(router)
pos_payments_api.register(router)
reports_api.register(router)
reports_export_api.register(router)
pos_reports_api.register(router)
customers_api.register(router)
expenses_api.register(router)
referrals_api.register(router)
purchasing_api.register(router)
purchasing_bills_api.register(router)
sales_orders_api.register(router)
sales_invoices_api.register(router)
sales_returns_api.register(router)
webhooks_api.register(router)
marketplace_api.register(router)
chat_api.register(router)
sync_api.register(router)

urlpatterns = [
    *catalog_api.extra_urls(),  # products/lookup without the trailing slash (no redirect)
    *sync_api.extra_urls(),
    *router.urls,
    # Last: an unknown path answers in the API's error shape, not with an HTML page.
    # (Only paths ending in "/": without it, Django first redirects to the slashed path.)
    re_path(r"^.*/$", not_found),
]
