from django.urls import path

from hanout.expenses import views, views_setup

urlpatterns = [
    path("expenses/", views.expense_list, name="expense_list"),
    path("expenses/new/", views.expense_create, name="expense_create"),
    path("expenses/export/", views.expense_export, name="expense_export"),
    path("expenses/charts/", views_setup.expense_charts, name="expense_charts"),
    path("expenses/categories/", views_setup.category_list, name="expense_categories"),
    path(
        "expenses/categories/<uuid:pk>/",
        views_setup.category_action,
        name="expense_category_action",
    ),
    path("expenses/recurring/", views_setup.recurring_list, name="expense_recurring_list"),
    path("expenses/recurring/new/", views_setup.recurring_edit, name="expense_recurring_create"),
    path(
        "expenses/recurring/<uuid:pk>/", views_setup.recurring_edit, name="expense_recurring_edit"
    ),
    path(
        "expenses/recurring/<uuid:pk>/stop/",
        views_setup.recurring_stop,
        name="expense_recurring_stop",
    ),
    path("expenses/<uuid:pk>/", views.expense_detail, name="expense_detail"),
    path("expenses/<uuid:pk>/edit/", views.expense_edit, name="expense_edit"),
    path("expenses/<uuid:pk>/delete/", views.expense_delete, name="expense_delete"),
    path(
        "expenses/<uuid:pk>/documents/<uuid:attachment_pk>/",
        views.expense_attachment,
        name="expense_attachment",
    ),
    path(
        "expenses/<uuid:pk>/documents/<uuid:attachment_pk>/delete/",
        views.expense_attachment_delete,
        name="expense_attachment_delete",
    ),
]
