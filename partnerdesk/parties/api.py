"""Organisations the caller can see: /api/v1/organisations/."""

from ninja import Query, Router
from ninja.pagination import paginate

from partnerdesk.lib.api import INVALID, NOT_FOUND, UNAUTHENTICATED, caller, get_visible_or_404
from partnerdesk.parties.models import Organisation
from partnerdesk.parties.schemas import OrganisationFilter, OrganisationOut

router = Router(tags=["organisations"])


def _organisations(request):
    return (
        Organisation.objects.visible_to(caller(request))
        .select_related("cs_team", "cs_responsible", "coordinator", "project_lead")
        .order_by("kind", "name", "id")
    )


@router.get(
    "",
    response={200: list[OrganisationOut], **UNAUTHENTICATED, **INVALID},
    operation_id="organisation_list",
)
@paginate
def organisation_list(request, filters: Query[OrganisationFilter]):
    """Organisations you can see, ordered by kind and name.

    Vendor staff see all. Partner people see the vendor, their partner and the customers it
    serves under a contract; customer contacts the vendor, their customer and the partners
    named on its contracts.
    """
    return filters.filter(_organisations(request))


@router.get(
    "{organisation_id}",
    response={200: OrganisationOut, **UNAUTHENTICATED, **NOT_FOUND, **INVALID},
    operation_id="organisation_read",
)
def organisation_read(request, organisation_id: int):
    """One organisation; 404 if it does not exist or is not visible to you."""
    return get_visible_or_404(_organisations(request), organisation_id)
