from django.urls import path

from hanout.sales import views_invoices as views

urlpatterns = [
    path("invoices/", views.invoice_list, name="invoice_list"),
    path("invoices/export/", views.invoice_export, name="invoice_export"),
    path("invoices/<uuid:pk>/", views.invoice_detail, name="invoice_detail"),
    path("invoices/<uuid:pk>/pdf/", views.invoice_pdf_view, name="invoice_pdf"),
    path("invoices/<uuid:pk>/email/", views.invoice_email_view, name="invoice_email"),
    path("invoices/<uuid:pk>/credit/", views.invoice_credit_view, name="invoice_credit"),
    path("invoices/from-ticket/<uuid:sale_pk>/", views.invoice_for_sale, name="invoice_for_sale"),
    path("invoices/from-order/<uuid:order_pk>/", views.invoice_for_order, name="invoice_for_order"),
]
