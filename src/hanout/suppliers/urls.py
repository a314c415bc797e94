from django.urls import path

from hanout.suppliers import views

urlpatterns = [
    path("suppliers/", views.supplier_list, name="supplier_list"),
    path("suppliers/new/", views.supplier_create, name="supplier_create"),
    path("suppliers/<uuid:pk>/", views.supplier_detail, name="supplier_detail"),
    path("suppliers/<uuid:pk>/edit/", views.supplier_edit, name="supplier_edit"),
    path(
        "suppliers/<uuid:pk>/active/", views.supplier_toggle_active, name="supplier_toggle_active"
    ),
    path("suppliers/<uuid:pk>/items/", views.supplier_item_save, name="supplier_item_save"),
    path(
        "suppliers/<uuid:pk>/items/<uuid:item_pk>/remove/",
        views.supplier_item_remove,
        name="supplier_item_remove",
    ),
    path(
        "suppliers/<uuid:pk>/product-options/",
        views.supplier_product_options,
        name="supplier_product_options",
    ),
]
