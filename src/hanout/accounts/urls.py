"""Staff pages and the signed-in person's profile."""

from django.urls import path

from hanout.accounts import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/requests/", views.permission_request_create, name="permission_request_create"),
    path("profile/tokens/", views.token_create, name="token_create"),
    path("profile/tokens/<uuid:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/requests/", views.permission_requests, name="permission_requests"),
    path(
        "staff/requests/<uuid:pk>/decide/",
        views.permission_request_decide,
        name="permission_request_decide",
    ),
    path("staff/documents/<uuid:pk>/", views.identity_document, name="identity_document"),
    path("staff/<uuid:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<uuid:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<uuid:pk>/access/", views.staff_access, name="staff_access"),
    path("staff/<uuid:pk>/pin/", views.staff_pin, name="staff_pin"),
    path("staff/<uuid:pk>/active/", views.staff_toggle_active, name="staff_toggle_active"),
    path("staff/<uuid:pk>/history/", views.staff_history_add, name="staff_history_add"),
]
