from django.urls import path

from hanout.sales import views_returns as views

urlpatterns = [
    path("returns/", views.return_list, name="return_list"),
    path("returns/new/", views.return_create, name="return_create"),
    path("returns/export/", views.return_export, name="return_export"),
    path("returns/<uuid:pk>/", views.return_detail, name="return_detail"),
]
