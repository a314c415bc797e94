from django.urls import path

from hanout.core import views

urlpatterns = [
    path("welcome/", views.no_business, name="no_business"),
    path("business/switch/", views.switch_business, name="switch_business"),
    path("settings/", views.settings_business, name="settings_business"),
    path("settings/shops/new/", views.shop_edit, name="shop_create"),
    path("settings/shops/<uuid:pk>/", views.shop_edit, name="shop_edit"),
    path("history/", views.audit_list, name="audit_list"),
]
