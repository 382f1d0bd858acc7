from django.urls import path

from partnerdesk.contracts import views

app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="contract_list"),
    path("<int:pk>/", views.contract_detail, name="contract_detail"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
]
