from django.urls import path

from hanout.sync import views, views_hub

urlpatterns = [
    path("operator/backups/", views.backup_list, name="backup_list"),
    path("operator/backups/run/", views.backup_run, name="backup_run"),
    path("operator/backups/<str:name>/check/", views.backup_check, name="backup_check"),
    path("settings/sync/", views_hub.sync_status, name="sync_status"),
    path("settings/sync/link/", views_hub.hub_link, name="sync_hub_link"),
    path("settings/sync/unlink/", views_hub.hub_unlink, name="sync_hub_unlink"),
    path("settings/sync/now/", views_hub.sync_now, name="sync_now"),
    path("settings/sync/stores/new/", views_hub.store_new, name="sync_store_new"),
    path("settings/sync/conflicts/", views_hub.conflicts, name="sync_conflicts"),
    path(
        "settings/sync/conflicts/<uuid:pk>/settle/",
        views_hub.conflict_settle,
        name="sync_conflict_settle",
    ),
    path(
        "settings/sync/stores/<uuid:pk>/revoke/", views_hub.store_revoke, name="sync_store_revoke"
    ),
]
