from bench_bare import BareSale
from django.urls import include, path

urlpatterns = [
    path("bench/bare-sale/", BareSale.as_view()),
    path("", include("hanout.urls")),
]
