"""Catalog pages. The import, export and labels pages (catalog/urls_io.py) are included
from here so the whole catalog lives under /catalog/."""

from django.urls import include, path

from hanout.catalog import views

urlpatterns = [
    path("catalog/", views.catalog_explorer, name="catalog_explorer"),
    path(
        "catalog/tree/<uuid:pk>/children/",
        views.catalog_tree_children,
        name="catalog_tree_children",
    ),
    path("catalog/products/new/", views.product_create, name="product_create"),
    path("catalog/products/<uuid:pk>/", views.product_detail, name="product_detail"),
    path("catalog/products/<uuid:pk>/edit/", views.product_edit, name="product_edit"),
    path("catalog/products/<uuid:pk>/active/", views.product_set_active, name="product_set_active"),
    path(
        "catalog/products/<uuid:pk>/thumbnail/", views.product_thumbnail, name="product_thumbnail"
    ),
    path(
        "catalog/products/<uuid:pk>/images/<uuid:image_pk>/remove/",
        views.product_image_remove,
        name="product_image_remove",
    ),
    path(
        "catalog/products/<uuid:pk>/images/<uuid:image_pk>/<str:size>/",
        views.product_image,
        name="product_image",
    ),
    path("catalog/categories/", views.category_list, name="category_list"),
    path("catalog/categories/new/", views.category_create, name="category_create"),
    path("catalog/categories/<uuid:pk>/rename/", views.category_update, name="category_update"),
    path("catalog/categories/<uuid:pk>/delete/", views.category_delete, name="category_delete"),
    path("", include("hanout.catalog.urls_io")),
]
