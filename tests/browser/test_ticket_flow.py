"""A ticket's whole life in a real Chromium: the partner files it, a CS agent checks it and
asks back, the partner answers, the agent proposes a solution, the partner confirms.

Set SCREENSHOTS_DIR to keep full-page screenshots of the list, the filing form and the ticket.
"""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from partnerdesk.tickets import actions
from partnerdesk.tickets.models import Attachment, Priority, Ticket
from partnerdesk.tickets.phases import Phase
from tests.tickets_helpers import check_ticket, file_ticket
from tests.world import PASSWORD

pytestmark = pytest.mark.browser


def open_as(browser: Browser, base: str, email: str, errors: list[str]) -> Page:
    """A fresh browser window, logged in as ``email``; console errors are collected."""
    context = browser.new_context(locale="de-CH", viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/login/")
    page.get_by_label("E-Mail").fill(email)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(f"{base}/")
    return page


def other_tickets(world) -> None:
    """A few tickets on every side, some days old, so the list shows what it is for."""
    now = timezone.now()
    with time_machine.travel(now - datetime.timedelta(days=3, hours=2)):
        asked = check_ticket(
            world, file_ticket(world, title="Schnittstelle SAP liefert doppelte Buchungen")
        )
        actions.ticket_ask(
            acting_user=world.cs_agent,
            ticket=asked,
            version=asked.version,
            person=world.customer_contact,
            question="Können Sie uns ein Beispiel schicken?",
        )
    with time_machine.travel(now - datetime.timedelta(hours=5)):
        urgent = file_ticket(world, title="Portal nicht erreichbar", priority=Priority.URGENT)
        actions.ticket_escalate(
            acting_user=world.coordinator,
            ticket=urgent,
            version=urgent.version,
            reason="Kunde steht still",
        )
    with time_machine.travel(now - datetime.timedelta(days=1, hours=3)):
        solved = check_ticket(
            world, file_ticket(world, title="Berechtigung für Rolle Buchhaltung fehlt")
        )
        actions.ticket_propose_solution(
            acting_user=world.cs_agent,
            ticket=solved,
            version=solved.version,
            solution="Rolle ergänzt.",
        )


def action(page: Page, title: str):
    """The action panel entry ``title``, opened."""
    entry = page.locator("details.action").filter(has=page.locator("summary", has_text=title))
    if entry.get_attribute("open") is None:
        entry.locator("summary").click()
    return entry


def test_it_walks_a_ticket_from_filing_to_confirmation(
    browser: Browser, live_server, live_world, screenshot
):
    base = live_server.url
    errors: list[str] = []
    world = live_world

    # -- the partner employee files a ticket
    partner = open_as(browser, base, world.employee.email, errors)
    partner.locator(".mainnav").get_by_role("link", name="Tickets").click()
    expect(partner.get_by_role("heading", name="Tickets", exact=True)).to_be_visible()
    partner.get_by_role("link", name="Neues Ticket").click()
    expect(partner.get_by_role("heading", name="Neues Ticket")).to_be_visible()
    partner.get_by_label("Auftrag").select_option(
        label=f"Partnerschaftsauftrag ({world.partnership_order.number})"
    )
    partner.get_by_label("Betroffener Kunde").select_option(label="Stadtwerke Seeland")
    partner.get_by_label("Titel").fill("Rechnungsexport bricht nach 10 Minuten ab")
    partner.get_by_label("Beschreibung").fill(
        "Seit dem Update vom Montag bricht der **Rechnungsexport** ab.\n\n"
        "- Mandant: Seeland Energie\n- Fehler: `Timeout after 600s`\n\n<script>alert('x')</script>"
    )
    partner.get_by_label("Dringend").check()
    partner.get_by_label("Anhänge").set_input_files(
        [{"name": "export.log", "mimeType": "text/plain", "buffer": b"Timeout after 600s\n"}]
    )
    screenshot(partner, "20-ticket-file-form")
    partner.get_by_role("button", name="Ticket erfassen").click()

    ticket = Ticket.objects.get()
    expect(partner).to_have_url(f"{base}/tickets/{ticket.number}/")
    expect(partner.get_by_text(f"Ticket {ticket.number} ist erfasst.")).to_be_visible()
    status = partner.get_by_test_id("status")
    expect(status.get_by_test_id("side")).to_contain_text("bei BSI")
    expect(status.get_by_test_id("side")).to_contain_text("seit")
    expect(partner.get_by_test_id("phase")).to_have_text("Neu")
    expect(partner.get_by_test_id("description").locator("strong")).to_have_text("Rechnungsexport")
    expect(partner.get_by_test_id("description")).to_contain_text("<script>alert('x')</script>")
    expect(partner.get_by_role("link", name="export.log")).to_be_visible()
    assert Attachment.objects.get().name == "export.log"

    # -- the CS agent finds it in the team queue and checks it
    other_tickets(world)
    agent = open_as(browser, base, world.cs_agent.email, errors)
    expect(agent.get_by_test_id("waiting-team").locator(".stat__value")).to_have_text("2")
    screenshot(agent, "24-home-vendor-with-tickets")
    agent.locator(".mainnav").get_by_role("link", name="Warteschlange").click()
    expect(agent.get_by_role("link", name="Team-Warteschlange")).to_have_attribute(
        "aria-current", "page"
    )
    row = agent.locator(f'tr[data-number="{ticket.number}"]')
    expect(row).to_contain_text("Rechnungsexport bricht nach 10 Minuten ab")
    expect(row.get_by_test_id("side")).to_contain_text("bei BSI")
    expect(row).to_contain_text("Dringend")
    screenshot(agent, "21-ticket-queue")
    agent.get_by_role("link", name="Alle", exact=True).click()
    expect(agent.locator("tr.is-escalated")).to_contain_text("Portal nicht erreichbar")
    expect(
        agent.locator("#results").get_by_test_id("side").filter(has_text="beim Kunden")
    ).to_contain_text("seit 3 Tagen")
    screenshot(agent, "21b-ticket-list-all")
    # search and filters swap the results in place (htmx) and keep the URL shareable
    agent.evaluate("window.partnerdeskMarker = 'same page'")
    agent.get_by_role("searchbox").fill("Portal")
    expect(agent.locator("#results")).not_to_contain_text("Schnittstelle SAP")
    expect(agent.locator("#results")).to_contain_text("Portal nicht erreichbar")
    agent.get_by_role("searchbox").fill("")
    agent.get_by_label("Seite").select_option(label="beim Kunden")
    expect(agent.locator("#results")).not_to_contain_text("Portal nicht erreichbar")
    expect(agent.locator("#results")).to_contain_text("Schnittstelle SAP")
    expect(agent).to_have_url(re.compile(r"side=customer"))
    assert agent.evaluate("window.partnerdeskMarker") == "same page"
    agent.get_by_label("Seite").select_option(label="Alle Seiten")
    expect(agent.locator("#results")).to_contain_text("Rechnungsexport")
    agent.locator(f'tr[data-number="{ticket.number}"]').get_by_role(
        "link", name="Rechnungsexport"
    ).click()
    screenshot(agent, "21c-ticket-detail-new-vendor")
    estimate = timezone.localdate() + datetime.timedelta(days=5)
    check = action(agent, "Erstprüfung")
    check.get_by_label("Nächste Schritte").fill(
        "Logs des Exportjobs analysieren, Timeout im Batch prüfen."
    )
    check.get_by_label("Geschätztes Lösungsdatum").fill(estimate.isoformat())
    check.get_by_role("button", name="Prüfung abschliessen").click()
    expect(agent.get_by_text("Erstprüfung erfasst")).to_be_visible()
    expect(agent.get_by_test_id("phase")).to_have_text("Bei BSI in Bearbeitung")
    expect(agent.get_by_test_id("responsible")).to_have_text(world.cs_agent.full_name)
    expect(agent.get_by_test_id("estimate")).to_have_text(estimate.strftime("%d.%m.%Y"))
    expect(agent.get_by_test_id("next-steps")).to_contain_text("Logs des Exportjobs analysieren")

    # -- and hands it back with a question
    ask = action(agent, "Rückfrage stellen")
    ask.get_by_label("Frage an").select_option(
        label=f"{world.employee.full_name} · {world.partner.name}"
    )
    ask.get_by_label("Rückfrage").fill("Welche Mandanten sind betroffen, und seit wann genau?")
    ask.get_by_role("button", name="Rückfrage senden").click()
    expect(agent.get_by_test_id("status").get_by_test_id("side")).to_contain_text("beim Partner")
    expect(agent.get_by_test_id("phase")).to_have_text("Beim Partner – Rückfrage")

    # -- the partner sees it waiting and answers
    partner.locator(".mainnav").get_by_role("link", name="Tickets").click()
    expect(partner.get_by_role("link", name="Wartet auf uns")).to_have_attribute(
        "aria-current", "page"
    )
    partner_row = partner.locator(f'tr[data-number="{ticket.number}"]')
    expect(partner_row.get_by_test_id("side")).to_contain_text("beim Partner")
    partner_row.get_by_role("link", name="Rechnungsexport").click()
    answer = action(partner, "Rückfrage beantworten")
    answer.get_by_label("Ihre Antwort").fill("Nur Mandant Seeland Energie, seit Montag 07:00.")
    answer.get_by_role("button", name="Antwort senden").click()
    expect(partner.get_by_text("Antwort gesendet")).to_be_visible()
    expect(partner.get_by_test_id("status").get_by_test_id("side")).to_contain_text("bei BSI")

    # -- the CS agent proposes a solution
    agent.reload()
    expect(agent.get_by_test_id("responsible")).to_have_text(world.cs_agent.full_name)
    solve = action(agent, "Lösung vorschlagen")
    solve.get_by_label("Lösung").fill(
        "Der Timeout des Exportjobs ist auf 30 Minuten erhöht; der Export läuft wieder."
    )
    solve.get_by_role("button", name="Lösung vorschlagen").click()
    expect(agent.get_by_test_id("phase")).to_have_text("Gelöst – Bestätigung durch Partner")

    # -- the partner confirms: closed
    partner.reload()
    confirm = action(partner, "Lösung bestätigen")
    confirm.get_by_role("button", name="Lösung bestätigen und schliessen").click()
    expect(partner.get_by_text("Lösung bestätigt. Das Ticket ist geschlossen.")).to_be_visible()
    expect(partner.get_by_test_id("phase")).to_have_text("Geschlossen")
    expect(partner.get_by_test_id("status").get_by_test_id("side")).to_contain_text("erledigt")
    journal = partner.get_by_test_id("journal")
    for label in (
        "Erfasst",
        "Erstprüfung",
        "Rückfrage",
        "Antwort",
        "Lösung vorgeschlagen",
        "Lösung bestätigt",
    ):
        expect(journal).to_contain_text(label)
    screenshot(partner, "22-ticket-detail-partner")
    agent.reload()
    screenshot(agent, "23-ticket-detail-vendor")

    ticket.refresh_from_db()
    assert ticket.phase == Phase.CLOSED
    assert errors == []
