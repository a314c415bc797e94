"""The till (selling screen): its offline catalog feed."""

from django.urls import path

from hanout.pos import views_till

urlpatterns = [
    path("pos/catalog.json", views_till.till_catalog_view, name="pos_till_catalog"),
]
