"""/api/v1/ invoicing: the idempotent monthly run, invoices (list, read, lines), issuing, and
the .xlsx download; who sees which invoice."""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.test import Client

from partnerdesk.billing import actions as billing_actions
from partnerdesk.billing.models import Invoice, InvoiceLine, InvoiceRun
from partnerdesk.billing.workbook import CONTENT_TYPE
from partnerdesk.contracts.models import ServiceType
from partnerdesk.efforts import actions
from partnerdesk.tickets import actions as ticket_actions
from tests.tickets_helpers import file_ticket

ZRH = ZoneInfo("Europe/Zurich")
NOW = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=ZRH)
TODAY = NOW.date()
OUTSIDERS = ("outsider_partner", "outsider_customer")
# session, user, organisation, count, page — however many rows the page holds
LIST_QUERIES = 5


@pytest.fixture(autouse=True)
def _tuesday(time_machine):
    time_machine.move_to(NOW, tick=False)


def book(world, ticket=None, *, minutes=90, day=TODAY):
    return actions.booking_create(
        acting_user=world.cs_agent,
        ticket=ticket or file_ticket(world),
        day=day,
        minutes=minutes,
        activity=ServiceType.objects.get(code="analyse"),
        text="Logs analysiert",
    )


def not_covered_ticket(world):
    """world.contract bills the customer for requests that are no vendor service."""
    ticket = file_ticket(world, title="Wie exportiere ich?")
    return ticket_actions.ticket_decide_coverage(
        acting_user=world.cs_agent,
        ticket=ticket,
        version=ticket.version,
        coverage="howto",
        reason="Anwendungsfrage",
    )


@pytest.fixture
def month(world):
    """November: 90 + 60 min for the partner (160/h), 90 min for the customer (170/h), and a
    free booking on a covered ticket."""
    book(world, minutes=90)
    book(world, minutes=60, day=datetime.date(2026, 11, 2))
    book(world, not_covered_ticket(world), minutes=90)
    covered = file_ticket(world, title="Absturz")
    ticket_actions.ticket_decide_coverage(
        acting_user=world.cs_agent,
        ticket=covered,
        version=covered.version,
        coverage="operations_incident",
        reason="Betrieb",
    )
    book(world, covered, minutes=30)
    return world


def run(client, month="2026-11"):
    return client.post("/api/v1/invoice-runs", {"month": month}, content_type="application/json")


def issue(client, invoice, version=None):
    return client.post(
        f"/api/v1/invoices/{invoice.pk}/issue",
        {"version": invoice.version if version is None else version},
        content_type="application/json",
    )


def issued(world):
    """Run November and issue every invoice; {party id: invoice}."""
    invoices = billing_actions.invoice_run(acting_user=world.cs_responsible, month=TODAY)
    return {
        invoice.party_id: billing_actions.invoice_issue(
            acting_user=world.cs_responsible, invoice=invoice, version=invoice.version
        )
        for invoice in invoices
    }


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


# --- the run ----------------------------------------------------------------------------


def test_it_runs_a_month_into_one_invoice_per_billed_party(month, client_for):
    world = month

    response = run(client_for(world.cs_responsible))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["month"] == "2026-11" and body["runs"] == 1 and body["last_run_at"]
    by_party = {invoice["party"]["id"]: invoice for invoice in body["invoices"]}
    assert set(by_party) == {world.partner.pk, world.customer.pk}
    partner = by_party[world.partner.pk]
    assert partner["status"] == "draft" and partner["number"] is None
    assert partner["month"] == "2026-11" and partner["line_count"] == 2
    assert partner["total"] == "400.00"  # 2.5 h at 160
    assert by_party[world.customer.pk]["total"] == "255.00"  # 1.5 h at 170
    assert partner["workbook_url"] == f"/api/v1/invoices/{partner['id']}/workbook"
    assert Invoice.objects.count() == 2 and InvoiceLine.objects.count() == 3


