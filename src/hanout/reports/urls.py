from django.urls import path

from hanout.reports import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("reports/sales/", views.sales_report, name="sales_report"),
    path("reports/top-products/", views.table_report, {"slug": "top-products"}, name="report_top"),
    path("reports/profit/", views.table_report, {"slug": "profit"}, name="report_profit"),
    path("reports/customers/", views.table_report, {"slug": "customers"}, name="report_customers"),
    path("reports/expenses/", views.table_report, {"slug": "expenses"}, name="report_expenses"),
    path("reports/schedules/", views.schedule_list, name="report_schedules"),
    path("reports/schedules/<uuid:pk>/", views.schedule_edit, name="report_schedule_edit"),
    path(
        "reports/schedules/<uuid:pk>/toggle/", views.schedule_toggle, name="report_schedule_toggle"
    ),
    path(
        "reports/schedules/<uuid:pk>/delete/", views.schedule_delete, name="report_schedule_delete"
    ),
]
