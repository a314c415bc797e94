from django.urls import path

from hanout.inventory import views, views_counts

urlpatterns = [
    path("stock/", views.stock_levels, name="stock_levels"),
    path(
        "stock/levels/<uuid:pk>/thresholds/",
        views.stock_level_thresholds,
        name="stock_level_thresholds",
    ),
    path("stock/movements/", views.stock_movements, name="stock_movements"),
    path("stock/receive/", views.stock_receive, name="stock_receive"),
    path("stock/adjust/", views.stock_adjust, name="stock_adjust"),
    path("stock/write-off/", views.stock_write_off, name="stock_write_off"),
    path("stock/transfer/", views.stock_transfer, name="stock_transfer"),
    path("stock/locations/", views.location_list, name="location_list"),
    path("settings/stock/", views.stock_settings, name="stock_settings"),
    path("stock/locations/<uuid:pk>/edit/", views.location_edit, name="location_edit"),
    path("stock/counts/", views_counts.stock_count_list, name="stock_count_list"),
    path("stock/counts/<uuid:pk>/", views_counts.stock_count_detail, name="stock_count_detail"),
    path("stock/counts/<uuid:pk>/scan/", views_counts.stock_count_scan, name="stock_count_scan"),
    path("stock/counts/<uuid:pk>/line/", views_counts.stock_count_line, name="stock_count_line"),
    path(
        "stock/counts/<uuid:pk>/review/", views_counts.stock_count_review, name="stock_count_review"
    ),
    path(
        "stock/counts/<uuid:pk>/validate/",
        views_counts.stock_count_validate,
        name="stock_count_validate",
    ),
    path(
        "stock/counts/<uuid:pk>/cancel/", views_counts.stock_count_cancel, name="stock_count_cancel"
    ),
    path("stock/low/", views.stock_low, name="stock_low"),
    path("stock/valuation/", views.stock_valuation, name="stock_valuation"),
    path("stock/valuation.csv", views.stock_valuation_csv, name="stock_valuation_csv"),
]
