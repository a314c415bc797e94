"""Import, export and label pages of the catalog (catalog/views_io.py); included by
catalog/urls.py so they live under /catalog/."""

from django.urls import path

from hanout.catalog import views_io as views

urlpatterns = [
    path("catalog/import/", views.catalog_import, name="catalog_import"),
    path(
        "catalog/import/template.csv", views.catalog_import_template, name="catalog_import_template"
    ),
    path("catalog/import/stock/", views.catalog_import_stock, name="catalog_import_stock"),
    path(
        "catalog/import/stock/<str:token>/",
        views.catalog_import_stock_preview,
        name="catalog_import_stock_preview",
    ),
    path(
        "catalog/import/stock/<str:token>/confirm/",
        views.catalog_import_stock_confirm,
        name="catalog_import_stock_confirm",
    ),
    path(
        "catalog/import/stock/<str:token>/errors.csv",
        views.catalog_import_stock_errors,
        name="catalog_import_stock_errors",
    ),
    path(
        "catalog/import/stock/<str:token>/cancel/",
        views.catalog_import_stock_cancel,
        name="catalog_import_stock_cancel",
    ),
    path(
        "catalog/import/<str:token>/", views.catalog_import_preview, name="catalog_import_preview"
    ),
    path(
        "catalog/import/<str:token>/confirm/",
        views.catalog_import_confirm,
        name="catalog_import_confirm",
    ),
    path(
        "catalog/import/<str:token>/errors.csv",
        views.catalog_import_errors,
        name="catalog_import_errors",
    ),
    path(
        "catalog/import/<str:token>/cancel/",
        views.catalog_import_cancel,
        name="catalog_import_cancel",
    ),
    path("catalog/export/", views.catalog_export, name="catalog_export"),
    path("catalog/labels/", views.catalog_labels, name="catalog_labels"),
    path("catalog/labels/search/", views.catalog_labels_search, name="catalog_labels_search"),
    path("catalog/labels/row/<uuid:pk>/", views.catalog_labels_row, name="catalog_labels_row"),
]
