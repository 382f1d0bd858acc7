"""A small, complete world for tests: the vendor, two partners, two customers and a person
for every role, plus outsiders from the other partner and the other customer.

``build_world()`` goes through the same actions as the admin and the demo loader.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from partnerdesk.contracts.actions import (
    contract_create,
    order_create_engagement,
    order_create_lead,
)
from partnerdesk.contracts.models import (
    BillTo,
    Contract,
    Filers,
    Order,
    OrderKind,
    ServiceType,
    SlaCalendar,
)
from partnerdesk.parties.actions import (
    cs_team_create,
    customer_create,
    partner_create,
    person_create,
    vendor_get_or_create,
)
from partnerdesk.parties.models import CSTeam, Organisation, Role, User

PASSWORD = "Sehr-geheim-2026"


@dataclass
class World:
    vendor: Organisation
    team: CSTeam
    other_team: CSTeam
    # vendor people
    cs_agent: User
    cs_responsible: User
    expert: User
    project_lead: User
    sales: User
    admin: User
    # our partner and its people
    partner: Organisation
    coordinator: User
    employee: User
    # our customer (served by our partner) and its contact
    customer: Organisation
    customer_contact: User
    contract: Contract
    partnership_order: Order
    lead_order: Order
    engagement: Order
    # the outsiders: another partner and another customer
    other_partner: Organisation
    outsider_partner: User
    other_customer: Organisation
    outsider_customer: User
    other_contract: Contract
    other_partnership_order: Order

    def persona(self, name: str) -> User:
        return getattr(self, name)


VENDOR_ROLES = {
    "cs_agent": Role.CS_AGENT,
    "cs_responsible": Role.CS_RESPONSIBLE,
    "expert": Role.EXPERT,
    "project_lead": Role.PROJECT_LEAD,
    "sales": Role.SALES,
    "admin": Role.ADMIN,
}


def build_world() -> World:
    vendor = vendor_get_or_create()
    people: dict[str, User] = {}
    for key, role in VENDOR_ROLES.items():
        people[key] = person_create(
            acting_user=None,
            organisation=vendor,
            email=f"{key.replace('_', '.')}@bsi.test",
            full_name=f"{key.replace('_', ' ').title()} BSI",
            roles=[role],
            password=PASSWORD,
        )
    team = cs_team_create(
        acting_user=None,
        name="CS Team Nord",
        members=[people["cs_agent"], people["cs_responsible"]],
    )
    other_team = cs_team_create(acting_user=None, name="CS Team Süd", members=[people["expert"]])

    partner = partner_create(
        acting_user=None,
        name="Alpina Solutions AG",
        short_name="alpina",
        cs_team=team,
        cs_responsible=people["cs_responsible"],
        project_lead=people["project_lead"],
        hourly_rate=Decimal("160.00"),
        coordinator_email="koordination@alpina.test",
        coordinator_name="Claudia Koordinatorin",
        coordinator_password=PASSWORD,
    )
    employee = person_create(
        acting_user=None,
        organisation=partner,
        email="mitarbeiter@alpina.test",
        full_name="Emil Mitarbeiter",
        roles=[Role.PARTNER_EMPLOYEE],
        password=PASSWORD,
    )
    other_partner = partner_create(
        acting_user=None,
        name="Bergwerk Consulting GmbH",
        short_name="bergwerk",
        cs_team=other_team,
        cs_responsible=people["cs_responsible"],
        hourly_rate=Decimal("150.00"),
        coordinator_email="koordination@bergwerk.test",
        coordinator_name="Otto Aussenseiter",
        coordinator_password=PASSWORD,
    )
    customer = customer_create(acting_user=None, name="Stadtwerke Seeland", short_name="seeland")
    customer_contact = person_create(
        acting_user=None,
        organisation=customer,
        email="kontakt@seeland.test",
        full_name="Karin Kundin",
        roles=[Role.CUSTOMER_CONTACT],
        password=PASSWORD,
    )
    other_customer = customer_create(acting_user=None, name="Kantonsspital Ost", short_name="ksost")
    outsider_customer = person_create(
        acting_user=None,
        organisation=other_customer,
        email="kontakt@ksost.test",
        full_name="Olga Fremdkundin",
        roles=[Role.CUSTOMER_CONTACT],
        password=PASSWORD,
    )
    contract = contract_create(
        acting_user=None,
        number="SV-TEST-1",
        customer=customer,
        partner=partner,
        valid_from=datetime.date(2026, 1, 1),
        hourly_rate=Decimal("170.00"),
        sla_calendar=SlaCalendar.BUSINESS_HOURS,
        sla_canton="BE",
        filers=Filers.BOTH,
        bill_to=BillTo.CUSTOMER,
    )
    other_contract = contract_create(
        acting_user=None,
        number="SV-TEST-2",
        customer=other_customer,
        partner=other_partner,
        valid_from=datetime.date(2026, 1, 1),
        hourly_rate=Decimal("150.00"),
    )
    analysis, _ = ServiceType.objects.get_or_create(code="analyse", defaults={"name": "Analyse"})
    lead_order = order_create_lead(
        acting_user=people["sales"],
        partner=partner,
        customer=customer,
        title="Lead Seeland Netzportal",
        approved_free_hours=Decimal("20"),
        free_service_types=[analysis],
    )
    engagement = order_create_engagement(
        acting_user=people["cs_responsible"],
        partner=partner,
        title="Teilprojekt Migration",
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 12, 31),
        capacity_hours=Decimal("120"),
        dedicated_staff=[people["expert"]],
    )
    return World(
        vendor=vendor,
        team=team,
        other_team=other_team,
        **people,
        partner=partner,
        coordinator=partner.coordinator,
        employee=employee,
        customer=customer,
        customer_contact=customer_contact,
        contract=contract,
        partnership_order=Order.objects.get(partner=partner, kind=OrderKind.PARTNERSHIP),
        lead_order=lead_order,
        engagement=engagement,
        other_partner=other_partner,
        outsider_partner=other_partner.coordinator,
        other_customer=other_customer,
        outsider_customer=outsider_customer,
        other_contract=other_contract,
        other_partnership_order=Order.objects.get(
            partner=other_partner, kind=OrderKind.PARTNERSHIP
        ),
    )
