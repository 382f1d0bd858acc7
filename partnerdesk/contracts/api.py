"""Contracts and orders the caller can see: /api/v1/contracts/ and /api/v1/orders/."""

from ninja import Query, Router
from ninja.pagination import paginate

from partnerdesk.contracts.models import Contract, Order
from partnerdesk.contracts.schemas import ContractFilter, ContractOut, OrderFilter, OrderOut
from partnerdesk.lib.api import INVALID, NOT_FOUND, UNAUTHENTICATED, caller, get_visible_or_404

router = Router()


def _contracts(request):
    return (
        Contract.objects.visible_to(caller(request))
        .select_related("customer", "partner")
        .order_by("number", "id")
    )


def _orders(request):
    return (
        Order.objects.visible_to(caller(request))
        .select_related("partner", "customer")
        .prefetch_related("free_service_types", "dedicated_staff")
        .order_by("number", "id")
    )


@router.get(
    "contracts/",
    response={200: list[ContractOut], **UNAUTHENTICATED, **INVALID},
    operation_id="contract_list",
    tags=["contracts"],
)
@paginate
def contract_list(request, filters: Query[ContractFilter]):
    """SaaS contracts you can see, ordered by number.

    Vendor staff see all; partner people the contracts naming their partner; customer
    contacts their customer's.
    """
    return filters.filter(_contracts(request))


@router.get(
    "contracts/{contract_id}",
    response={200: ContractOut, **UNAUTHENTICATED, **NOT_FOUND, **INVALID},
    operation_id="contract_read",
    tags=["contracts"],
)
def contract_read(request, contract_id: int):
    """One SaaS contract; 404 if it does not exist or is not visible to you."""
    return get_visible_or_404(_contracts(request), contract_id)


@router.get(
    "orders/",
    response={200: list[OrderOut], **UNAUTHENTICATED, **INVALID},
    operation_id="order_list",
    tags=["orders"],
)
@paginate
def order_list(request, filters: Query[OrderFilter]):
    """Orders you can see, ordered by number.

    Vendor staff see all; partner people their partner's; customer contacts none.
    """
    return filters.filter(_orders(request))


@router.get(
    "orders/{order_id}",
    response={200: OrderOut, **UNAUTHENTICATED, **NOT_FOUND, **INVALID},
    operation_id="order_read",
    tags=["orders"],
)
def order_read(request, order_id: int):
    """One order; 404 if it does not exist or is not visible to you."""
    return get_visible_or_404(_orders(request), order_id)
