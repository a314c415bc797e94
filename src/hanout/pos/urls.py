"""Register pages: each part of the register lives in its own module."""

from django.urls import include, path

urlpatterns = [
    path("", include("hanout.pos.urls_register")),  # pairing, PIN sign-in, the till, offline shell
    path("", include("hanout.pos.urls_pay")),  # the customer's phone payment page
    path("", include("hanout.pos.urls_reports")),  # sales history, tickets, Z and day reports
    path("", include("hanout.pos.urls_till")),  # the till's offline catalog feed
]
