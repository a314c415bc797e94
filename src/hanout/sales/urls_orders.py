from django.urls import path, re_path

from hanout.sales import views_orders as views

urlpatterns = [
    path("orders/", views.order_list, name="order_list"),
    path("orders/new/", views.order_create, name="order_create"),
    path("orders/export/", views.order_export, name="order_export"),
    path("orders/<uuid:pk>/", views.order_detail, name="order_detail"),
    path("orders/<uuid:pk>/ship/", views.order_ship, name="order_ship"),
    path("orders/<uuid:pk>/edit/", views.order_edit, name="order_edit"),
    re_path(
        r"^orders/(?P<pk>[0-9a-f-]{36})/(?P<step>confirm|pick|deliver|cancel|close-short)/$",
        views.order_step,
        name="order_step",
    ),
]
