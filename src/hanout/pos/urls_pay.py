"""The customer's phone payment page (anonymous; the token is the key)."""

from django.urls import path

from hanout.pos import views_pay

urlpatterns = [
    path("pay/<str:token>/", views_pay.pay, name="pos_pay"),
    path("pay/<str:token>/qr.svg", views_pay.pay_qr, name="pos_pay_qr"),
]