def test_it_runs_a_month_idempotently(month, client_for):
    client = client_for(month.admin)
    first = run(client).json()

    second = run(client)

    assert second.status_code == 200
    assert [i["id"] for i in second.json()["invoices"]] == [i["id"] for i in first["invoices"]]
    assert [i["total"] for i in second.json()["invoices"]] == [
        i["total"] for i in first["invoices"]
    ]
    assert second.json()["runs"] == 2
    assert Invoice.objects.count() == 2 and InvoiceLine.objects.count() == 3
    assert InvoiceRun.objects.get().runs == 2


def test_it_adds_late_bookings_to_the_draft_on_the_next_run(month, client_for):
    client = client_for(month.cs_responsible)
    run(client)
    book(month, minutes=30)

    body = run(client).json()

    partner = next(i for i in body["invoices"] if i["party"]["id"] == month.partner.pk)
    assert partner["line_count"] == 3 and partner["total"] == "480.00"
    assert Invoice.objects.count() == 2


@pytest.mark.parametrize(
    "persona", ["cs_agent", "expert", "sales", "coordinator", "customer_contact", *OUTSIDERS]
)
def test_it_lets_only_the_cs_responsible_run(month, client_for, persona):
    response = run(client_for(month.persona(persona)))

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Invoice.objects.exists()


def test_it_refuses_a_future_month(month, client_for):
    response = run(client_for(month.cs_responsible), "2026-12")

    assert response.status_code == 422
    assert response.json()["code"] == "future_month"
    assert not Invoice.objects.exists()


@pytest.mark.parametrize("value", ["2026-13", "11.2026", "2026-11-01", ""])
def test_it_refuses_a_malformed_month(month, client_for, value):
    response = run(client_for(month.cs_responsible), value)

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert list(response.json()["errors"]) == ["month"]


def test_it_refuses_anonymous_runs(month):
    assert run(Client()).status_code == 401


# --- list and read ----------------------------------------------------------------------


def test_it_lists_invoices_per_side(month, client_for):
    world = month
    drafts = billing_actions.invoice_run(acting_user=world.cs_responsible, month=TODAY)
    partners = next(invoice for invoice in drafts if invoice.party_id == world.partner.pk)
    customers = next(invoice for invoice in drafts if invoice.party_id == world.customer.pk)

    assert sorted(ids(client_for(world.cs_agent).get("/api/v1/invoices/"))) == sorted(
        [partners.pk, customers.pk]
    )
    assert ids(client_for(world.coordinator).get("/api/v1/invoices/")) == []  # drafts

    billing_actions.invoice_issue(
        acting_user=world.cs_responsible, invoice=partners, version=partners.version
    )

    assert ids(client_for(world.coordinator).get("/api/v1/invoices/")) == [partners.pk]
    assert ids(client_for(world.employee).get("/api/v1/invoices/")) == [partners.pk]
    assert ids(client_for(world.customer_contact).get("/api/v1/invoices/")) == []
    for persona in OUTSIDERS:
        assert ids(client_for(world.persona(persona)).get("/api/v1/invoices/")) == []


def test_it_filters_invoices(month, client_for):
    world = month
    invoices = issued(world)
    client = client_for(world.cs_responsible)

    def listed(**params):
        return sorted(ids(client.get("/api/v1/invoices/", params)))

    assert listed(month="2026-11") == sorted(invoice.pk for invoice in invoices.values())
    assert listed(month="2026-10") == []
    assert listed(party=world.customer.pk) == [invoices[world.customer.pk].pk]
    assert listed(status="draft") == []
    assert len(listed(status="issued")) == 2
    assert client.get("/api/v1/invoices/", {"month": "Nov"}).status_code == 422


