"""The demo's effort and money: three months of bookings, invoices, queries and budgets.

Two sections (see ``demo/loader.py``):

- ``demo_effort_tickets`` runs *before* the ticket stories and files a handful of older
  tickets (through the ticket actions) that were worked on in the month before last. The
  stories of ``demo/tickets.py`` reach back about seven weeks, not three months; filing these
  first keeps the ticket numbers ascending with time.
- ``demo_efforts`` runs *after* them and books effort on the tickets through
  ``efforts.actions.booking_create``, then queries, approval raises and the invoice runs,
  all in the order they happened (each action gets its moment through ``now=``).

What the demo shows:

- bookings in the current month and the two before it, by the vendor staff who worked on
  each ticket, on working days between the ticket's filing and its end (never in the
  future), with every billing reason: covered (free), partnership, not covered (billed to
  the partner and to a customer), billed directly, lead order within, beyond and outside the
  free hours, engagement;
- the month before last invoiced and issued (two invoices: a partner and a customer); the
  previous month run but left as drafts for the CS responsible to review and issue;
- a query corrected after its invoice was issued (the correction is a credit line on the
  previous month's draft), one accepted, one still open;
- lead order "Lavaux" (Léman) at about 84 % of its free hours (the 80 % event exists);
  lead order Limmat beyond its hours even after sales raised the approval;
- the Aarwil migration engagement booked at half its capacity, with planned effort per ticket.

Everything runs inside ``notifications.muted()``: budget and ticket mails are not queued.
Everything random comes from one seeded ``random.Random``.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.utils import timezone

from partnerdesk.billing.actions import invoice_issue, invoice_run
from partnerdesk.billing.models import Invoice, InvoiceStatus
from partnerdesk.efforts.actions import (
    booking_create,
    booking_query_open,
    booking_query_resolve,
    lead_order_raise_approval,
)
from partnerdesk.efforts.models import Booking, QueryStatus
from partnerdesk.parties.models import OrganisationKind, User
from partnerdesk.tickets import actions as ticket_actions
from partnerdesk.tickets import notifications
from partnerdesk.tickets.models import COVERED, Coverage, Ticket, TicketEvent
from partnerdesk.tickets.phases import Phase

if TYPE_CHECKING:
    from partnerdesk.demo.loader import Demo

SEED = 20261204
ZURICH = ZoneInfo("Europe/Zurich")

# How far back the older tickets are filed at the latest: the ticket stories reach back about
# nine weeks at most, and these must come first.
HISTORY_DAYS = 76
DAY_CAP = 8 * 60 + 30  # nobody books more than a long working day
DURATIONS = (30, 45, 60, 60, 90, 90, 120, 120, 150, 180, 240)

TEXTS = {
    "analyse": (
        "Fehlerbild im Referenzsystem nachgestellt und Protokolle ausgewertet",
        "Serverprotokolle zum gemeldeten Zeitraum analysiert",
        "Ursache mit der Entwicklung eingegrenzt und dokumentiert",
        "Datenbankabfrage zur Eingrenzung der betroffenen Datensätze",
        "Rückfragen des Partners geklärt, Analyse nachgeführt",
        "Schnittstellenaufrufe mitgeschnitten und ausgewertet",
        "Anforderungen aufgenommen und Lösungsvarianten skizziert",
    ),
    "konfiguration": (
        "Mandanteneinstellungen geprüft und Konfigurationsvorschlag erstellt",
        "Konfiguration im Testmandanten umgesetzt und getestet",
        "Telefonische Konfigurationsberatung mit dem Partner",
        "Berechtigungen und Rollen gemeinsam mit dem Partner angepasst",
        "Vorlagen und Textbausteine im Testmandanten eingerichtet",
    ),
    "schulung": (
        "Schulung Sachbearbeitende (online), inkl. Vorbereitung",
        "Schulungsunterlagen auf den Mandanten angepasst",
        "Nachschulung Backoffice-Funktionen",
        "Workshop Anforderungen mit Partner und Endkunde",
    ),
    "howto": (
        "Anleitung erstellt und am Telefon mit dem Partner durchgegangen",
        "Anwendungsfrage beantwortet, Handbuchstelle verlinkt",
        "Vorgehen per Bildschirmfreigabe gezeigt",
        "Schritt-für-Schritt-Anleitung mit Screenshots verfasst",
    ),
    "datenmigration": (
        "Testlauf Datenübernahme begleitet und Abweichungen protokolliert",
        "Mapping-Tabelle Altsystem zu Zielsystem abgeglichen",
        "Importfehler analysiert und Korrekturskript vorbereitet",
        "Migrationsplan mit der Projektleitung des Partners abgestimmt",
        "Stichproben der migrierten Datensätze plausibilisiert",
    ),
}
INTERNAL_TEXTS = (
    "Aufwand höher als erwartet: Testdaten fehlten, selbst erstellt.",
    "Mit Entwicklung abgesprochen, Ticket im Backlog verlinkt.",
    "Partner war gut vorbereitet, kurze Abklärung.",
)

# --- small helpers about time ------------------------------------------------------------------


def _month(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _is_workday(day: datetime.date) -> bool:
    return day.weekday() < 5


def _workday(start: datetime.date, offset: int = 0) -> datetime.date:
    """The ``offset``-th working day on or after ``start`` (0: ``start`` or the next one)."""
    day = start
    while not _is_workday(day):
        day += datetime.timedelta(days=1)
    for _ in range(offset):
        day += datetime.timedelta(days=1)
        while not _is_workday(day):
            day += datetime.timedelta(days=1)
    return day


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """``hour``:00 on ``day`` in Zurich, plus ``minute`` minutes (may pass the hour)."""
    start = datetime.datetime.combine(day, datetime.time(hour), ZURICH)
    return (start + datetime.timedelta(minutes=minute)).astimezone(datetime.UTC)


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment)


@dataclass(frozen=True)
class Months:
    """The three months of the demo's effort and today."""

    today: datetime.date
    now: datetime.datetime

    @property
    def current(self) -> datetime.date:
        return _month(self.today, 0)

    @property
    def previous(self) -> datetime.date:
        return _month(self.today, -1)

    @property
    def before_last(self) -> datetime.date:
        return _month(self.today, -2)


