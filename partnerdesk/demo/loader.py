"""The demo world, built section by section through the same actions the product uses.

How to extend it (later issues: tickets, effort, invoices, meetings): write a function
``def _tickets(demo: Demo) -> None`` that reads what earlier sections made from ``demo``
(``demo.people["lukas"]``, ``demo.partners["alpenblick"]``, ``demo.orders["lead-limmat"]`` …),
creates its rows through the actions of its app, stores what later sections need on
``demo``, and append it to ``SECTIONS``. Dates are relative to ``demo.today`` so the demo
never goes stale.

Idempotency: the demo administrator (``MARKER_EMAIL``) exists exactly when the demo was
loaded; ``load_demo()`` then only returns the log-ins. All e-mail addresses use reserved
domains (``.example``), so the demo can never mail a real person.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from partnerdesk.contracts.actions import (
    contract_create,
    order_create_engagement,
    order_create_lead,
    order_ensure_partnership,
    service_type_create,
)
from partnerdesk.contracts.models import (
    BillTo,
    Canton,
    Contract,
    Filers,
    Order,
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
from partnerdesk.parties.models import CSTeam, Organisation, OrganisationKind, Role, User
from partnerdesk.tickets import notifications
from partnerdesk.tickets.models import Ticket
from partnerdesk.tickets.selectors import Queue, TicketFilters, ticket_list

DEMO_PASSWORD = "demo"
VENDOR_DOMAIN = "bsi.example"
MARKER_EMAIL = f"andrea.keller@{VENDOR_DOMAIN}"


class DemoError(Exception):
    """The database holds data that is not the demo's; the demo will not mix with it."""


@dataclass(frozen=True)
class DemoLogin:
    role: str
    name: str
    email: str
    waiting: str = ""  # what waits for this person in the demo, e.g. "4 tickets waiting"


@dataclass(frozen=True)
class DemoLogins:
    """One log-in per role, all with the same password; ``created`` is False on reuse."""

    password: str
    logins: tuple[DemoLogin, ...]
    created: bool

    def as_text(self) -> str:
        lines = [f"Log in as (password for everyone: {self.password}):"]
        lines += [
            f"  {login.role:<22} {login.email:<40} {login.name}"
            + (f"  ({login.waiting})" if login.waiting else "")
            for login in self.logins
        ]
        return "\n".join(lines)


