from django.urls import path

from hanout.sync import views

urlpatterns = [
    path("operator/backups/", views.backup_list, name="backup_list"),
    path("operator/backups/run/", views.backup_run, name="backup_run"),
    path("operator/backups/<str:name>/check/", views.backup_check, name="backup_check"),
]
