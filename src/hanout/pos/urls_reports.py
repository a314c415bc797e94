from django.urls import path

from hanout.pos import views_reports as views
from hanout.pos import views_returns

urlpatterns = [
    path("pos/sales/", views_returns.sales, name="pos_sales"),
    path("pos/sales/<uuid:pk>/", views.sale_detail, name="pos_sale_detail"),
    path("pos/sales/<uuid:pk>/return/", views_returns.sale_return, name="pos_sale_return"),
    path(
        "pos/sales/<uuid:pk>/refunds/<uuid:payment_pk>/retry/",
        views_returns.refund_retry,
        name="pos_refund_retry",
    ),
    path("pos/sales/<uuid:pk>/ticket.pdf", views.ticket_pdf, name="pos_ticket_pdf"),
    path("pos/sales/<uuid:pk>/print/", views.ticket_print, name="pos_ticket_print"),
    path("pos/sales/<uuid:pk>/email/", views.ticket_email, name="pos_ticket_email"),
    path("pos/sessions/<uuid:pk>/", views.session_report, name="pos_session_report"),
    path("reports/day/", views.day_report, name="pos_day_report"),
]
