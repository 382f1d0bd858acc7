"""Who pays for a booking: every rule of the brief and their combinations, as a table."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from partnerdesk.contracts.models import BillTo, Contract, Order, OrderKind
from partnerdesk.efforts.actions import parse_duration
from partnerdesk.efforts.billing import amount_for, derive, derive_correction
from partnerdesk.efforts.models import Billing, BillingReason, Booking
from partnerdesk.parties.models import Organisation, OrganisationKind
from partnerdesk.tickets.models import Coverage, Ticket

PARTNER = Organisation(pk=1, kind=OrganisationKind.PARTNER, name="P", hourly_rate=Decimal("160.00"))
CUSTOMER = Organisation(pk=2, kind=OrganisationKind.CUSTOMER, name="K")
ANALYSE, TRAINING = 11, 12


def ticket(
    *,
    order_kind=None,
    coverage=Coverage.UNDECIDED,
    contract_bills=BillTo.CUSTOMER,
    ticket_bills="",
    with_partner=True,
):
    contract = Contract(
        customer=CUSTOMER,
        partner=PARTNER if with_partner else None,
        bill_to=contract_bills,
        hourly_rate=Decimal("170.00"),
    )
    order = Order(kind=order_kind, partner=PARTNER) if order_kind else None
    return Ticket(
        contract=contract,
        order=order,
        partner=PARTNER if with_partner else None,
        customer=CUSTOMER,
        coverage=coverage,
        bill_to=ticket_bills,
    )


CASES = [
    # (id, ticket, minutes, activity, lead free left,
    #  expected: billing, reason, party, free, billable, rate)
    (
        "covered incident on a partnership order is free",
        {"order_kind": OrderKind.PARTNERSHIP, "coverage": Coverage.OPERATIONS_INCIDENT},
        90,
        ANALYSE,
        0,
        Billing.FREE,
        BillingReason.COVERED,
        None,
        90,
        0,
        None,
    ),
    (
        "product defect on a lead order is free and uses no lead hours",
        {"order_kind": OrderKind.LEAD, "coverage": Coverage.PRODUCT_DEFECT},
        60,
        ANALYSE,
        600,
        Billing.FREE,
        BillingReason.COVERED,
        None,
        60,
        0,
        None,
    ),
    (
        "covered on an engagement is free",
        {"order_kind": OrderKind.ENGAGEMENT, "coverage": Coverage.PRODUCT_DEFECT},
        30,
        ANALYSE,
        0,
        Billing.FREE,
        BillingReason.COVERED,
        None,
        30,
        0,
        None,
    ),
    (
        "partnership order, undecided → partner at the partner's rate",
        {"order_kind": OrderKind.PARTNERSHIP},
        90,
        ANALYSE,
        0,
        Billing.PARTNER,
        BillingReason.PARTNERSHIP,
        PARTNER,
        0,
        90,
        Decimal("160.00"),
    ),
    (
        "not covered, contract bills the customer → customer at the contract rate",
        {
            "order_kind": OrderKind.PARTNERSHIP,
            "coverage": Coverage.CONFIGURATION,
            "ticket_bills": BillTo.CUSTOMER,
        },
        60,
        ANALYSE,
        0,
        Billing.CUSTOMER,
        BillingReason.NOT_COVERED,
        CUSTOMER,
        0,
        60,
        Decimal("170.00"),
    ),
    (
        "not covered, contract bills the partner → partner at the contract rate",
        {
            "order_kind": OrderKind.PARTNERSHIP,
            "coverage": Coverage.HOWTO,
            "contract_bills": BillTo.PARTNER,
            "ticket_bills": BillTo.PARTNER,
        },
        60,
        ANALYSE,
        0,
        Billing.PARTNER,
        BillingReason.NOT_COVERED,
        PARTNER,
        0,
        60,
        Decimal("170.00"),
    ),
    (
        "not covered on a lead order → the contract's party, no lead hours",
        {
            "order_kind": OrderKind.LEAD,
            "coverage": Coverage.CHANGE_REQUEST,
            "ticket_bills": BillTo.CUSTOMER,
        },
        60,
        ANALYSE,
        600,
        Billing.CUSTOMER,
        BillingReason.NOT_COVERED,
        CUSTOMER,
        0,
        60,
        Decimal("170.00"),
    ),
    (
        "not covered on an engagement → the contract's party",
        {
            "order_kind": OrderKind.ENGAGEMENT,
            "coverage": Coverage.CUSTOMIZING_ERROR,
            "contract_bills": BillTo.PARTNER,
            "ticket_bills": BillTo.PARTNER,
        },
        45,
        ANALYSE,
        0,
        Billing.PARTNER,
        BillingReason.NOT_COVERED,
        PARTNER,
        0,
        45,
        Decimal("170.00"),
    ),
    (
        "not covered without partner → customer",
        {"coverage": Coverage.HOWTO, "with_partner": False, "ticket_bills": BillTo.CUSTOMER},
        30,
        ANALYSE,
        0,
        Billing.CUSTOMER,
        BillingReason.NOT_COVERED,
        CUSTOMER,
        0,
        30,
        Decimal("170.00"),
    ),
    (
        "filed by the customer, undecided → the contract's party",
        {"contract_bills": BillTo.CUSTOMER},
        30,
        ANALYSE,
        0,
        Billing.CUSTOMER,
        BillingReason.DIRECT,
        CUSTOMER,
        0,
        30,
        Decimal("170.00"),
    ),
    (
        "filed by the customer, contract bills the partner → partner",
        {"contract_bills": BillTo.PARTNER},
        30,
        ANALYSE,
        0,
        Billing.PARTNER,
        BillingReason.DIRECT,
        PARTNER,
        0,
        30,
        Decimal("170.00"),
    ),
    (
        "lead order, free service within the approved hours → free",
        {"order_kind": OrderKind.LEAD},
        120,
        ANALYSE,
        600,
        Billing.FREE,
        BillingReason.LEAD_FREE,
        None,
        120,
        0,
        None,
    ),
    (
        "lead order, free service crossing the limit → split",
        {"order_kind": OrderKind.LEAD},
        120,
        ANALYSE,
        45,
        Billing.PARTNER,
        BillingReason.LEAD_SPLIT,
        PARTNER,
        45,
        75,
        Decimal("160.00"),
    ),
    (
        "lead order, free hours used up → partner",
        {"order_kind": OrderKind.LEAD},
        60,
        ANALYSE,
        0,
        Billing.PARTNER,
        BillingReason.LEAD_OVER,
        PARTNER,
        0,
        60,
        Decimal("160.00"),
    ),
    (
        "lead order, service not on the free list → partner even with hours left",
        {"order_kind": OrderKind.LEAD},
        60,
        TRAINING,
        600,
        Billing.PARTNER,
        BillingReason.LEAD_SERVICE,
        PARTNER,
        0,
        60,
        Decimal("160.00"),
    ),
    (
        "engagement, undecided → partner against its capacity",
        {"order_kind": OrderKind.ENGAGEMENT},
        240,
        TRAINING,
        0,
        Billing.PARTNER,
        BillingReason.ENGAGEMENT,
        PARTNER,
        0,
        240,
        Decimal("160.00"),
    ),
]


@pytest.mark.parametrize(
    (
        "kwargs",
        "minutes",
        "activity",
        "left",
        "billing",
        "reason",
        "party",
        "free",
        "billable",
        "rate",
    ),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_it_derives_who_pays(
    kwargs, minutes, activity, left, billing, reason, party, free, billable, rate
):
    derived = derive(
        ticket=ticket(**kwargs),
        minutes=minutes,
        activity_id=activity,
        lead_free_left=left,
        free_service_ids={ANALYSE},
    )
    assert derived.billing == billing
    assert derived.reason == reason
    assert derived.bill_to_id == (party.pk if party else None)
    assert (derived.free_minutes, derived.billable_minutes) == (free, billable)
    assert derived.rate == rate
    assert derived.amount == amount_for(billable, rate)


@pytest.mark.parametrize(
    ("minutes", "rate", "amount"),
    [
        (60, Decimal("160"), Decimal("160.00")),
        (1, Decimal("160"), Decimal("2.67")),
        (7, Decimal("155.50"), Decimal("18.14")),
        (-45, Decimal("170"), Decimal("-127.50")),
        (0, Decimal("170"), Decimal("0.00")),
        (30, None, Decimal("0.00")),
    ],
)
def test_it_rounds_amounts_to_the_centime(minutes, rate, amount):
    assert amount_for(minutes, rate) == amount


def test_it_bills_a_correction_like_the_original():
    original = Booking(
        billing=Billing.PARTNER,
        reason=BillingReason.PARTNERSHIP,
        bill_to_id=1,
        rate=Decimal("160.00"),
        billable_minutes=60,
    )
    credit = derive_correction(original, -30, billable_before=60)
    assert (credit.billing, credit.bill_to_id, credit.billable_minutes, credit.amount) == (
        Billing.PARTNER,
        1,
        -30,
        Decimal("-80.00"),
    )
    written_off = derive_correction(original, -60, billable_before=60, written_off=True)
    assert written_off.reason == BillingReason.WRITTEN_OFF and written_off.amount == Decimal(
        "-160.00"
    )
    free = Booking(billing=Billing.FREE, reason=BillingReason.COVERED)
    assert derive_correction(free, 30, billable_before=0).billing == Billing.FREE
    # a credit never takes back more than was billed: the rest is free time
    capped = derive_correction(original, -90, billable_before=60)
    assert (capped.billable_minutes, capped.free_minutes, capped.amount) == (
        -60,
        -30,
        Decimal("-160.00"),
    )


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1:30", 90),
        ("0:05", 5),
        ("1.5h", 90),
        ("1,5 h", 90),
        ("2h", 120),
        ("1h30", 90),
        ("1h 15min", 75),
        ("90", 90),
        ("45 min", 45),
        (" 20m ", 20),
    ],
)
def test_it_reads_durations_as_people_write_them(text, minutes):
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("text", ["", "abc", "0", "0:00", "1:75", "-1h", "25h", "1.5.5h"])
def test_it_refuses_durations_it_cannot_read(text):
    with pytest.raises(ValidationError) as caught:
        parse_duration(text)
    assert "duration" in caught.value.message_dict
