from django.urls import path

from partnerdesk.tickets import views

app_name = "tickets"
urlpatterns = [
    path("", views.ticket_list, name="ticket_list"),
    path("new/", views.ticket_create, name="ticket_create"),
    path("<str:number>/", views.ticket_detail, name="ticket_detail"),
    path(
        "<str:number>/attachments/<int:pk>/", views.attachment_download, name="attachment_download"
    ),
    path("<str:number>/<slug:action>/", views.ticket_act, name="ticket_act"),
]
