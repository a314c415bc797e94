from django.urls import path

from hanout.purchasing import views

urlpatterns = [
    path("purchase-orders/", views.po_list, name="po_list"),
    path("purchase-orders/export/", views.po_export, name="po_export"),
    path("purchase-orders/new/", views.po_create, name="po_create"),
    path("purchase-orders/restock/", views.po_restock, name="po_restock"),
    path("purchase-orders/<uuid:pk>/", views.po_detail, name="po_detail"),
    path("purchase-orders/<uuid:pk>/edit/", views.po_update, name="po_update"),
    path("purchase-orders/<uuid:pk>/lines/", views.po_lines_save, name="po_lines_save"),
    path("purchase-orders/<uuid:pk>/send/", views.po_send, name="po_send"),
    path("purchase-orders/<uuid:pk>/receive/", views.po_receive, name="po_receive"),
    path("purchase-orders/<uuid:pk>/close/", views.po_close, name="po_close"),
    path("purchase-orders/<uuid:pk>/cancel/", views.po_cancel, name="po_cancel"),
    path("purchase-orders/<uuid:pk>/pdf/", views.po_pdf, name="po_pdf"),
]
