from django.urls import path

from hanout.customers import views

urlpatterns = [
    path("customers/", views.customer_list, name="customer_list"),
    path("customers/new/", views.customer_create, name="customer_create"),
    path("customers/export/", views.customer_export, name="customer_export"),
    path("customers/dashboard/", views.customer_dashboard, name="customer_dashboard"),
    path("customers/loyalty/", views.loyalty_settings, name="customer_loyalty"),
    path("customers/<uuid:pk>/", views.customer_detail, name="customer_detail"),
    path("customers/<uuid:pk>/edit/", views.customer_edit, name="customer_edit"),
    path(
        "customers/<uuid:pk>/active/", views.customer_toggle_active, name="customer_toggle_active"
    ),
    path("customers/<uuid:pk>/trust/", views.customer_trust, name="customer_trust"),
    path("customers/<uuid:pk>/points/", views.customer_points_adjust, name="customer_points"),
]
