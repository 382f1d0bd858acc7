"""Effort to invoice in a real Chromium: a CS agent books effort on a ticket, the partner
queries it, the CS responsible corrects it, runs the month, issues the invoice and downloads
the workbook.

Set SCREENSHOTS_DIR to keep full-page screenshots of my week, the ticket's bookings, the
queries, the invoice and the order budget.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from partnerdesk.billing.models import Invoice, InvoiceStatus
from partnerdesk.contracts.models import ServiceType
from partnerdesk.efforts import actions
from partnerdesk.efforts.models import Booking, BookingKind, BookingQuery, QueryStatus
from tests.browser.test_ticket_flow import open_as
from tests.tickets_helpers import check_ticket, file_ticket

pytestmark = pytest.mark.browser


def busy_week(world, analysis, advice) -> None:
    """Some earlier effort of the agent this week and on the lead order, so pages look real."""
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    tickets = [
        check_ticket(
            world, file_ticket(world, title="Schnittstelle SAP liefert doppelte Buchungen")
        ),
        check_ticket(
            world,
            file_ticket(world, title="Berechtigung Rolle Buchhaltung", order=world.lead_order),
        ),
    ]
    entries = [
        (0, 0, 75, analysis, "Fehlerbild reproduziert, Logs gesichert", "Partner drängt"),
        (0, 1, 45, advice, "Rollenkonzept mit Partner besprochen", ""),
        (1, 0, 120, analysis, "Duplikate im Mapping gefunden", ""),
        (2, 1, 90, analysis, "Berechtigungsmatrix geprüft", ""),
        (3, 0, 30, advice, "Workaround erklärt", ""),
    ]
    for offset, index, minutes, activity, text, internal in entries:
        day = monday + datetime.timedelta(days=offset)
        if day > today:
            continue
        actions.booking_create(
            acting_user=world.cs_agent,
            ticket=tickets[index],
            day=day,
            minutes=minutes,
            activity=activity,
            text=text,
            internal_text=internal,
        )
    for minutes in (8 * 60, 6 * 60, 3 * 60):
        actions.booking_create(
            acting_user=world.expert,
            ticket=tickets[1],
            day=today,
            minutes=minutes,
            activity=analysis,
            text="Analyse Rollenmodell",
        )


def test_it_goes_from_booked_effort_to_the_downloaded_workbook(
    browser: Browser, live_server, live_world, screenshot, tmp_path
):
    base = live_server.url
    world = live_world
    errors: list[str] = []
    analysis = ServiceType.objects.get(code="analyse")
    advice, _ = ServiceType.objects.get_or_create(
        code="beratung", defaults={"name": "Konfigurationsberatung"}
    )
    busy_week(world, analysis, advice)
    ticket = check_ticket(
        world, file_ticket(world, title="Rechnungsexport bricht nach 10 Minuten ab")
    )
    today = timezone.localdate()

    # -- the CS agent books two hours on the ticket
    agent = open_as(browser, base, world.cs_agent.email, errors)
    agent.goto(f"{base}/tickets/{ticket.number}/")
    bookings = agent.get_by_test_id("bookings")
    expect(bookings).to_contain_text("Noch kein Aufwand gebucht.")
    bookings.get_by_test_id("book-toggle").click()
    form = bookings.get_by_test_id("book-form")
    form.get_by_label("Dauer").fill("abc")
    form.get_by_label("Tätigkeit").select_option(label="Analyse")
    form.get_by_label("Text", exact=True).fill("Exportjob analysiert, Timeout im Batch gefunden")
    form.get_by_label("Interner Text").fill("Ursache: unser Default-Timeout")
    form.get_by_role("button", name="Buchen").click()
    form = agent.get_by_test_id("book-form")
    expect(form).to_contain_text("Dauer als 1:30, 1.5h oder Minuten (90) angeben.")
    # the refusal answers 400, which Chromium reports on the console: expected, once
    refused = [error for error in errors if "status of 400" in error]
    assert len(refused) == 1
    errors.remove(refused[0])
    expect(form.get_by_label("Text", exact=True)).to_have_value(
        "Exportjob analysiert, Timeout im Batch gefunden"
    )
    form.get_by_label("Dauer").fill("2:00")
    form.get_by_role("button", name="Buchen").click()
    expect(agent.get_by_text("2:00 h gebucht.")).to_be_visible()
    row = agent.get_by_test_id("bookings").locator("tr.booking-row")
    expect(row).to_contain_text("Exportjob analysiert")
    expect(row).to_contain_text("Ursache: unser Default-Timeout")
    expect(row.get_by_test_id("billing")).to_have_text("an Partner")
    expect(agent.get_by_test_id("bookings-amount")).to_have_text("320.00")
    booking = Booking.objects.get(ticket=ticket)
    assert (booking.minutes, booking.person) == (120, world.cs_agent)

    # -- my week
    agent.locator(".mainnav").get_by_role("link", name="Aufwand").click()
    expect(agent.get_by_role("heading", name="Meine Woche")).to_be_visible()
    expect(agent.locator(f"#booking-{booking.pk}")).to_contain_text("Exportjob analysiert")
    screenshot(agent, "40-my-week")
    # inline correction (htmx swaps the form into the row)
    agent.locator(f"#booking-{booking.pk}").get_by_test_id("edit").click()
    editor = agent.get_by_test_id("edit-form")
    expect(editor.get_by_label("Dauer")).to_have_value("2:00")
    editor.get_by_label("Text", exact=True).fill(
        "Exportjob analysiert, Timeout im Batch gefunden und erhöht"
    )
    screenshot(agent, "41-my-week-inline-edit")
    editor.get_by_role("button", name="Korrektur speichern").click()
    expect(agent.get_by_text("Die Buchung ist korrigiert.")).to_be_visible()
    expect(agent.locator(f"#booking-{booking.pk}")).to_contain_text("und erhöht")

    # -- the partner queries it (and never sees the internal text)
    partner = open_as(browser, base, world.employee.email, errors)
    partner.goto(f"{base}/tickets/{ticket.number}/")
    bookings = partner.get_by_test_id("bookings")
    expect(bookings).to_contain_text("Exportjob analysiert")
    expect(bookings).not_to_contain_text("Default-Timeout")
    bookings.get_by_test_id("query-toggle").click()
    bookings.get_by_label("Begründung").fill(
        "Zwei Stunden für eine Timeout-Einstellung scheinen uns zu viel; bitte prüfen."
    )
    bookings.get_by_role("button", name="Buchung beanstanden").click()
    expect(partner.get_by_text("Ihre Rückfrage zur Buchung")).to_be_visible()
    expect(partner.get_by_test_id("bookings").get_by_test_id("query")).to_contain_text(
        "beanstandet"
    )
    partner.locator("#bookings").scroll_into_view_if_needed()
    screenshot(partner, "42-ticket-bookings-partner")
    assert BookingQuery.objects.get().status == QueryStatus.OPEN

    # -- the CS responsible corrects it to 1:15
    responsible = open_as(browser, base, world.cs_responsible.email, errors)
    responsible.locator(".mainnav").get_by_role("link", name="Rückfragen").click()
    card = responsible.locator("article.query").filter(has_text=ticket.number)
    expect(card).to_contain_text("scheinen uns zu viel")
    card.get_by_test_id("resolve-toggle").click()
    card.get_by_label("korrigiert – neue Dauer").check()
    card.get_by_label("Korrigierte Dauer").fill("1:15")
    card.get_by_label("Begründung").fill("Einverstanden: 45 Minuten waren Eigenrecherche.")
    screenshot(responsible, "43-queries-resolve")
    card.get_by_role("button", name="Entscheid speichern").click()
    expect(responsible.get_by_text("Rückfrage entschieden: korrigiert.")).to_be_visible()
    responsible.get_by_role("link", name="Entschieden").click()
    expect(responsible.locator("article.query").first).to_contain_text("neu 1:15 h")
    screenshot(responsible, "44-queries-resolved")
    correction = Booking.objects.get(kind=BookingKind.CORRECTION)
    assert correction.minutes == -45

    # -- the ticket page shows the original and its correction
    agent.goto(f"{base}/tickets/{ticket.number}/")
    expect(agent.get_by_test_id("bookings").locator("tr.is-correction")).to_contain_text(
        "Korrektur"
    )
    agent.locator("#bookings").scroll_into_view_if_needed()
    screenshot(agent, "45-ticket-bookings-vendor")

    # -- the month is invoiced and issued
    responsible.locator(".mainnav").get_by_role("link", name="Rechnungen").click()
    run = responsible.get_by_test_id("run-form")
    run.get_by_label("Monat").fill(f"{today:%Y-%m}")
    run.get_by_role("button", name="Monat verrechnen").click()
    expect(responsible.locator(".message--success")).to_contain_text(
        "verrechnet: 1 Rechnungsentwurf"
    )
    screenshot(responsible, "46-invoice-list")
    invoice = Invoice.objects.get(party=world.partner)
    responsible.locator(f'tr[data-invoice="{invoice.pk}"]').get_by_role(
        "link", name="Entwurf"
    ).click()
    expect(responsible.get_by_test_id("invoice-title")).to_have_text("Rechnungsentwurf")
    responsible.get_by_role("button", name="Ausstellen").click()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED
    expect(responsible.get_by_test_id("invoice-title")).to_have_text(f"Rechnung {invoice.number}")
    expect(responsible.get_by_test_id("lines")).to_contain_text("Exportjob analysiert")
    expect(responsible.get_by_test_id("lines").locator("tr.is-correction")).to_contain_text("-0:45")
    screenshot(responsible, "47-invoice-detail")

    # -- and the workbook downloads and opens
    with responsible.expect_download() as info:
        responsible.get_by_test_id("workbook").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    workbook = openpyxl.load_workbook(path)
    rows = [row for sheet in workbook for row in sheet.iter_rows(values_only=True)]
    assert any(
        ticket.number in row and any("Exportjob analysiert" in str(c) for c in row) for row in rows
    )

    # -- the partner sees the issued invoice
    partner.locator(".mainnav").get_by_role("link", name="Rechnungen").click()
    expect(partner.get_by_test_id("invoices")).to_contain_text(invoice.number)

    # -- the lead order's budget, seen by sales
    sales = open_as(browser, base, world.sales.email, errors)
    sales.goto(f"{base}/contracts/orders/{world.lead_order.pk}/")
    expect(sales.get_by_test_id("budget")).to_contain_text("Gratisstunden")
    sales.get_by_test_id("raise-toggle").click()
    sales.get_by_label("Neue Bewilligung (Stunden)").fill("30")
    sales.get_by_label("Begründung").fill("Pilot um zwei Wochen verlängert")
    sales.get_by_role("button", name="Bewilligung speichern").click()
    expect(sales.get_by_text("Die Bewilligung ist auf 30 Stunden erhöht.")).to_be_visible()
    world.lead_order.refresh_from_db()
    assert world.lead_order.approved_free_hours == Decimal("30")
    screenshot(sales, "48-order-budget-lead")
    engagement_ticket = check_ticket(world, _engagement_ticket(world))
    for person, minutes in (
        (world.expert, 20 * 60),
        (world.expert, 22 * 60),
        (world.cs_agent, 12 * 60),
    ):
        actions.booking_create(
            acting_user=person,
            ticket=engagement_ticket,
            day=today,
            minutes=minutes,
            activity=analysis,
            text="Migration",
        )
    sales.goto(f"{base}/contracts/orders/{world.engagement.pk}/")
    expect(sales.get_by_test_id("budget")).to_contain_text("Pro dedizierte Person")
    screenshot(sales, "49-order-budget-engagement")

    assert errors == []


def _engagement_ticket(world):
    from partnerdesk.tickets.actions import ticket_file

    return ticket_file(
        acting_user=world.employee,
        customer=world.customer,
        order=world.engagement,
        title="Migration Mandant Seeland",
        description="Stammdaten und offene Posten migrieren.",
        planned_minutes=80 * 60,
    ).ticket
