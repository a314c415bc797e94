from django.urls import path

from hanout.core import views as core_views

urlpatterns = [
    path("suppliers/", core_views.home, name="supplier_list"),  # placeholder until the page lands
]
