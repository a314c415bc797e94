from django.urls import path

from hanout.core import views as core_views

urlpatterns = [
    path("stock/", core_views.home, name="stock_levels"),  # placeholder until the page lands
]
