"""Effort pages: my week, bookings on the ticket page, bookings per partner and month, queries
and the budgets on the order page; who sees what, the refusals, and how many queries it takes."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerdesk.billing.actions import invoice_issue, invoice_run
from partnerdesk.contracts.models import ServiceType
from partnerdesk.efforts import actions
from partnerdesk.efforts.models import Booking, BookingKind, BookingQuery, QueryStatus
from partnerdesk.tickets import actions as ticket_actions
from tests.tickets_helpers import check_ticket, file_ticket

pytestmark = pytest.mark.django_db
WEEK = reverse("efforts:week")
LIST = reverse("efforts:booking_list")
QUERIES = reverse("efforts:query_list")
CREATE = reverse("efforts:booking_create")


def today() -> datetime.date:
    return timezone.localdate()


def iso_week(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def analysis() -> ServiceType:
    return ServiceType.objects.get(code="analyse")


def book(world, ticket, *, by=None, day=None, minutes=90, text="Logs analysiert", internal=""):
    return actions.booking_create(
        acting_user=by or world.cs_agent,
        ticket=ticket,
        day=day or today(),
        minutes=minutes,
        activity=analysis(),
        text=text,
        internal_text=internal,
    )


def body(response) -> str:
    return response.content.decode()


def bookings_section(response) -> str:
    return body(response).split('data-testid="bookings"')[1].split('id="journal"')[0]


def ticket_url(ticket) -> str:
    return reverse("tickets:ticket_detail", args=[ticket.number])


def locked_booking(world):
    """A booking on an issued invoice of last month."""
    ticket = check_ticket(world, file_ticket(world))
    last_month = today().replace(day=1) - datetime.timedelta(days=1)
    booking = book(world, ticket, day=last_month)
    (invoice,) = invoice_run(acting_user=world.cs_responsible, month=last_month)
    invoice = invoice_issue(
        acting_user=world.cs_responsible, invoice=invoice, version=invoice.version
    )
    booking.refresh_from_db()
    return booking, invoice


# ---- anonymous ----------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_the_login(client, world):
    ticket = file_ticket(world)
    booking = book(world, ticket)
    query = actions.booking_query_open(acting_user=world.employee, booking=booking, reason="?")
    for url in (WEEK, LIST, QUERIES, reverse("efforts:booking_edit", args=[booking.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{reverse('accounts:login')}?next=")
    posts = [
        (CREATE, {"book-ticket": ticket.number}),
        (reverse("efforts:ticket_book", args=[ticket.number]), {"book-duration": "1:00"}),
        (reverse("efforts:booking_delete", args=[booking.pk]), {"version": booking.version}),
        (reverse("efforts:booking_query", args=[booking.pk]), {f"q{booking.pk}-reason": "x"}),
        (reverse("efforts:query_resolve", args=[query.pk]), {}),
        (reverse("efforts:order_raise_approval", args=[world.lead_order.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 302
    assert Booking.objects.count() == 1
    assert BookingQuery.objects.get().status == QueryStatus.OPEN


# ---- my week ------------------------------------------------------------------------------


def test_it_shows_my_week_grouped_by_day_with_totals(client_for, world):
    ticket = check_ticket(world, file_ticket(world))
    monday = today() - datetime.timedelta(days=today().weekday())
    book(world, ticket, day=monday, minutes=90, text="Montag A")
    book(world, ticket, day=monday, minutes=45, text="Montag B", internal="nur wir")
    book(world, ticket, by=world.expert, day=monday, minutes=300, text="ZZ-Fremd-Text")
    book(world, ticket, day=monday - datetime.timedelta(days=7), minutes=60, text="YY-Alt-Text")
    page = body(client_for(world.cs_agent).get(WEEK))
    assert "Montag A" in page and "Montag B" in page and "nur wir" in page
    assert "ZZ-Fremd-Text" not in page and "YY-Alt-Text" not in page
    assert re.search(r'data-testid="week-total">2:15<', page)
    assert re.search(rf'data-day="{monday:%Y-%m-%d}".*?data-testid="day-total">2:15 h<', page, re.S)
    assert f"?week={iso_week(monday - datetime.timedelta(days=7))}" in page
    previous = body(
        client_for(world.cs_agent).get(
            WEEK, {"week": iso_week(monday - datetime.timedelta(days=7))}
        )
    )
    assert "YY-Alt-Text" in previous and "Montag A" not in previous
    assert "Montag A" in body(client_for(world.cs_agent).get(WEEK, {"week": "junk"}))


@pytest.mark.parametrize(
    "persona", ["coordinator", "employee", "customer_contact", "outsider_partner"]
)
def test_it_keeps_my_week_to_vendor_staff(client_for, world, persona):
    assert client_for(world.persona(persona)).get(WEEK).status_code == 404


def test_it_books_effort_from_the_quick_form(client_for, world):
    ticket = check_ticket(world, file_ticket(world))
    client = client_for(world.cs_agent)
    response = client.post(
        CREATE,
        {
            "book-ticket": ticket.number,
            "book-day": today().isoformat(),
            "book-duration": "1.5h",
            "book-activity": analysis().pk,
            "book-text": "Export analysiert",
            "book-internal_text": "Kunde ungeduldig",
        },
    )
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.person, booking.minutes, booking.text, booking.internal_text) == (
        world.cs_agent,
        90,
        "Export analysiert",
        "Kunde ungeduldig",
    )
    assert booking.billing == "partner" and booking.amount == Decimal("240.00")
    assert "1:30 h auf" in body(client.get(response["Location"]))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("book-duration", "abc", "Dauer als 1:30, 1.5h oder Minuten (90) angeben."),
        ("book-duration", "25:00", "Höchstens 24 Stunden pro Buchung."),
        ("book-day", "FUTURE", "Aufwand kann nicht in der Zukunft gebucht werden."),
        ("book-ticket", "T-1999-99999", "Kein Ticket mit dieser Nummer."),
    ],
)
def test_it_refuses_a_bad_quick_booking_and_keeps_the_input(
    client_for, world, field, value, message
):
    ticket = check_ticket(world, file_ticket(world))
    data = {
        "book-ticket": ticket.number,
        "book-day": today().isoformat(),
        "book-duration": "1:30",
        "book-activity": analysis().pk,
        "book-text": "Mein Text bleibt",
    }
    data[field] = (today() + datetime.timedelta(days=1)).isoformat() if value == "FUTURE" else value
    response = client_for(world.cs_agent).post(CREATE, data)
    assert response.status_code == 400
    page = body(response)
    assert message in page
    assert "Mein Text bleibt" in page
    assert not Booking.objects.exists()


def test_it_does_not_book_on_an_outsiders_ticket_by_number_for_partners(client_for, world):
    ticket = check_ticket(world, file_ticket(world))
    response = client_for(world.employee).post(CREATE, {"book-ticket": ticket.number})
    assert response.status_code == 404


def test_it_corrects_a_booking_inline(client_for, world):
    ticket = check_ticket(world, file_ticket(world))
    booking = book(world, ticket, minutes=60)
    client = client_for(world.cs_agent)
    url = reverse("efforts:booking_edit", args=[booking.pk])
    partial = client.get(url, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in body(partial) and 'value="1:00"' in body(partial)
    response = client.post(
        url,
        {
            "edit-version": booking.version,
            "edit-day": booking.day.isoformat(),
            "edit-duration": "1:45",
            "edit-activity": analysis().pk,
            "edit-text": "genauer",
        },
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.minutes, booking.text, booking.version) == (105, "genauer", 2)


def test_it_refuses_a_stale_correction_and_keeps_the_input(client_for, world):
    ticket = check_ticket(world, file_ticket(world))
    booking = book(world, ticket, minutes=60)
    url = reverse("efforts:booking_edit", args=[booking.pk])
    data = {
        "edit-version": booking.version,
        "edit-day": booking.day.isoformat(),
        "edit-duration": "2:00",
        "edit-activity": analysis().pk,
        "edit-text": "meine Eingabe",
    }
    actions.booking_update(
        acting_user=world.cs_agent,
        booking=booking,
        version=1,
        day=booking.day,
        minutes=30,
        activity=analysis(),
    )
    response = client_for(world.cs_agent).post(url, data)
    assert response.status_code == 409
    assert "inzwischen geändert" in body(response) and "meine Eingabe" in body(response)
    booking.refresh_from_db()
    assert booking.minutes == 30


def test_it_refuses_to_edit_or_delete_a_locked_booking(client_for, world):
    booking, invoice = locked_booking(world)
    client = client_for(world.cs_agent)
    response = client.post(
        reverse("efforts:booking_edit", args=[booking.pk]),
        {
            "edit-version": booking.version,
            "edit-day": booking.day.isoformat(),
            "edit-duration": "0:30",
            "edit-activity": analysis().pk,
        },
    )
    assert response.status_code == 422
    assert f"Rechnung {invoice.number}" in body(response) and "gesperrt" in body(response)
    response = client.post(
        reverse("efforts:booking_delete", args=[booking.pk]),
        {"version": booking.version},
        follow=True,
    )
    assert "gesperrt" in body(response)
    booking.refresh_from_db()
    assert booking.minutes == 90 and booking.cancelled_at is None
    week = body(client.get(WEEK, {"week": iso_week(booking.day)}))
    assert f"verrechnet {invoice.number}" in week
    assert reverse("efforts:booking_delete", args=[booking.pk]) not in week


def test_it_deletes_an_open_booking(client_for, world):
    ticket = check_ticket(world, file_ticket(world))
    booking = book(world, ticket)
    client = client_for(world.cs_agent)
    response = client.post(reverse("efforts:booking_delete", args=[booking.pk]), {"version": 1})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.cancelled_at is not None
    assert "Logs analysiert" not in body(client.get(WEEK))


def test_it_refuses_to_edit_someone_elses_booking(client_for, world):
    ticket = check_ticket(world, file_ticket(world))
    booking = book(world, ticket, by=world.expert)
    response = client_for(world.cs_agent).post(
        reverse("efforts:booking_edit", args=[booking.pk]),
        {
            "edit-version": 1,
            "edit-day": booking.day.isoformat(),
            "edit-duration": "0:30",
            "edit-activity": analysis().pk,
        },
    )
    assert response.status_code == 403
    assert "nur Ihre eigenen Buchungen" in body(response)


@pytest.mark.parametrize("persona", ["employee", "outsider_partner", "customer_contact"])
def test_it_hides_the_booking_editor_from_non_vendor_people(client_for, world, persona):
    booking = book(world, check_ticket(world, file_ticket(world)))
    client = client_for(world.persona(persona))
    assert client.get(reverse("efforts:booking_edit", args=[booking.pk])).status_code == 404
    assert (
        client.post(
            reverse("efforts:booking_delete", args=[booking.pk]), {"version": 1}
        ).status_code
        == 404
    )


def test_it_shows_my_week_in_a_fixed_number_of_queries(
    client_for, world, django_assert_num_queries
):
    ticket = check_ticket(world, file_ticket(world))
    for index in range(12):
        book(world, ticket, day=today() - datetime.timedelta(days=index % 7), minutes=30 + index)
    client = client_for(world.cs_agent)
    # session, person, organisation, roles (navigation), bookings, service types
    with django_assert_num_queries(6):
        assert client.get(WEEK).status_code == 200


# ---- the ticket page ----------------------------------------------------------------------


def test_it_shows_bookings_on_the_ticket_with_internal_text_only_for_the_vendor(client_for, world):
    ticket = check_ticket(world, file_ticket(world))
    book(world, ticket, text="Sichtbar für alle", internal="Geheime Notiz")
    vendor = body(client_for(world.cs_agent).get(ticket_url(ticket)))
    assert "Sichtbar für alle" in vendor and "Geheime Notiz" in vendor
    assert "an Partner" in vendor and "240.00" in vendor
    assert 'data-testid="book-form"' in vendor
    partner = body(client_for(world.employee).get(ticket_url(ticket)))
    assert "Sichtbar für alle" in partner and "Geheime Notiz" not in partner
    assert 'data-testid="book-form"' not in partner
    assert 'data-testid="query-form"' in partner
    # billed to the partner: the customer does not see it
    customer = bookings_section(client_for(world.customer_contact).get(ticket_url(ticket)))
    assert "Sichtbar für alle" not in customer and "Noch kein Aufwand gebucht." in customer


def test_it_shows_a_customer_the_bookings_billed_to_it(client_for, world):
    ticket = check_ticket(world, file_ticket(world, by=world.customer_contact))
    book(world, ticket, text="Direkt verrechnet", internal="intern!")
    page = body(client_for(world.customer_contact).get(ticket_url(ticket)))
    assert "Direkt verrechnet" in page and "an Kunde" in page and "255.00" in page
    assert "intern!" not in page and 'data-testid="query-form"' not in page


def test_it_books_effort_on_the_ticket_page(client_for, world):
    ticket = check_ticket(world, file_ticket(world))
    client = client_for(world.cs_agent)
    url = reverse("efforts:ticket_book", args=[ticket.number])
    response = client.post(
        url,
        {
            "book-day": today().isoformat(),
            "book-duration": "45",
            "book-activity": analysis().pk,
            "book-text": "Telefon mit Partner",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#bookings")
    assert Booking.objects.get().minutes == 45
    response = client.post(
        url, {"book-day": today().isoformat(), "book-duration": "abc", "book-text": "bleibt"}
    )
    assert response.status_code == 400
    page = body(response)
    assert (
        "Dauer als 1:30" in page
        and "bleibt" in page
        and '<details class="book-box" id="book" open>' in page
    )
    assert Booking.objects.count() == 1


def test_it_lets_only_vendor_staff_book_on_the_ticket_page(client_for, world):
    ticket = check_ticket(world, file_ticket(world))
    url = reverse("efforts:ticket_book", args=[ticket.number])
    data = {
        "book-day": today().isoformat(),
        "book-duration": "1:00",
        "book-activity": analysis().pk,
    }
    assert client_for(world.employee).post(url, data).status_code == 403
    assert client_for(world.outsider_partner).post(url, data).status_code == 404
    assert not Booking.objects.exists()


def test_it_lets_the_partner_query_a_booking_once(client_for, world):
    ticket = check_ticket(world, file_ticket(world))
    booking = book(world, ticket)
    client = client_for(world.employee)
    url = reverse("efforts:booking_query", args=[booking.pk])
    response = client.post(url, {f"q{booking.pk}-reason": "Das war nur eine kurze Frage."})
    assert response.status_code == 302
    query = BookingQuery.objects.get()
    assert (query.raised_by, query.status) == (world.employee, QueryStatus.OPEN)
    page = body(client.get(ticket_url(ticket)))
    assert "beanstandet" in page and "Das war nur eine kurze Frage." in page
    assert 'data-testid="query-form"' not in page
    response = client_for(world.coordinator).post(url, {f"q{booking.pk}-reason": "Nochmals"})
    assert response.status_code == 422
    assert "bereits eine Rückfrage offen" in body(response) and "Nochmals" in body(response)
    assert BookingQuery.objects.count() == 1


def test_it_refuses_a_query_without_reason_and_from_outsiders(client_for, world):
    booking = book(world, check_ticket(world, file_ticket(world)))
    url = reverse("efforts:booking_query", args=[booking.pk])
    assert client_for(world.employee).post(url, {f"q{booking.pk}-reason": ""}).status_code == 400
    assert (
        client_for(world.outsider_partner).post(url, {f"q{booking.pk}-reason": "x"}).status_code
        == 404
    )
    assert (
        client_for(world.customer_contact).post(url, {f"q{booking.pk}-reason": "x"}).status_code
        == 404
    )
    assert client_for(world.cs_agent).post(url, {f"q{booking.pk}-reason": "x"}).status_code == 403
    assert not BookingQuery.objects.exists()


@pytest.mark.parametrize(("persona", "queries"), [("cs_agent", 11), ("employee", 8)])
def test_it_shows_the_ticket_bookings_in_a_fixed_number_of_queries(
    client_for, world, django_assert_num_queries, persona, queries
):
    ticket = check_ticket(world, file_ticket(world))
    booking, _invoice = locked_booking(world)
    ticket = booking.ticket
    for index in range(6):
        booking = book(world, ticket, minutes=30 + index)
        if index % 2:
            actions.booking_query_open(acting_user=world.employee, booking=booking, reason="?")
    client = client_for(world.persona(persona))
    # the ticket page's queries + bookings, their queries (+ service types for vendor staff)
    with django_assert_num_queries(queries):
        assert client.get(ticket_url(ticket)).status_code == 200


# ---- bookings per partner and month -------------------------------------------------------


def test_it_lists_a_partners_bookings_of_a_month_with_totals(client_for, world):
    ticket = check_ticket(world, file_ticket(world))
    book(world, ticket, minutes=90, text="Diesen Monat", internal="intern X")
    other = check_ticket(
        world,
        file_ticket(
            world,
            by=world.outsider_partner,
            customer=world.other_customer,
            order=world.other_partnership_order,
            title="Fremd",
        ),
    )
    book(world, other, minutes=60, text="Anderer Partner")
    month = f"{today():%Y-%m}"
    vendor = body(
        client_for(world.cs_agent).get(LIST, {"partner": world.partner.pk, "month": month})
    )
    assert "Diesen Monat" in vendor and "intern X" in vendor and "Anderer Partner" not in vendor
    assert re.search(r'data-testid="total-amount"><small>CHF</small> 240.00<', vendor)
    both = body(client_for(world.cs_agent).get(LIST, {"month": month}))
    assert "Diesen Monat" in both and "Anderer Partner" in both
    partner = body(
        client_for(world.employee).get(LIST, {"partner": world.other_partner.pk, "month": month})
    )
    assert (
        "Diesen Monat" in partner and "Anderer Partner" not in partner and "intern X" not in partner
    )
    outsider = body(
        client_for(world.outsider_partner).get(LIST, {"partner": world.partner.pk, "month": month})
    )
    assert "Diesen Monat" not in outsider and "Anderer Partner" in outsider
    empty = body(client_for(world.cs_agent).get(LIST, {"month": "2020-01"}))
    assert "kein Aufwand gebucht" in empty


@pytest.mark.parametrize(("persona", "queries"), [("cs_agent", 9), ("employee", 8)])
def test_it_lists_bookings_in_a_fixed_number_of_queries(
    client_for, world, django_assert_num_queries, persona, queries
):
    for index in range(4):
        ticket = check_ticket(world, file_ticket(world, title=f"T{index}"))
        for minutes in (30, 45, 60):
            booking = book(world, ticket, minutes=minutes + index)
        actions.booking_query_open(acting_user=world.employee, booking=booking, reason="?")
    client = client_for(world.persona(persona))
    # session, person, organisation, roles, (partners), totals, count, page, open queries
    with django_assert_num_queries(queries):
        assert client.get(LIST, {"month": f"{today():%Y-%m}"}).status_code == 200


# ---- queries ------------------------------------------------------------------------------


def open_query(world, *, reason="Zu lange für eine Auskunft"):
    booking = book(world, check_ticket(world, file_ticket(world)), minutes=120)
    return actions.booking_query_open(acting_user=world.employee, booking=booking, reason=reason)


def test_it_lists_open_queries_for_the_cs_responsible_and_resolves_one_corrected(client_for, world):
    query = open_query(world)
    client = client_for(world.cs_responsible)
    page = body(client.get(QUERIES))
    assert "Zu lange für eine Auskunft" in page and 'data-testid="resolve-form"' in page
    response = client.post(
        reverse("efforts:query_resolve", args=[query.pk]),
        {
            f"r{query.pk}-outcome": "corrected",
            f"r{query.pk}-corrected_minutes": "0:45",
            f"r{query.pk}-reason": "Stimmt, nur 45 Minuten.",
        },
    )
    assert response.status_code == 302
    query.refresh_from_db()
    assert query.status == QueryStatus.CORRECTED and query.corrected_minutes == 45
    correction = Booking.objects.get(kind=BookingKind.CORRECTION)
    assert correction.minutes == -75 and correction.corrects == query.booking
    assert query.booking.minutes == 120  # never edited in place
    partner = body(client_for(world.employee).get(QUERIES, {"state": "resolved"}))
    assert (
        "korrigiert" in partner
        and "Stimmt, nur 45 Minuten." in partner
        and "resolve-form" not in partner
    )


def test_it_keeps_the_input_when_a_resolution_is_incomplete(client_for, world):
    query = open_query(world)
    response = client_for(world.cs_responsible).post(
        reverse("efforts:query_resolve", args=[query.pk]),
        {f"r{query.pk}-outcome": "corrected", f"r{query.pk}-reason": "meine Begründung"},
    )
    assert response.status_code == 400
    assert "Bitte die korrigierte Dauer angeben." in body(response) and "meine Begründung" in body(
        response
    )
    query.refresh_from_db()
    assert query.status == QueryStatus.OPEN


def test_it_refuses_resolving_by_the_partner_and_resolving_twice(client_for, world):
    query = open_query(world)
    url = reverse("efforts:query_resolve", args=[query.pk])
    data = {f"r{query.pk}-outcome": "accepted", f"r{query.pk}-reason": "passt"}
    response = client_for(world.coordinator).post(url, data)
    assert response.status_code == 403 and "CS-Verantwortliche" in body(response)
    assert client_for(world.outsider_partner).post(url, data).status_code == 404
    assert client_for(world.cs_agent).post(url, data).status_code == 403
    assert client_for(world.cs_responsible).post(url, data).status_code == 302
    response = client_for(world.admin).post(url, data)
    assert response.status_code == 422 and "bereits entschieden" in body(response)


def test_it_hides_queries_from_other_partners(client_for, world):
    open_query(world)
    assert "Zu lange" not in body(client_for(world.outsider_partner).get(QUERIES))
    assert "Zu lange" in body(client_for(world.employee).get(QUERIES))


def test_it_lists_queries_in_a_fixed_number_of_queries(
    client_for, world, django_assert_num_queries
):
    for index in range(5):
        open_query(world, reason=f"Grund {index}")
    client = client_for(world.cs_responsible)
    # session, person, organisation, roles (navigation), open count, page count, page
    with django_assert_num_queries(7):
        assert client.get(QUERIES).status_code == 200


# ---- budgets on the order page ------------------------------------------------------------


def test_it_shows_the_lead_budget_and_lets_sales_raise_it(client_for, world):
    ticket = check_ticket(world, file_ticket(world, order=world.lead_order))
    book(world, ticket, minutes=17 * 60)
    url = reverse("contracts:order_detail", args=[world.lead_order.pk])
    page = body(client_for(world.employee).get(url))
    assert re.search(r'data-testid="approved">20<', page)
    assert re.search(r'data-testid="used">17<', page) and re.search(
        r'data-testid="remaining">3<', page
    )
    assert "über 80 %" in page and "raise-form" not in page
    client = client_for(world.sales)
    assert 'data-testid="raise-form"' in body(client.get(url))
    raise_url = reverse("efforts:order_raise_approval", args=[world.lead_order.pk])
    response = client.post(
        raise_url, {"raise-approved_free_hours": "10", "raise-reason": "weniger"}
    )
    assert response.status_code == 400 and "höher sein als die bisherige" in body(response)
    response = client.post(
        raise_url, {"raise-approved_free_hours": "30", "raise-reason": "Pilot verlängert"}
    )
    assert response.status_code == 302
    world.lead_order.refresh_from_db()
    assert world.lead_order.approved_free_hours == Decimal("30")
    page = body(client.get(url))
    assert "Pilot verlängert" in page and re.search(r'data-testid="remaining">13<', page)
    response = client_for(world.cs_agent).post(
        raise_url, {"raise-approved_free_hours": "40", "raise-reason": "x"}
    )
    assert response.status_code == 403
    assert client_for(world.outsider_partner).post(raise_url, {}).status_code == 404


def test_it_shows_the_engagement_capacity_per_person_and_ticket(client_for, world):
    ticket = ticket_actions.ticket_file(
        acting_user=world.employee,
        customer=world.customer,
        order=world.engagement,
        title="Migration Mandant A",
        description="Daten migrieren",
        planned_minutes=100 * 60,
    ).ticket
    check_ticket(world, ticket)
    book(world, ticket, by=world.expert, minutes=20 * 60)
    for _ in range(5):
        book(world, ticket, by=world.cs_agent, minutes=20 * 60)
    page = body(
        client_for(world.coordinator).get(
            reverse("contracts:order_detail", args=[world.engagement.pk])
        )
    )
    assert re.search(r'data-testid="capacity">120<', page)
    assert re.search(r'data-testid="planned">100<', page) and re.search(
        r'data-testid="booked">120<', page
    )
    assert (
        "Migration Mandant A" in page
        and world.expert.full_name in page
        and "nicht dediziert" in page
    )
    book(world, ticket, by=world.expert, minutes=60)
    page = body(
        client_for(world.cs_agent).get(
            reverse("contracts:order_detail", args=[world.engagement.pk])
        )
    )
    assert 'data-testid="overbooked"' in page and re.search(r'data-testid="remaining">-1<', page)
    assert (
        client_for(world.outsider_partner)
        .get(reverse("contracts:order_detail", args=[world.engagement.pk]))
        .status_code
        == 404
    )


def test_it_shows_effort_pages_in_english(client_for, world):
    query = open_query(world)
    client = client_for(world.cs_responsible)
    client.post(reverse("accounts:set_language"), {"language": "en"})
    page = body(client.get(WEEK))
    assert "My week" in page and "Book effort" in page and "Previous week" in page
    page = body(client.get(QUERIES))
    assert "Queries on effort" in page and "to partner" in page
    assert "corrected – new duration" in page and query.reason in page