# --- the older tickets ---------------------------------------------------------------------------


@dataclass(frozen=True)
class History:
    """An older ticket: who filed it and how it went, in working days after work began
    ("w") or after the previous month began ("m1")."""

    key: str
    customer: str
    filer: str
    agent: str
    title: str
    description: str
    steps: tuple[tuple[str, str, int], ...]  # (action, anchor, working days)
    order: str | None = None
    planned_hours: int | None = None
    responsible: str | None = None


HISTORY: tuple[History, ...] = (
    History(
        "covered",
        "aarwil",
        "alpenblick-employee-2",
        "lukas",
        "Steuerportal: Ratenplan bei Teilzahlungen falsch berechnet",
        "Zahlt eine Steuerpflichtige eine Rate nur teilweise, berechnet das Portal den "
        "Ratenplan neu und verteilt den Rest auf alle folgenden Raten statt auf die nächste.",
        (("coverage:product_defect", "w", 1), ("solve", "w", 6), ("confirm", "w", 8)),
        order="partnership-alpenblick",
    ),
    History(
        "schulung",
        "aarwil",
        "alpenblick-coordinator",
        "lukas",
        "Schulung neue Sachbearbeitende Einwohnerdienste",
        "Die Gemeinde hat drei neue Mitarbeitende in den Einwohnerdiensten. Wir bitten um eine "
        "Schulung zum Online-Schalter und zur Geschäftskontrolle im Backoffice.",
        (("solve", "m1", 4), ("confirm", "m1", 6)),
        order="partnership-alpenblick",
    ),
    History(
        "customizing",
        "aarwil",
        "alpenblick-employee-1",
        "marco",
        "Eigenes Formular Parkkarten: Berechnung der Gebühr stimmt nicht",
        "Im von uns erstellten Formular für Anwohnerparkkarten wird die Gebühr für Halbjahre "
        "falsch berechnet.",
        (("coverage:customizing_error", "w", 4),),
        order="partnership-alpenblick",
    ),
    History(
        "spital",
        "spital-seeland",
        "spital-seeland-contact-1",
        "lukas",
        "Wie richten wir Vertretungen für Zuweiser in den Ferien ein?",
        "Mehrere Hausärzte möchten während ihrer Ferien eine Vertretung berechtigen, die ihre "
        "Befunde im Zuweiserportal einsehen kann. Wie geht das?",
        (("coverage:howto", "w", 3),),
    ),
    History(
        "lead-limmat",
        "sw-limmattal",
        "limmat-employee-1",
        "lukas",
        "Bestellstrecke Glasfaser: Analyse Anbindung Netzbetreiber",
        "Für die Offerte an die Stadtwerke brauchen wir eine Analyse, wie die Bestellstrecke "
        "die Verfügbarkeitsdaten des Netzbetreibers übernehmen kann.",
        (("solve", "m1", 14), ("confirm", "m1", 16)),
        order="lead-limmat",
    ),
    History(
        "lead-leman",
        "riviera",
        "leman-coordinator",
        "sophie",
        "Offerte Lavaux: Anforderungsworkshop Bürgerportal",
        "Der Gemeindeverband Lavaux wünscht einen Workshop zu den Anforderungen an ein "
        "Bürgerportal. Bitte um Analyse und Teilnahme.",
        (("solve", "m1", 4), ("confirm", "m1", 6)),
        order="lead-leman",
    ),
    History(
        "migration-register",
        "aarwil",
        "alpenblick-coordinator",
        "lukas",
        "Arbeitspaket Migration: Übernahme Einwohnerregister",
        "Arbeitspaket im Teilprojekt Migration: Übernahme des Einwohnerregisters aus dem "
        "Altsystem inkl. Testläufe und Abgleich.",
        (),
        order="engagement-alpenblick",
        planned_hours=40,
        responsible="daniel",
    ),
    History(
        "migration-steuern",
        "aarwil",
        "alpenblick-coordinator",
        "lukas",
        "Arbeitspaket Migration: Abgleich Steuerdaten mit dem Altsystem",
        "Arbeitspaket im Teilprojekt Migration: Steuerdaten nach der Übernahme mit dem "
        "Altsystem abgleichen und Differenzen bereinigen.",
        (),
        order="engagement-alpenblick",
        planned_hours=32,
        responsible="daniel",
    ),
)