def test_it_lists_invoices_with_a_fixed_number_of_queries(
    month, client_for, django_assert_num_queries
):
    world = month
    client = client_for(world.cs_responsible)
    issued(world)
    with django_assert_num_queries(LIST_QUERIES):
        assert len(ids(client.get("/api/v1/invoices/"))) == 2
    october = datetime.date(2026, 10, 15)
    book(world, day=october)
    book(world, not_covered_ticket(world), day=october)
    billing_actions.invoice_run(acting_user=world.cs_responsible, month=october)

    with django_assert_num_queries(LIST_QUERIES):
        assert len(ids(client.get("/api/v1/invoices/"))) == 4


def test_it_reads_an_invoice_with_its_lines(month, client_for):
    world = month
    invoice = issued(world)[world.partner.pk]

    response = client_for(world.coordinator).get(f"/api/v1/invoices/{invoice.pk}")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["number"] == invoice.number and body["status"] == "issued"
    assert (
        body["status_label"] == "ausgestellt" and body["issued_by"]["id"] == world.cs_responsible.pk
    )
    assert body["total"] == "400.00" and body["line_count"] == 2 and not body["lines_truncated"]
    first = body["lines"][0]  # by customer, ticket number and day
    assert first["day"] == "2026-11-24" and first["minutes"] == 90 and first["hours"] == "1.50"
    assert first["customer"] == {"id": world.customer.pk, "name": "Stadtwerke Seeland"}
    assert first["ticket_title"] == "Export bricht ab" and first["person_name"] == "Cs Agent BSI"
    assert first["activity"] == "Analyse" and first["text"] == "Logs analysiert"
    assert (first["rate"], first["amount"], first["is_correction"]) == ("160.00", "240.00", False)
    assert sum(Decimal(line["amount"]) for line in body["lines"]) == Decimal(body["total"])


def test_it_caps_the_lines_of_the_detail_and_pages_them_all(month, client_for, monkeypatch):
    world = month
    monkeypatch.setattr("partnerdesk.billing.api.DETAIL_LINES", 1)
    invoice = issued(world)[world.partner.pk]
    client = client_for(world.coordinator)

    body = client.get(f"/api/v1/invoices/{invoice.pk}").json()
    lines = client.get(f"/api/v1/invoices/{invoice.pk}/lines")

    assert len(body["lines"]) == 1 and body["lines_truncated"] is True and body["line_count"] == 2
    assert lines.json()["count"] == 2 and len(lines.json()["items"]) == 2


def test_it_hides_drafts_and_other_parties_invoices(month, client_for):
    world = month
    drafts = {
        invoice.party_id: invoice
        for invoice in billing_actions.invoice_run(acting_user=world.cs_responsible, month=TODAY)
    }
    partners, customers = drafts[world.partner.pk], drafts[world.customer.pk]

    assert client_for(world.cs_agent).get(f"/api/v1/invoices/{partners.pk}").status_code == 200
    assert client_for(world.coordinator).get(f"/api/v1/invoices/{partners.pk}").status_code == 404
    invoices = issued(world)
    assert client_for(world.coordinator).get(f"/api/v1/invoices/{partners.pk}").status_code == 200
    # the partner does not see the customer's invoice, nor the customer the partner's
    assert client_for(world.coordinator).get(f"/api/v1/invoices/{customers.pk}").status_code == 404
    customer = client_for(world.customer_contact)
    assert customer.get(f"/api/v1/invoices/{partners.pk}").status_code == 404
    assert customer.get(f"/api/v1/invoices/{customers.pk}").status_code == 200
    assert invoices[world.customer.pk].pk == customers.pk


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_it_answers_404_to_outsiders_on_every_invoice_endpoint(month, client_for, persona):
    world = month
    invoice = issued(world)[world.partner.pk]
    client = client_for(world.persona(persona))
    url = f"/api/v1/invoices/{invoice.pk}"

    for suffix in ("", "/lines", "/workbook"):
        response = client.get(url + suffix)
        assert response.status_code == 404, suffix
        assert response.json()["code"] == "not_found"
    assert issue(client, invoice).status_code == 404


# --- issuing ----------------------------------------------------------------------------


