from django.urls import path

from hanout.core import views as core_views

urlpatterns = [
    path("catalog/", core_views.home, name="catalog_explorer"),  # placeholder until the explorer lands
]