COVERAGE_REASONS = {
    Coverage.PRODUCT_DEFECT: "Fehler im Standardprodukt, im Referenzsystem nachgestellt.",
    Coverage.CUSTOMIZING_ERROR: "Das Formular ist ein Customizing des Partners; die "
    "Gebührenformel darin ist falsch. Unterstützung gegen Aufwand.",
    Coverage.HOWTO: "Anwendungsfrage: Vertretungen sind im Handbuch beschrieben. Wir "
    "unterstützen gerne gegen Aufwand.",
}
SOLUTIONS = {
    "covered": "Korrektur mit dem Wartungsrelease eingespielt; Ratenpläne werden neu korrekt "
    "berechnet.",
    "schulung": "Schulung in zwei Teilen durchgeführt, Unterlagen stehen im Kundenbereich.",
    "lead-limmat": "Analyse abgeschlossen, Lösungsskizze und Aufwandschätzung für die Offerte "
    "übergeben.",
    "lead-leman": "Workshop durchgeführt, Anforderungskatalog dem Partner übergeben.",
}


def _history_start(months: Months) -> datetime.date:
    """The first filing day of the older tickets: early in the month before last, and far
    enough back to come before every ticket story."""
    latest = months.today - datetime.timedelta(days=HISTORY_DAYS + 4)
    return _workday(min(months.before_last + datetime.timedelta(days=1), latest))


