from django.urls import path

from hanout.purchasing import views_bills as views

urlpatterns = [
    path("purchasing/bills/", views.supplier_bills, name="supplier_bills"),
    path("purchasing/bills/export/", views.supplier_bills_export, name="supplier_bills_export"),
    path("purchasing/bills/new/", views.supplier_bill_create, name="supplier_bill_create"),
    path("purchasing/bills/<uuid:pk>/", views.supplier_bill_detail, name="supplier_bill_detail"),
    path("purchasing/bills/<uuid:pk>/scan/", views.supplier_bill_scan, name="supplier_bill_scan"),
    path(
        "purchasing/bills/<uuid:pk>/scan/upload/",
        views.supplier_bill_attach,
        name="supplier_bill_attach",
    ),
    path("purchasing/payments/", views.supplier_payments, name="supplier_payments"),
    path(
        "purchasing/payments/export/",
        views.supplier_payments_export,
        name="supplier_payments_export",
    ),
    path("purchasing/payments/new/", views.supplier_payment_create, name="supplier_payment_create"),
    path(
        "purchasing/payments/<uuid:pk>/reverse/",
        views.supplier_payment_reverse,
        name="supplier_payment_reverse",
    ),
    path("suppliers/<uuid:pk>/account/", views.supplier_account, name="supplier_account"),
    path("purchasing/recap/", views.supplier_recap, name="supplier_recap"),
    path("purchasing/performance/", views.supplier_performance, name="supplier_performance"),
    path(
        "purchasing/performance/export.csv",
        views.supplier_performance_csv,
        name="supplier_performance_csv",
    ),
    path(
        "purchasing/performance/export.xlsx",
        views.supplier_performance_xlsx,
        name="supplier_performance_xlsx",
    ),
    path(
        "purchasing/performance/export.pdf",
        views.supplier_performance_pdf,
        name="supplier_performance_pdf",
    ),
]