@dataclass
class Demo:
    """What the sections have built so far, by short key."""

    today: datetime.date
    vendor: Organisation | None = None
    admin: User | None = None
    people: dict[str, User] = field(default_factory=dict)
    teams: dict[str, CSTeam] = field(default_factory=dict)
    service_types: dict[str, ServiceType] = field(default_factory=dict)
    partners: dict[str, Organisation] = field(default_factory=dict)
    customers: dict[str, Organisation] = field(default_factory=dict)
    contracts: dict[str, Contract] = field(default_factory=dict)
    orders: dict[str, Order] = field(default_factory=dict)
    tickets: dict[str, Ticket] = field(default_factory=dict)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """The first of the month ``months`` after (or before) the month of ``day``."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


# --- the vendor and its people -------------------------------------------------------------

# key: (full name, e-mail local part, roles). Some people hold several roles, as in life.
VENDOR_STAFF: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "andrea": ("Andrea Keller", "andrea.keller", (Role.ADMIN,)),
    "thomas": ("Thomas Brunner", "thomas.brunner", (Role.SALES,)),
    "sandra": ("Sandra Gerber", "sandra.gerber", (Role.SALES, Role.PROJECT_LEAD)),
    "martin": ("Martin Zürcher", "martin.zuercher", (Role.PROJECT_LEAD,)),
    "nicole": ("Nicole Baumann", "nicole.baumann", (Role.CS_RESPONSIBLE, Role.CS_AGENT)),
    "reto": ("Reto Schmid", "reto.schmid", (Role.CS_RESPONSIBLE, Role.CS_AGENT)),
    "lukas": ("Lukas Steiner", "lukas.steiner", (Role.CS_AGENT,)),
    "sophie": ("Sophie Favre", "sophie.favre", (Role.CS_AGENT,)),
    "marco": ("Marco Bernasconi", "marco.bernasconi", (Role.CS_AGENT, Role.EXPERT)),
    "daniel": ("Daniel Huber", "daniel.huber", (Role.EXPERT,)),
    "laura": ("Laura Frei", "laura.frei", (Role.EXPERT,)),
}


def _vendor_staff(demo: Demo) -> None:
    demo.vendor = vendor_get_or_create()
    name, local, roles = VENDOR_STAFF["andrea"]
    # The first administrator is created by the system; everything after by her.
    demo.admin = person_create(
        acting_user=None,
        organisation=demo.vendor,
        email=f"{local}@{VENDOR_DOMAIN}",
        full_name=name,
        roles=roles,
        password=DEMO_PASSWORD,
        phone="+41 31 555 10 01",
    )
    demo.people["andrea"] = demo.admin
    for key, (name, local, roles) in VENDOR_STAFF.items():
        if key in demo.people:
            continue
        demo.people[key] = person_create(
            acting_user=demo.admin,
            organisation=demo.vendor,
            email=f"{local}@{VENDOR_DOMAIN}",
            full_name=name,
            roles=roles,
            password=DEMO_PASSWORD,
        )


def _cs_teams(demo: Demo) -> None:
    people = demo.people
    demo.teams["mitte"] = cs_team_create(
        acting_user=demo.admin,
        name="CS Team Mitte",
        email=f"cs-mitte@{VENDOR_DOMAIN}",
        members=[people["nicole"], people["lukas"], people["marco"], people["daniel"]],
    )
    demo.teams["west"] = cs_team_create(
        acting_user=demo.admin,
        name="CS Team West",
        email=f"cs-west@{VENDOR_DOMAIN}",
        members=[people["reto"], people["sophie"], people["laura"], people["marco"]],
    )


SERVICE_TYPES = {
    "analyse": "Analyse",
    "konfiguration": "Konfigurationsberatung",
    "schulung": "Schulung",
    "howto": "How-to-Support",
    "datenmigration": "Unterstützung Datenmigration",
}


def _service_types(demo: Demo) -> None:
    for code, name in SERVICE_TYPES.items():
        demo.service_types[code] = service_type_create(acting_user=demo.admin, code=code, name=name)


# --- partners --------------------------------------------------------------------------------

# key: name, city, domain, CS team, CS responsible, project lead, rate,
#      coordinator (name, local part), employees [(name, local part, language)]
PARTNERS = {
    "alpenblick": {
        "name": "Alpenblick Informatik AG",
        "city": "Bern",
        "domain": "alpenblick.example",
        "team": "mitte",
        "cs_responsible": "nicole",
        "project_lead": "martin",
        "rate": Decimal("165.00"),
        "coordinator": ("Beat Aebischer", "beat.aebischer"),
        "employees": [
            ("Simone Wyss", "simone.wyss", "de-ch"),
            ("Jonas Rüegg", "jonas.rueegg", "de-ch"),
        ],
    },
    "limmat": {
        "name": "Limmat Digital GmbH",
        "city": "Zürich",
        "domain": "limmat-digital.example",
        "team": "mitte",
        "cs_responsible": "nicole",
        "project_lead": "sandra",
        "rate": Decimal("150.00"),
        "coordinator": ("Priska Meier", "priska.meier"),
        "employees": [("Florian Egli", "florian.egli", "de-ch")],
    },
    "leman": {
        "name": "Léman Solutions SA",
        "city": "Lausanne",
        "domain": "leman-solutions.example",
        "team": "west",
        "cs_responsible": "reto",
        "project_lead": "martin",
        "rate": Decimal("155.00"),
        "coordinator": ("Chantal Rochat", "chantal.rochat"),
        "employees": [
            ("Nicolas Dubois", "nicolas.dubois", "de-ch"),
            ("Elena Rossi", "elena.rossi", "en"),
            ("Yves Perrin", "yves.perrin", "de-ch"),
        ],
    },
}


def _partners(demo: Demo) -> None:
    for key, spec in PARTNERS.items():
        coordinator_name, coordinator_local = spec["coordinator"]
        partner = partner_create(
            acting_user=demo.admin,
            name=spec["name"],
            short_name=key,
            city=spec["city"],
            cs_team=demo.teams[spec["team"]],
            cs_responsible=demo.people[spec["cs_responsible"]],
            project_lead=demo.people[spec["project_lead"]],
            hourly_rate=spec["rate"],
            coordinator_email=f"{coordinator_local}@{spec['domain']}",
            coordinator_name=coordinator_name,
            coordinator_password=DEMO_PASSWORD,
        )
        demo.partners[key] = partner
        demo.people[f"{key}-coordinator"] = partner.coordinator
        for index, (name, local, language) in enumerate(spec["employees"], start=1):
            demo.people[f"{key}-employee-{index}"] = person_create(
                acting_user=demo.admin,
                organisation=partner,
                email=f"{local}@{spec['domain']}",
                full_name=name,
                roles=[Role.PARTNER_EMPLOYEE],
                password=DEMO_PASSWORD,
                language=language,
            )
        demo.orders[f"partnership-{key}"] = order_ensure_partnership(partner=partner)


# --- customers -------------------------------------------------------------------------------

# key: name, city, domain, contacts [(name, local part)]
CUSTOMERS = {
    "aarwil": {
        "name": "Einwohnergemeinde Aarwil",
        "city": "Aarwil BE",
        "domain": "aarwil.example",
        "contacts": [("Peter Lüthi", "peter.luethi")],
    },
    "spital-seeland": {
        "name": "Spital Seeland AG",
        "city": "Biel/Bienne",
        "domain": "spital-seeland.example",
        "contacts": [("Ursula Hofer", "ursula.hofer"), ("Stefan Moser", "stefan.moser")],
    },
    "sw-limmattal": {
        "name": "Stadtwerke Limmattal AG",
        "city": "Dietikon",
        "domain": "sw-limmattal.example",
        "contacts": [("Regula Suter", "regula.suter"), ("Markus Vogt", "markus.vogt")],
    },
    "kk-rigi": {
        "name": "Krankenkasse Rigi",
        "city": "Küssnacht am Rigi",
        "domain": "kk-rigi.example",
        "contacts": [("Monika Imhof", "monika.imhof")],
    },
    "riviera": {
        "name": "Services Industriels de la Riviera SA",
        "city": "Vevey",
        "domain": "si-riviera.example",
        "contacts": [("Jean-Marc Chappuis", "jean-marc.chappuis")],
    },
    "ceresio": {
        "name": "Aziende Municipalizzate Ceresio",
        "city": "Lugano",
        "domain": "am-ceresio.example",
        "contacts": [("Giulia Pedrazzini", "giulia.pedrazzini")],
    },
    "zugerland": {
        "name": "Pensionskasse Zugerland",
        "city": "Zug",
        "domain": "pk-zugerland.example",
        "contacts": [("Roland Iten", "roland.iten")],
    },
}


def _customers(demo: Demo) -> None:
    for key, spec in CUSTOMERS.items():
        customer = customer_create(
            acting_user=demo.admin, name=spec["name"], short_name=key, city=spec["city"]
        )
        demo.customers[key] = customer
        for index, (name, local) in enumerate(spec["contacts"], start=1):
            demo.people[f"{key}-contact-{index}"] = person_create(
                acting_user=demo.admin,
                organisation=customer,
                email=f"{local}@{spec['domain']}",
                full_name=name,
                roles=[Role.CUSTOMER_CONTACT],
                password=DEMO_PASSWORD,
            )


# --- contracts -------------------------------------------------------------------------------


def _contracts(demo: Demo) -> None:
    """Contracts that differ in every rule: who files, who is billed, calendar and canton."""
    year = demo.today.year
    sales = demo.people["thomas"]
    specs = {
        # The recommended set-up: tickets come through the partner, who is billed.
        "aarwil": dict(
            customer="aarwil",
            partner="alpenblick",
            product="Einwohnerportal und Online-Schalter",
            valid_from=datetime.date(year - 2, 1, 1),
            sla_calendar=SlaCalendar.BUSINESS_HOURS,
            sla_canton=Canton.BE,
            filers=Filers.PARTNER,
            bill_to=BillTo.PARTNER,
            hourly_rate=Decimal("165.00"),
        ),
        # The contract it replaced: ended, kept for history.
        "aarwil-alt": dict(
            customer="aarwil",
            partner="alpenblick",
            product="Einwohnerportal (Vorgängerlösung)",
            valid_from=datetime.date(year - 5, 1, 1),
            valid_until=datetime.date(year - 3, 12, 31),
            sla_calendar=SlaCalendar.BUSINESS_HOURS,
            sla_canton=Canton.BE,
            filers=Filers.PARTNER,
            bill_to=BillTo.PARTNER,
            hourly_rate=Decimal("150.00"),
        ),
        # A hospital: around the clock with a shorter first check; both may file.
        "spital-seeland": dict(
            customer="spital-seeland",
            partner="alpenblick",
            product="Patienten- und Zuweiserportal",
            valid_from=datetime.date(year - 1, 4, 1),
            sla_first_check_hours=8,
            sla_calendar=SlaCalendar.ON_THE_CLOCK,
            filers=Filers.BOTH,
            bill_to=BillTo.CUSTOMER,
            hourly_rate=Decimal("180.00"),
        ),
        "sw-limmattal": dict(
            customer="sw-limmattal",
            partner="limmat",
            product="Kundenportal Strom, Wasser und Glasfaser",
            valid_from=datetime.date(year - 1, 1, 1),
            sla_calendar=SlaCalendar.BUSINESS_HOURS,
            sla_canton=Canton.ZH,
            filers=Filers.BOTH,
            bill_to=BillTo.CUSTOMER,
            hourly_rate=Decimal("170.00"),
        ),
        # The customer files itself, but its partner pays for what is not covered.
        "kk-rigi": dict(
            customer="kk-rigi",
            partner="limmat",
            product="Versichertenportal",
            valid_from=datetime.date(year - 1, 10, 1),
            valid_until=datetime.date(year + 2, 12, 31),
            sla_calendar=SlaCalendar.ON_THE_CLOCK,
            filers=Filers.CUSTOMER,
            bill_to=BillTo.PARTNER,
            hourly_rate=Decimal("160.00"),
        ),
        "riviera": dict(
            customer="riviera",
            partner="leman",
            product="Portail clients énergie",
            valid_from=datetime.date(year - 1, 7, 1),
            sla_calendar=SlaCalendar.BUSINESS_HOURS,
            sla_canton=Canton.VD,
            filers=Filers.PARTNER,
            bill_to=BillTo.PARTNER,
            hourly_rate=Decimal("155.00"),
        ),
        "ceresio": dict(
            customer="ceresio",
            partner="leman",
            product="Portale clienti acqua e gas",
            valid_from=datetime.date(year - 1, 3, 1),
            sla_calendar=SlaCalendar.BUSINESS_HOURS,
            sla_canton=Canton.TI,
            filers=Filers.CUSTOMER,
            bill_to=BillTo.CUSTOMER,
            hourly_rate=Decimal("150.00"),
        ),
        # No implementation partner: the customer files and pays itself, and a CS team of
        # the vendor answers it directly.
        "zugerland": dict(
            customer="zugerland",
            partner=None,
            cs_team=demo.teams["west"],
            product="Versichertenportal Vorsorge",
            valid_from=datetime.date(year - 3, 1, 1),
            sla_calendar=SlaCalendar.ON_THE_CLOCK,
            filers=Filers.CUSTOMER,
            bill_to=BillTo.CUSTOMER,
            hourly_rate=Decimal("190.00"),
        ),
    }
    for key, spec in specs.items():
        partner_key = spec.pop("partner")
        demo.contracts[key] = contract_create(
            acting_user=sales,
            customer=demo.customers[spec.pop("customer")],
            partner=demo.partners[partner_key] if partner_key else None,
            **spec,
        )


# --- orders ----------------------------------------------------------------------------------


def _approved_at(demo: Demo, days_ago: int) -> datetime.datetime:
    """A morning ``days_ago`` days back: when sales approved a lead order."""
    day = demo.today - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))


def _lead_orders(demo: Demo) -> None:
    """Sales opportunities with approved free CS hours (partnership orders come with partners)."""
    types = demo.service_types
    demo.orders["lead-limmat"] = order_create_lead(
        acting_user=demo.people["thomas"],
        partner=demo.partners["limmat"],
        customer=demo.customers["sw-limmattal"],
        title="Lead Stadtwerke Limmattal: Bestellstrecke Glasfaser",
        approved_free_hours=Decimal("24"),
        free_service_types=[types["analyse"], types["konfiguration"]],
        now=_approved_at(demo, 120),
    )
    demo.orders["lead-leman"] = order_create_lead(
        acting_user=demo.people["sandra"],
        partner=demo.partners["leman"],
        title="Lead Gemeindeverband Lavaux: Offerte Bürgerportal",
        approved_free_hours=Decimal("16"),
        free_service_types=[types["analyse"], types["schulung"]],
        now=_approved_at(demo, 110),
    )
    demo.orders["lead-alpenblick"] = order_create_lead(
        acting_user=demo.people["thomas"],
        partner=demo.partners["alpenblick"],
        customer=demo.customers["spital-seeland"],
        title="Lead Spital Seeland: Ausbau Zuweiserportal",
        approved_free_hours=Decimal("8"),
        free_service_types=[types["analyse"]],
        now=_approved_at(demo, 100),
    )


def _engagements(demo: Demo) -> None:
    """Dedicated vendor staff for a period: one running now, one starting next month."""
    this_month = _add_months(demo.today, 0)
    demo.orders["engagement-alpenblick"] = order_create_engagement(
        acting_user=demo.people["nicole"],
        partner=demo.partners["alpenblick"],
        customer=demo.customers["aarwil"],
        title="Teilprojekt Migration Einwohnerdienste",
        starts_on=_add_months(this_month, -1),
        ends_on=_add_months(this_month, 2) - datetime.timedelta(days=1),
        capacity_hours=Decimal("160"),
        dedicated_staff=[demo.people["daniel"]],
    )
    demo.orders["engagement-leman"] = order_create_engagement(
        acting_user=demo.people["reto"],
        partner=demo.partners["leman"],
        customer=demo.customers["riviera"],
        title="Planbarer Partnersupport Release Frühling",
        starts_on=_add_months(this_month, 1),
        ends_on=_add_months(this_month, 4) - datetime.timedelta(days=1),
        capacity_hours=Decimal("80"),
        dedicated_staff=[demo.people["laura"], demo.people["marco"]],
    )


def _tickets(demo: Demo) -> None:
    """About seventy tickets in every phase, with their history (see ``demo/tickets.py``)."""
    from partnerdesk.demo.tickets import demo_tickets

    demo_tickets(demo)


def _effort_tickets(demo: Demo) -> None:
    """Older tickets worked on in the month before last (see ``demo/efforts.py``); filed
    before the ticket stories so that ticket numbers ascend with time."""
    from partnerdesk.demo.efforts import demo_effort_tickets

    demo_effort_tickets(demo)


def _efforts(demo: Demo) -> None:
    """Three months of bookings, two issued invoices, queries and budgets
    (see ``demo/efforts.py``)."""
    from partnerdesk.demo.efforts import demo_efforts

    demo_efforts(demo)


SECTIONS: list[Callable[[Demo], None]] = [
    _vendor_staff,
    _cs_teams,
    _service_types,
    _partners,
    _customers,
    _contracts,
    _lead_orders,
    _engagements,
    _effort_tickets,
    _tickets,
    _efforts,
]

# The log-in printed per role: (role label, e-mail).
LOGINS: tuple[tuple[str, str], ...] = (
    ("CS agent", f"lukas.steiner@{VENDOR_DOMAIN}"),
    ("CS responsible", f"nicole.baumann@{VENDOR_DOMAIN}"),
    ("Expert", f"daniel.huber@{VENDOR_DOMAIN}"),
    ("Project lead", f"martin.zuercher@{VENDOR_DOMAIN}"),
    ("Sales", f"thomas.brunner@{VENDOR_DOMAIN}"),
    ("Admin", MARKER_EMAIL),
    ("Partner coordinator", "beat.aebischer@alpenblick.example"),
    ("Partner employee", "simone.wyss@alpenblick.example"),
    ("Customer contact", "ursula.hofer@spital-seeland.example"),
)


def _counted(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _waiting(user: User | None) -> str:
    """What waits for ``user``: the CS team queue, tickets handed to them, escalations."""
    if user is None:
        return ""
    parts = []
    if user.has_role(Role.CS_AGENT):
        count = ticket_list(user, TicketFilters(queue=Queue.TEAM)).count()
        parts.append(f"{count} in the CS team queue")
    mine = ticket_list(user, TicketFilters(queue=Queue.MINE)).count()
    if mine:
        parts.append(_counted(mine, "ticket waiting", "tickets waiting"))
    if user.has_role(Role.PROJECT_LEAD):
        escalated = ticket_list(user, TicketFilters(queue=Queue.ESCALATED)).filter(
            partner__project_lead=user
        )
        parts.append(_counted(escalated.count(), "escalated ticket", "escalated tickets"))
    if user.has_role(Role.CS_RESPONSIBLE):
        from partnerdesk.billing.models import Invoice
        from partnerdesk.efforts.models import BookingQuery

        queries = BookingQuery.objects.open().filter(booking__ticket__partner__cs_responsible=user)
        parts.append(_counted(queries.count(), "open effort query", "open effort queries"))
        drafts = Invoice.objects.filter(status="draft").count()
        parts.append(_counted(drafts, "draft invoice", "draft invoices"))
    return ", ".join(parts)


def _logins(*, created: bool) -> DemoLogins:
    people = {
        user.email: user
        for user in User.objects.filter(email__in=[email for _, email in LOGINS]).select_related(
            "organisation"
        )
    }
    return DemoLogins(
        password=DEMO_PASSWORD,
        logins=tuple(
            DemoLogin(
                role,
                people[email].full_name if email in people else "",
                email,
                _waiting(people.get(email)),
            )
            for role, email in LOGINS
        ),
        created=created,
    )


def load_demo() -> DemoLogins:
    """Load the demo world once; on a database that has it already, reuse it.

    Refuses (``DemoError``) a database that holds people or organisations of its own, so
    the demo never mixes with real data.
    """
    if User.objects.filter(email=MARKER_EMAIL).exists():
        return _logins(created=False)
    foreign = (
        User.objects.exists() or Organisation.objects.exclude(kind=OrganisationKind.VENDOR).exists()
    )
    if foreign:
        raise DemoError(
            "this database holds data that is not the demo's; "
            "use an empty data folder (PARTNERDESK_DATA_DIR) for the demo"
        )
    # The demo's history happened in the past: nobody is mailed about it (lead approvals,
    # budget thresholds, ticket events). New actions in the running demo mail as usual.
    with transaction.atomic(), notifications.muted():
        demo = Demo(today=timezone.localdate())
        for section in SECTIONS:
            section(demo)
    return _logins(created=True)
