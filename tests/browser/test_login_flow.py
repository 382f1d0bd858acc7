"""A person clicks through partnerdesk in a real Chromium: log in, navigation, language, log out.

Set SCREENSHOTS_DIR to keep full-page screenshots of the main pages (CI leaves it unset).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from partnerdesk.parties.models import User
from tests.world import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    """Browser console errors and uncaught exceptions; CSP violations land here too."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("E-Mail").fill(email)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(f"{base_url}/")


def nav_labels(page: Page) -> list[str]:
    return [label.strip() for label in page.locator(".mainnav__link").all_inner_texts()]


def test_it_logs_in_switches_language_and_logs_out(
    page: Page, live_server, live_world, console_errors, screenshot
):
    base = live_server.url
    page.goto(f"{base}/login/")
    expect(page.locator("html")).to_have_attribute("lang", "de-ch")
    expect(page.get_by_role("heading", name="Anmelden")).to_be_visible()
    screenshot(page, "01-login")

    log_in(page, base, live_world.coordinator.email)
    assert nav_labels(page) == [
        "Übersicht",
        "Tickets",
        "Kunden",
        "Verträge",
        "Aufträge",
        "Aufwand",
        "Rechnungen",
        "API-Schlüssel",
    ]
    expect(page.locator(".mainnav__link.is-active")).to_have_text("Übersicht")
    expect(page.locator(".whoami")).to_contain_text("Claudia Koordinatorin")
    expect(page.locator(".whoami")).to_contain_text("Alpina Solutions AG")
    expect(page.get_by_role("heading", name="Ihre Ansprechpersonen bei BSI")).to_be_visible()
    screenshot(page, "02-home-partner-de")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert nav_labels(page) == [
        "Overview",
        "Tickets",
        "Customers",
        "Contracts",
        "Orders",
        "Effort",
        "Invoices",
        "API keys",
    ]
    expect(page.get_by_role("heading", name="Your contacts at BSI")).to_be_visible()
    assert User.objects.get(pk=live_world.coordinator.pk).language == "en"
    screenshot(page, "03-home-partner-en")

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{base}/login/")
    expect(page.get_by_text("You have been logged out.")).to_be_visible()
    page.goto(f"{base}/contracts/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/contracts/$"))
    assert console_errors == []


def test_it_shows_each_side_its_pages_and_searches_without_reload(
    page: Page, live_server, live_world, console_errors, screenshot
):
    base = live_server.url
    log_in(page, base, live_world.cs_responsible.email)
    expect(page.get_by_role("heading", name="Meine Partner")).to_be_visible()
    screenshot(page, "04-home-vendor")

    page.get_by_role("link", name="Partner", exact=True).click()
    expect(page.locator("#results")).to_contain_text("Bergwerk Consulting GmbH")
    page.evaluate("window.partnerdeskMarker = 'same page'")
    page.get_by_role("searchbox").fill("alpina")
    expect(page.locator("#results")).not_to_contain_text("Bergwerk Consulting GmbH")
    expect(page.locator("#results")).to_contain_text("Alpina Solutions AG")
    expect(page).to_have_url(re.compile(r"q=alpina"))
    # htmx swapped the results in place: the page (and our marker) survived.
    assert page.evaluate("window.partnerdeskMarker") == "same page"
    page.get_by_role("searchbox").fill("")
    expect(page.locator("#results")).to_contain_text("Bergwerk Consulting GmbH")
    screenshot(page, "05-partner-list")

    page.get_by_role("link", name="Alpina Solutions AG").first.click()
    expect(page.get_by_role("heading", name="Alpina Solutions AG", exact=True)).to_be_visible()
    expect(page.get_by_test_id("rate")).to_have_text("CHF 160.00")
    screenshot(page, "06-partner-detail")

    page.get_by_role("link", name="Verträge").click()
    expect(page.locator("#results")).to_contain_text("SV-TEST-1")
    screenshot(page, "07-contract-list")
    page.get_by_role("link", name="SV-TEST-1").click()
    expect(page.get_by_role("heading", name="Vertrag SV-TEST-1")).to_be_visible()
    screenshot(page, "08-contract-detail")

    page.get_by_role("link", name="Aufträge", exact=True).click()
    expect(page.locator("#results")).to_contain_text("Teilprojekt Migration")
    screenshot(page, "09-order-list")
    page.get_by_role("link", name="Teilprojekt Migration").click()
    expect(page.get_by_text("120 Stunden")).to_be_visible()
    screenshot(page, "10-order-detail")

    page.get_by_role("link", name="API-Schlüssel").click()
    page.get_by_label("Bezeichnung").fill("Export Buchhaltung")
    page.get_by_role("button", name="Schlüssel erstellen").click()
    expect(page.get_by_test_id("new-token")).to_contain_text("pd_")
    screenshot(page, "11-tokens")
    page.reload()
    expect(page.get_by_test_id("new-token")).to_have_count(0)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/")
    screenshot(page, "12-home-vendor-mobile")
    assert console_errors == []


def test_it_shows_the_customer_its_overview_and_hides_the_rest(
    page: Page, live_server, live_world, console_errors, screenshot
):
    base = live_server.url
    log_in(page, base, live_world.customer_contact.email)
    assert nav_labels(page) == [
        "Übersicht",
        "Tickets",
        "Partner",
        "Verträge",
        "Rechnungen",
        "API-Schlüssel",
    ]
    expect(page.get_by_role("heading", name="Ihre Verträge")).to_be_visible()
    screenshot(page, "13-home-customer")
    response = page.goto(f"{base}/partners/{live_world.other_partner.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Nicht gefunden")).to_be_visible()
    screenshot(page, "14-not-found")
    assert [error for error in console_errors if "404" not in error] == []
