from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from hanout.accounts import views_register
from hanout.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("register/", views_register.store_step, name="register"),
    path("accounts/signup/", views_register.ManagerSignupView.as_view(), name="account_signup"),
    path("accounts/", include("allauth.urls")),
    path("_allauth/", include("allauth.headless.urls")),
    path("", include("hanout.core.urls")),
    path("", include("hanout.accounts.urls")),
    path("", include("hanout.notifications.urls")),
    path("", include("hanout.chat.urls")),
    path("", include("hanout.catalog.urls")),
    path("", include("hanout.suppliers.urls")),
    path("", include("hanout.inventory.urls")),
    path("", include("hanout.pos.urls")),
    path("", include("hanout.customers.urls")),
    path("", include("hanout.purchasing.urls")),
    path("", include("hanout.purchasing.urls_bills")),
    path("", include("hanout.sales.urls_orders")),
    path("", include("hanout.sales.urls_invoices")),
    path("", include("hanout.sales.urls_returns")),
    path("", include("hanout.webhooks.urls")),
    path("", include("hanout.expenses.urls")),
    path("", include("hanout.referrals.urls")),
    path("", include("hanout.marketplace.urls")),
    path("", include("hanout.reports.urls")),
    path("", include("hanout.sync.urls")),
    path("api/v1/", include("hanout.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("django-admin/", admin.site.urls),
]