def test_it_issues_a_draft_with_the_next_number(month, client_for):
    world = month
    drafts = billing_actions.invoice_run(acting_user=world.cs_responsible, month=TODAY)
    client = client_for(world.cs_responsible)

    numbers = [issue(client, draft).json()["number"] for draft in drafts]

    assert numbers == ["R-2026-0001", "R-2026-0002"]
    assert set(Invoice.objects.values_list("status", flat=True)) == {"issued"}


def test_it_refuses_issuing_twice_stale_or_by_a_cs_agent(month, client_for):
    world = month
    draft = billing_actions.invoice_run(acting_user=world.cs_responsible, month=TODAY)[0]
    client = client_for(world.cs_responsible)

    by_agent = issue(client_for(world.cs_agent), draft)
    stale = issue(client, draft, version=draft.version - 1)
    first = issue(client, draft)
    draft.refresh_from_db()
    twice = issue(client, draft)

    assert by_agent.status_code == 403 and by_agent.json()["code"] == "permission_denied"
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    assert first.status_code == 200 and first.json()["version"] == draft.version
    assert twice.status_code == 422 and twice.json()["code"] == "already_issued"
    assert Invoice.objects.filter(number__isnull=False).count() == 1


def test_it_does_not_let_a_partner_issue_its_draft(month, client_for):
    draft = billing_actions.invoice_run(acting_user=month.cs_responsible, month=TODAY)[0]

    response = issue(client_for(month.coordinator), draft)

    assert response.status_code == 404  # drafts do not exist for the party


def test_it_leaves_issued_invoices_alone_when_the_month_runs_again(month, client_for):
    world = month
    invoices = issued(world)
    booking = InvoiceLine.objects.filter(invoice__party=world.partner).first().booking
    query = actions.booking_query_open(acting_user=world.employee, booking=booking, reason="x")
    client = client_for(world.cs_responsible)
    resolved = client.post(
        f"/api/v1/queries/{query.pk}/resolve",
        {"outcome": "written_off", "reason": "Kulanz"},
        content_type="application/json",
    )
    assert resolved.status_code == 200, resolved.content

    november = run(client).json()

    # The credit is not added to the issued invoice; it waits for a later run.
    partner = next(i for i in november["invoices"] if i["party"]["id"] == world.partner.pk)
    assert partner["status"] == "issued" and partner["total"] == "400.00"
    assert partner["version"] == invoices[world.partner.pk].version
    shown = client.get("/api/v1/bookings/", {"kind": "correction"}).json()["items"]
    assert len(shown) == 1 and shown[0]["invoiced"] is False
    assert shown[0]["billing"]["amount"] == "-240.00"


# --- the workbook -----------------------------------------------------------------------


def test_it_downloads_the_workbook(month, client_for):
    world = month
    invoice = issued(world)[world.partner.pk]

    response = client_for(world.coordinator).get(f"/api/v1/invoices/{invoice.pk}/workbook")

    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment")
    assert f"{invoice.number}.xlsx" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(workbook.sheetnames) == 2  # the summary and one sheet for Stadtwerke Seeland
    lines = workbook[workbook.sheetnames[1]]
    values = [cell for row in lines.iter_rows(values_only=True) for cell in row]
    assert invoice.lines.first().ticket_number in values
    summary = workbook[workbook.sheetnames[0]]
    amounts = [
        cell
        for row in summary.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, (int, float))
    ]
    assert float(invoice.total) in amounts


def test_it_lets_vendor_staff_download_a_draft_but_not_the_party(month, client_for):
    draft = billing_actions.invoice_run(acting_user=month.cs_responsible, month=TODAY)[0]
    url = f"/api/v1/invoices/{draft.pk}/workbook"

    vendor = client_for(month.cs_agent).get(url)
    party = client_for(
        month.coordinator if draft.party_id == month.partner.pk else month.customer_contact
    ).get(url)

    assert vendor.status_code == 200 and "Entwurf" in vendor["Content-Disposition"]
    assert party.status_code == 404