def demo_effort_tickets(demo: Demo) -> None:
    """File the older tickets (worked on in the month before last) and play their history."""
    rng = random.Random(SEED)  # noqa: S311 - demo data, deterministic on purpose
    now = timezone.now()
    months = Months(today=timezone.localdate(now), now=now)
    start = _history_start(months)
    with notifications.muted():
        for index, spec in enumerate(HISTORY):
            filed_at = _at(_workday(start, index // 3), 8 + 3 * (index % 3), rng.randint(0, 50))
            demo.tickets[spec.key] = _play_history(demo, spec, filed_at, months, rng)


def _play_history(demo: Demo, spec: History, filed_at, months: Months, rng) -> Ticket:
    people = demo.people
    order = demo.orders[spec.order] if spec.order else None
    ticket = ticket_actions.ticket_file(
        acting_user=people[spec.filer],
        customer=demo.customers[spec.customer],
        order=order,
        title=spec.title,
        description=spec.description,
        planned_minutes=spec.planned_hours * 60 if spec.planned_hours else None,
        now=filed_at,
    ).ticket
    work_start = _workday(
        max(_local_day(filed_at) + datetime.timedelta(days=1), months.before_last)
    )
    if order is not None and order.starts_on:
        work_start = _workday(max(work_start, order.starts_on))
    moments = [
        _at(_workday(work_start if anchor == "w" else months.previous, days), 10 + i, 15)
        for i, (_, anchor, days) in enumerate(spec.steps)
    ]
    estimate = order.ends_on if order is not None and order.ends_on else None
    if estimate is None:
        estimate = _local_day(moments[-1]) if moments else work_start
    agent = people[spec.agent]
    ticket = ticket_actions.ticket_check(
        acting_user=agent,
        ticket=ticket,
        version=ticket.version,
        next_steps="Arbeitspaket eingeplant; Start mit Beginn des Engagements."
        if spec.planned_hours
        else "Anliegen geprüft, Analyse eingeplant.",
        estimated_resolution_on=estimate,
        responsible_person=people[spec.responsible] if spec.responsible else None,
        now=filed_at + datetime.timedelta(minutes=rng.randint(40, 110)),
    )
    for (action, _, _), at in zip(spec.steps, moments, strict=True):
        if action.startswith("coverage:"):
            coverage = action.split(":")[1]
            ticket = ticket_actions.ticket_decide_coverage(
                acting_user=agent,
                ticket=ticket,
                version=ticket.version,
                coverage=coverage,
                reason=COVERAGE_REASONS[coverage],
                now=at,
            )
        elif action == "solve":
            ticket = ticket_actions.ticket_propose_solution(
                acting_user=agent,
                ticket=ticket,
                version=ticket.version,
                solution=SOLUTIONS[spec.key],
                now=at,
            )
        elif action == "confirm":
            ticket = ticket_actions.ticket_confirm(
                acting_user=ticket.responsible_person,
                ticket=ticket,
                version=ticket.version,
                now=at,
            )
    return ticket


# --- the plan: every booking and action with its moment ---------------------------------------


@dataclass
class Planned:
    at: datetime.datetime
    seq: int
    run: object  # a callable taking no argument


class Plan:
    """Bookings and actions to replay in the order they happened."""

    def __init__(self, demo: Demo, months: Months, rng: random.Random):
        self.demo, self.months, self.rng = demo, months, rng
        self.items: list[Planned] = []
        self.load: dict[tuple[int, datetime.date], int] = {}
        self.bookings: dict[str, Booking] = {}

    def add(self, at: datetime.datetime, run) -> None:
        self.items.append(Planned(at, len(self.items), run))

    def slot(self, ticket: Ticket, day: datetime.date) -> datetime.datetime | None:
        """When a booking for ``day`` is entered: late afternoon of that day, never before the
        ticket was filed nor in the future."""
        at = _at(day, 16, self.rng.randint(0, 150))
        floor = ticket.created_at + datetime.timedelta(minutes=20)
        at = max(at, floor)
        if _local_day(at) != day:
            return None
        if at >= self.months.now:
            at = self.months.now - datetime.timedelta(minutes=self.rng.randint(2, 9))
            if at < floor or _local_day(at) != day:
                return None
        return at

    def days(self, ticket: Ticket, first: datetime.date, last: datetime.date) -> list:
        first = max(first, _local_day(ticket.created_at))
        last = min(last, self.months.today)
        days = []
        day = first
        while day <= last:
            if _is_workday(day):
                days.append(day)
            day += datetime.timedelta(days=1)
        return days

    def book(
        self,
        ticket: Ticket,
        person: User,
        day: datetime.date,
        minutes: int,
        activity: str,
        *,
        key: str | None = None,
        text: str | None = None,
        at: datetime.datetime | None = None,
    ) -> bool:
        at = at or self.slot(ticket, day)
        if at is None:
            return False
        self.load[(person.pk, day)] = self.load.get((person.pk, day), 0) + minutes
        service = self.demo.service_types[activity]
        text = text or self.rng.choice(TEXTS[activity])
        internal = self.rng.choice(INTERNAL_TEXTS) if self.rng.random() < 0.15 else ""

        def run():
            booking = booking_create(
                acting_user=person,
                ticket=ticket,
                day=day,
                minutes=minutes,
                activity=service,
                text=text,
                internal_text=internal,
                now=at,
            )
            if key:
                self.bookings[key] = booking

        self.add(at, run)
        return True

    def spread(
        self,
        ticket: Ticket,
        minutes: int,
        first: datetime.date,
        last: datetime.date,
        activities: tuple[str, ...],
        people: list[User],
    ) -> int:
        """Book ``minutes`` (a multiple of 15) over the working days from ``first`` to
        ``last``; returns what did not fit."""
        days = self.days(ticket, first, last)
        rng = self.rng
        attempts = 0
        while minutes > 0 and days and attempts < 200:
            attempts += 1
            day = rng.choice(days)
            person = rng.choice(people)
            room = DAY_CAP - self.load.get((person.pk, day), 0)
            chunk = min(minutes, rng.choice(DURATIONS), room - room % 15)
            if chunk < 15:
                continue
            if self.book(ticket, person, day, chunk, rng.choice(activities)):
                minutes -= chunk
        return minutes

    def replay(self) -> None:
        for item in sorted(self.items, key=lambda item: (item.at, item.seq)):
            item.run()


# --- who worked on a ticket, and on what --------------------------------------------------------


def _workers(tickets: list[Ticket]) -> dict[int, list[User]]:
    """The vendor staff who acted on each ticket (checks, hand-overs, solutions, comments)."""
    events = (
        TicketEvent.objects.filter(
            ticket__in=tickets, author__organisation__kind=OrganisationKind.VENDOR
        )
        .select_related("author")
        .order_by("ticket_id", "created_at", "id")
    )
    workers: dict[int, list[User]] = {}
    for event in events:
        people = workers.setdefault(event.ticket_id, [])
        if event.author not in people:
            people.append(event.author)
    return workers


def _activities(ticket: Ticket) -> tuple[str, ...]:
    coverage = ticket.coverage
    if coverage in COVERED or coverage == Coverage.CHANGE_REQUEST:
        return ("analyse",)
    if coverage in (Coverage.CONFIGURATION, Coverage.CUSTOMIZING_ERROR):
        return ("konfiguration", "analyse")
    if coverage == Coverage.HOWTO:
        return ("howto",)
    if ticket.order is not None and ticket.order.kind == "engagement":
        return ("datenmigration", "analyse")
    return ("analyse", "analyse", "howto", "konfiguration")


def _end(ticket: Ticket, last_event: dict[int, datetime.datetime], today) -> datetime.date:
    """The last day effort is booked on ``ticket``: when it ended, or today."""
    if ticket.phase in (Phase.CLOSED, Phase.REJECTED):
        return _local_day(last_event[ticket.pk])
    return today


# --- the section ---------------------------------------------------------------------------------


def demo_efforts(demo: Demo) -> None:
    """Book three months of effort and play the queries, raises and invoice runs."""
    rng = random.Random(SEED + 1)  # noqa: S311 - demo data, deterministic on purpose
    now = timezone.now()
    months = Months(today=timezone.localdate(now), now=now)
    plan = Plan(demo, months, rng)
    people = demo.people
    history = demo.tickets
    tickets = list(Ticket.objects.select_related("order", "contract").order_by("created_at", "id"))
    workers = _workers(tickets)
    last_event = {
        t.pk: t.events.order_by("-created_at").values_list("created_at", flat=True).first()
        for t in tickets
        if t.phase in (Phase.CLOSED, Phase.REJECTED)
    }
    m2, m1, m0, today = months.before_last, months.previous, months.current, months.today

    # The older tickets, month before last: free, partnership and not covered (partner and
    # customer) — the two invoices that get issued — and the leads' free hours.
    team_mitte = [people["lukas"], people["marco"], people["daniel"]]
    h = history
    plan.spread(
        h["covered"], 420, m2, _end(h["covered"], last_event, today), ("analyse",), team_mitte
    )
    plan.spread(
        h["customizing"],
        300,
        m2,
        _end(h["customizing"], last_event, today),
        ("analyse", "konfiguration"),
        [people["marco"]],
    )
    plan.spread(
        h["spital"], 240, m2, _end(h["spital"], last_event, today), ("howto",), [people["lukas"]]
    )
    _schulung(plan, h["schulung"], months)
    _lead_limmat(plan, h["lead-limmat"], months)

    # The Léman lead: about 84 % of its 16 free hours, with an analysis it does not pay for.
    leman_order = demo.orders["lead-leman"]
    leman_team = [people["sophie"], people["reto"], people["laura"]]
    left = plan.spread(
        h["lead-leman"],
        420,
        m2,
        _end(h["lead-leman"], last_event, today),
        ("analyse", "schulung"),
        leman_team,
    )
    leman_open = [
        t
        for t in tickets
        if t.order_id == leman_order.pk
        and t.pk != h["lead-leman"].pk
        and t.coverage == ""
        and t.phase != Phase.NEW
    ]
    free_left = left + 390
    for index, ticket in enumerate(leman_open):
        share = free_left if index == len(leman_open) - 1 else (free_left // 2) // 15 * 15
        free_left -= share - plan.spread(
            ticket, share, m1, today, ("analyse", "schulung"), workers.get(ticket.pk) or leman_team
        )
    if leman_open:
        ticket = leman_open[-1]
        day = plan.days(ticket, m0, today)
        if day:
            plan.book(ticket, people["sophie"], day[-1], 90, "konfiguration")

    # The Aarwil migration engagement: half its capacity, over its tickets by plan.
    engagement = demo.orders["engagement-alpenblick"]
    _engagement(plan, engagement, tickets, workers, last_event, months)

    # Every other ticket the vendor worked on: a few bookings each by the people who did.
    special = {t.pk for t in history.values()}
    for ticket in tickets:
        if ticket.pk in special or ticket.phase == Phase.NEW:
            continue
        if ticket.order_id in (leman_order.pk, engagement.pk):
            continue
        # The month before last is invoiced and issued for two parties only: older story
        # tickets carry only free effort there.
        first = m2 if ticket.coverage in COVERED else m1
        end = _end(ticket, last_event, today)
        who = workers.get(ticket.pk) or team_mitte
        for _ in range(rng.randint(1, 3)):
            plan.spread(
                ticket, rng.choice((30, 45, 60, 90, 120, 180)), first, end, _activities(ticket), who
            )

    _money(plan, months)
    with notifications.muted():
        plan.replay()
        _ensure_current_month(plan, tickets, workers)


def _schulung(plan: Plan, ticket: Ticket, months: Months) -> None:
    """A partnership training in two parts (the longer part is queried and corrected) and a
    follow-up; billed to the partner."""
    lukas = plan.demo.people["lukas"]
    days = plan.days(ticket, months.before_last, months.previous - datetime.timedelta(days=1))
    first, second = days[len(days) // 3], days[2 * len(days) // 3]
    plan.book(
        ticket,
        lukas,
        first,
        240,
        "schulung",
        key="schulung-1",
        text="Schulung Teil 1: Online-Schalter und Geschäftskontrolle (vor Ort in Aarwil)",
    )
    plan.book(
        ticket,
        lukas,
        first,
        60,
        "konfiguration",
        text="Schulungsmandant vorbereitet, Testfälle erfasst",
    )
    plan.book(
        ticket,
        lukas,
        second,
        180,
        "schulung",
        text="Schulung Teil 2: Spezialfälle Zuzug und Wegzug (online)",
    )
    follow = _workday(months.previous, 2)
    plan.book(
        ticket,
        lukas,
        follow,
        60,
        "howto",
        text="Nachfragen aus der Schulung beantwortet, Merkblatt ergänzt",
    )


def _lead_limmat(plan: Plan, ticket: Ticket, months: Months) -> None:
    """The Limmat lead: its free hours run out in the previous month, sales raises the
    approval, and the analysis goes beyond it; a training is not a free service."""
    demo, people = plan.demo, plan.demo.people
    team = [people["lukas"], people["nicole"], people["marco"]]
    free = ("analyse", "konfiguration")
    m2, m1 = months.before_last, months.previous
    plan.spread(ticket, 600, m2, m1 - datetime.timedelta(days=1), free, team)
    raise_day = _workday(m1, 8)
    plan.spread(ticket, 1020, m1, raise_day - datetime.timedelta(days=1), free, team)
    order = demo.orders["lead-limmat"]
    plan.add(
        _at(raise_day, 9, 30),
        lambda: lead_order_raise_approval(
            acting_user=people["thomas"],
            order=order,
            approved_free_hours=Decimal("32"),
            reason="Stadtwerke verlangen eine zweite Variante mit Anbindung des "
            "Netzbetreibers; Abschluss wahrscheinlich, daher 8 Stunden zusätzlich bewilligt.",
            now=_at(raise_day, 9, 30),
        ),
    )
    end = _workday(m1, 14)
    plan.spread(ticket, 600, raise_day, end, free, team)
    plan.book(
        ticket,
        people["lukas"],
        _workday(m1, 11),
        180,
        "schulung",
        key="lead-schulung",
        text="Einführung Bestellstrecke für das Verkaufsteam der Stadtwerke",
    )


def _engagement(plan: Plan, order, tickets, workers, last_event, months: Months) -> None:
    """Book about half the engagement's capacity, by plan, mostly by its dedicated staff."""
    people = plan.demo.people
    dedicated = list(order.dedicated_staff.all()) or [people["daniel"]]
    mine = [t for t in tickets if t.order_id == order.pk and t.phase != Phase.NEW]
    target = int(order.capacity_hours * 60 / 2)
    planned = sum(t.planned_minutes or 0 for t in mine) or 1
    # The long work packages last, so they take what the short tickets cannot.
    mine.sort(key=lambda t: (t.planned_minutes or 0, t.pk))
    left = target
    for index, ticket in enumerate(mine):
        share = (
            left
            if index == len(mine) - 1
            else min(left, (target * (ticket.planned_minutes or 0) // planned) // 15 * 15)
        )
        who = dedicated * 4 + [p for p in workers.get(ticket.pk, []) if p not in dedicated]
        first = max(order.starts_on, months.previous)
        end = _end(ticket, last_event, months.today)
        left -= share - plan.spread(
            ticket, share, first, end, ("datenmigration", "datenmigration", "analyse"), who
        )


def _money(plan: Plan, months: Months) -> None:
    """Invoice runs, issues and queries, each at its moment."""
    people = plan.demo.people
    nicole = people["nicole"]
    m1, m0 = months.previous, months.current
    run_m2 = _at(_workday(m1), 8, 15)

    def run_and_issue():
        invoice_run(acting_user=nicole, month=months.before_last, now=run_m2)
        for minute, invoice in enumerate(
            Invoice.objects.filter(month=months.before_last, status=InvoiceStatus.DRAFT).order_by(
                "party__name"
            )
        ):
            invoice_issue(
                acting_user=nicole,
                invoice=invoice,
                version=invoice.version,
                now=_at(_workday(m1), 10, 5 * minute),
            )

    plan.add(run_m2, run_and_issue)

    # The partner checks the issued invoice and queries the training; it is corrected, and the
    # credit goes on the next run.
    opened_at, resolved_at = _at(_workday(m1, 3), 10, 20), _at(_workday(m1, 5), 14, 0)
    queries = {}

    def open_schulung():
        queries["schulung"] = booking_query_open(
            acting_user=people["alpenblick-employee-1"],
            booking=plan.bookings["schulung-1"],
            reason="Gemäss Teilnehmerliste dauerte Teil 1 der Schulung drei Stunden, nicht "
            "vier. Bitte korrigieren.",
            now=opened_at,
        )

    def resolve_schulung():
        booking_query_resolve(
            acting_user=nicole,
            query=queries["schulung"],
            outcome=QueryStatus.CORRECTED,
            reason="Teilnehmerliste geprüft: Die Schulung dauerte drei Stunden. Die Gutschrift "
            "von einer Stunde folgt auf der nächsten Rechnung.",
            corrected_minutes=180,
            now=resolved_at,
        )

    plan.add(opened_at, open_schulung)
    plan.add(resolved_at, resolve_schulung)

    # Limmat asks why the training on its lead is billed; it stands.
    lead_opened, lead_resolved = _at(_workday(m1, 13), 9, 40), _at(_workday(m1, 14), 11, 10)

    def open_lead():
        queries["lead"] = booking_query_open(
            acting_user=people["limmat-coordinator"],
            booking=plan.bookings["lead-schulung"],
            reason="Warum wird diese Einführung verrechnet? Der Lead-Auftrag hat doch noch "
            "Gratisstunden.",
            now=lead_opened,
        )

    def resolve_lead():
        booking_query_resolve(
            acting_user=nicole,
            query=queries["lead"],
            outcome=QueryStatus.ACCEPTED,
            reason="Schulungen gehören nicht zu den kostenlosen Leistungen dieses Lead-Auftrags "
            "(nur Analyse und Konfigurationsberatung). Der Aufwand bleibt verrechnet.",
            now=lead_resolved,
        )

    plan.add(lead_opened, open_lead)
    plan.add(lead_resolved, resolve_lead)

    # The previous month is run at the start of this one and waits as drafts for review.
    run_m1 = min(_at(_workday(m0), 8, 15), months.now - datetime.timedelta(minutes=3))
    plan.add(run_m1, lambda: invoice_run(acting_user=nicole, month=m1, now=run_m1))

    # And one query is still open: a partner's coordinator disputes a long booking billed to
    # the partner in the previous month (or this one).
    def open_query():
        candidates = (
            Booking.objects.filter(
                billing="partner",
                kind="work",
                day__gte=m1,
                minutes__gte=60,
                queries__isnull=True,
                ticket__partner__isnull=False,
            )
            .exclude(invoice_line__invoice__status=InvoiceStatus.ISSUED)
            .select_related("ticket__partner__coordinator")
            .order_by("-minutes", "day", "id")
        )
        booking = (
            candidates.filter(ticket__partner__short_name="alpenblick").first()
            or candidates.first()
        )
        at = max(booking.created_at, run_m1) + datetime.timedelta(minutes=5)
        booking_query_open(
            acting_user=booking.ticket.partner.coordinator,
            booking=booking,
            reason="Dieser Aufwand scheint uns für die Abklärung zu hoch. Bitte um eine "
            "Aufschlüsselung, bevor wir ihn an den Kunden weiterverrechnen.",
            now=max(min(at, months.now - datetime.timedelta(minutes=1)), booking.created_at),
        )

    plan.add(run_m1 + datetime.timedelta(minutes=1), open_query)


def _ensure_current_month(plan: Plan, tickets, workers) -> None:
    """On the first days of a month (or over its first weekend) nothing may have been booked
    yet: the on-call agent books a little on the newest open ticket today."""
    months = plan.months
    if Booking.objects.filter(day__gte=months.current).exists():
        return
    midnight = datetime.datetime.combine(months.today, datetime.time(0, 1), ZURICH)
    candidates = [
        t
        for t in tickets
        if t.phase not in (Phase.NEW, Phase.CLOSED, Phase.REJECTED)
        and t.created_at < months.now - datetime.timedelta(minutes=30)
    ]
    ticket = candidates[-1]
    at = max(months.now - datetime.timedelta(minutes=10), midnight, ticket.created_at)
    person = (workers.get(ticket.pk) or [plan.demo.people["lukas"]])[0]
    booking_create(
        acting_user=person,
        ticket=ticket,
        day=months.today,
        minutes=30,
        activity=plan.demo.service_types["analyse"],
        text="Pikett: Rückmeldung des Partners geprüft und nächste Schritte festgehalten",
        now=at,
    )
