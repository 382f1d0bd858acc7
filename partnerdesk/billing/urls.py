from django.urls import path

from partnerdesk.billing import views

app_name = "billing"
urlpatterns = [
    path("", views.invoice_list, name="invoice_list"),
    path("run/", views.invoice_run, name="invoice_run"),
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice_detail"),
    path("invoices/<int:pk>/issue/", views.invoice_issue, name="invoice_issue"),
    path("invoices/<int:pk>/workbook/", views.invoice_workbook, name="invoice_workbook"),
]
