from django.contrib import admin
from django.urls import include, path

from partnerdesk.api import api

urlpatterns = [
    path("", include("partnerdesk.accounts.urls")),
    path("partners/", include("partnerdesk.parties.urls")),
    path("contracts/", include("partnerdesk.contracts.urls")),
    path("tickets/", include("partnerdesk.tickets.urls")),
    path("efforts/", include("partnerdesk.efforts.urls")),
    path("billing/", include("partnerdesk.billing.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
