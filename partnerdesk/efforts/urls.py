from django.urls import path

from partnerdesk.efforts import views

app_name = "efforts"
urlpatterns = [
    path("", views.booking_list, name="booking_list"),
    path("week/", views.week, name="week"),
    path("queries/", views.query_list, name="query_list"),
    path("queries/<int:pk>/resolve/", views.query_resolve, name="query_resolve"),
    path("bookings/new/", views.booking_create, name="booking_create"),
    path("bookings/<int:pk>/edit/", views.booking_edit, name="booking_edit"),
    path("bookings/<int:pk>/delete/", views.booking_delete, name="booking_delete"),
    path("bookings/<int:pk>/query/", views.booking_query, name="booking_query"),
    path("tickets/<str:number>/book/", views.ticket_book, name="ticket_book"),
    path("orders/<int:pk>/approval/", views.order_raise_approval, name="order_raise_approval"),
]
