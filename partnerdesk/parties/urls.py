from django.urls import path

from partnerdesk.parties import views

app_name = "parties"
urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("<int:pk>/", views.organisation_detail, name="organisation_detail"),
]
