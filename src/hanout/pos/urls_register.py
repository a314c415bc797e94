"""The register shell: pairing, registers, PIN sign-in, the till page, the cash
session, and the offline shell files (service worker, manifest)."""

from django.urls import path

from hanout.pos import views_register as views
from hanout.pos import views_session

urlpatterns = [
    path("pos/", views.pos_home, name="pos_home"),
    path("pos/pair/", views.pos_pair, name="pos_pair"),
    path("pos/devices/<uuid:pk>/revoke/", views.pos_device_revoke, name="pos_device_revoke"),
    path("pos/registers/", views.register_list_view, name="pos_registers"),
    path("pos/registers/new/", views.register_create_view, name="pos_register_create"),
    path("pos/registers/<uuid:pk>/edit/", views.register_edit_view, name="pos_register_edit"),
    path("pos/till/", views.till, name="pos_till"),
    path("pos/sign-in/", views.sign_in_get, name="pos_sign_in"),
    path("pos/sign-out/", views.sign_out, name="pos_sign_out"),
    path("pos/lock/", views.lock, name="pos_lock"),
    path("pos/session/open/", views_session.session_open_view, name="pos_session_open"),
    path("pos/session/cash/", views_session.session_cash_view, name="pos_session_cash"),
    path("pos/session/close/", views_session.session_close_view, name="pos_session_close"),
    path(
        "pos/session/<uuid:pk>/closed/",
        views_session.session_closed_view,
        name="pos_session_closed",
    ),
    path("pos/sw.js", views.service_worker, name="pos_service_worker"),
    path("pos/manifest.webmanifest", views.manifest, name="pos_manifest"),
]
