from django.urls import path

from hanout.webhooks import views

urlpatterns = [
    path("settings/webhooks/", views.webhook_list, name="webhook_list"),
    path("settings/webhooks/new/", views.webhook_create, name="webhook_create"),
    path("settings/webhooks/<uuid:pk>/", views.webhook_detail, name="webhook_detail"),
    path("settings/webhooks/<uuid:pk>/edit/", views.webhook_edit, name="webhook_edit"),
    path("settings/webhooks/<uuid:pk>/delete/", views.webhook_delete, name="webhook_delete"),
    path("settings/webhooks/<uuid:pk>/test/", views.webhook_test, name="webhook_test"),
    path("settings/webhooks/<uuid:pk>/secret/", views.webhook_secret, name="webhook_secret"),
    path(
        "settings/webhooks/deliveries/<uuid:pk>/",
        views.delivery_detail,
        name="webhook_delivery_detail",
    ),
    path(
        "settings/webhooks/deliveries/<uuid:pk>/replay/",
        views.delivery_replay,
        name="webhook_delivery_replay",
    ),
]
