"""Invoice pages: the monthly run, the list, an invoice, issuing and the Excel download;
who sees which invoice (drafts and other parties' invoices are 404), and query counts."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from partnerdesk.billing.actions import invoice_issue, invoice_run
from partnerdesk.billing.models import Invoice, InvoiceStatus
from partnerdesk.contracts.models import ServiceType
from partnerdesk.efforts import actions
from tests.tickets_helpers import check_ticket, file_ticket

pytestmark = pytest.mark.django_db
LIST = reverse("billing:invoice_list")
RUN = reverse("billing:invoice_run")


def last_month() -> datetime.date:
    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def book(world, ticket, *, minutes=90, day=None, text="Analyse Export"):
    return actions.booking_create(
        acting_user=world.cs_agent,
        ticket=ticket,
        day=day or last_month() + datetime.timedelta(days=3),
        minutes=minutes,
        activity=ServiceType.objects.get(code="analyse"),
        text=text,
    )


def body(response) -> str:
    return response.content.decode()


def detail_url(invoice) -> str:
    return reverse("billing:invoice_detail", args=[invoice.pk])


def workbook_url(invoice) -> str:
    return reverse("billing:invoice_workbook", args=[invoice.pk])


def partner_invoice(world, *, issue=True) -> Invoice:
    book(world, check_ticket(world, file_ticket(world)), text="Für den Partner")
    (invoice,) = invoice_run(acting_user=world.cs_responsible, month=last_month())
    if issue:
        invoice = invoice_issue(
            acting_user=world.cs_responsible, invoice=invoice, version=invoice.version
        )
    return invoice


def test_it_sends_anonymous_visitors_to_the_login(client, world):
    invoice = partner_invoice(world)
    for url in (LIST, detail_url(invoice), workbook_url(invoice)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{reverse('accounts:login')}?next=")
    assert client.post(RUN, {"month": f"{last_month():%Y-%m}"}).status_code == 302
    assert client.post(reverse("billing:invoice_issue", args=[invoice.pk])).status_code == 302


def test_it_runs_a_month_for_the_cs_responsible(client_for, world):
    book(world, check_ticket(world, file_ticket(world)), minutes=90)
    book(world, check_ticket(world, file_ticket(world, by=world.customer_contact)), minutes=60)
    client = client_for(world.cs_responsible)
    page = body(client.get(LIST))
    assert 'data-testid="run-form"' in page and f'value="{last_month():%Y-%m}"' in page
    response = client.post(RUN, {"month": f"{last_month():%Y-%m}"})
    assert response.status_code == 302
    assert "2 Rechnungsentwürfe" in body(client.get(response["Location"]))
    invoices = {i.party: i for i in Invoice.objects.all()}
    assert invoices[world.partner].total == Decimal("240.00")
    assert invoices[world.customer].total == Decimal("170.00")
    # twice: nothing new
    client.post(RUN, {"month": f"{last_month():%Y-%m}"})
    assert Invoice.objects.count() == 2
    assert sum(i.lines.count() for i in Invoice.objects.all()) == 2


def test_it_refuses_a_run_by_a_cs_agent_and_for_a_future_month(client_for, world):
    book(world, check_ticket(world, file_ticket(world)))
    response = client_for(world.cs_agent).post(RUN, {"month": f"{last_month():%Y-%m}"})
    assert response.status_code == 403
    assert "CS-Verantwortliche" in body(response)
    assert 'data-testid="run-form"' not in body(client_for(world.cs_agent).get(LIST))
    future = timezone.localdate().replace(day=1) + datetime.timedelta(days=40)
    response = client_for(world.cs_responsible).post(RUN, {"month": f"{future:%Y-%m}"})
    assert response.status_code == 422 and "künftiger Monat" in body(response)
    response = client_for(world.cs_responsible).post(RUN, {"month": "junk"})
    assert response.status_code == 400 and "JJJJ-MM" in body(response)
    assert not Invoice.objects.exists()


def test_it_issues_a_draft_with_its_version(client_for, world):
    invoice = partner_invoice(world, issue=False)
    client = client_for(world.cs_responsible)
    page = body(client.get(detail_url(invoice)))
    assert "Rechnungsentwurf" in page and "Für den Partner" in page and "Stadtwerke Seeland" in page
    assert 'data-testid="issue-form"' in page
    url = reverse("billing:invoice_issue", args=[invoice.pk])
    response = client.post(url, {"version": invoice.version - 1 or 99})
    assert response.status_code == 409 and "inzwischen geändert" in body(response)
    response = client.post(url, {"version": invoice.version})
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED and re.fullmatch(r"R-\d{4}-0001", invoice.number)
    page = body(client.get(detail_url(invoice)))
    assert f"Rechnung {invoice.number}" in page and "issue-form" not in page
    assert client_for(world.cs_agent).post(url, {"version": invoice.version}).status_code in (
        403,
        422,
    )


def test_it_refuses_issuing_by_a_cs_agent(client_for, world):
    invoice = partner_invoice(world, issue=False)
    assert 'data-testid="issue-form"' not in body(
        client_for(world.cs_agent).get(detail_url(invoice))
    )
    response = client_for(world.cs_agent).post(
        reverse("billing:invoice_issue", args=[invoice.pk]), {"version": invoice.version}
    )
    assert response.status_code == 403
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.DRAFT


def test_it_shows_partners_only_their_issued_invoices(client_for, world):
    draft = partner_invoice(world, issue=False)
    client = client_for(world.coordinator)
    assert draft.number is None
    assert client.get(detail_url(draft)).status_code == 404
    assert client.get(workbook_url(draft)).status_code == 404
    assert f'data-invoice="{draft.pk}"' not in body(client.get(LIST))
    issued = invoice_issue(acting_user=world.cs_responsible, invoice=draft, version=draft.version)
    page = body(client.get(LIST))
    assert issued.number in page and "run-form" not in page
    page = body(client.get(detail_url(issued)))
    assert issued.number in page and "240.00" in page and "issue-form" not in page
    for outsider in ("outsider_partner", "outsider_customer", "customer_contact"):
        other = client_for(world.persona(outsider))
        assert other.get(detail_url(issued)).status_code == 404
        assert other.get(workbook_url(issued)).status_code == 404
        assert issued.number not in body(other.get(LIST))


def test_it_shows_a_customer_its_direct_invoice_and_workbook(client_for, world):
    ticket = check_ticket(world, file_ticket(world, by=world.customer_contact))
    book(world, ticket, minutes=60, text="Direkt")
    (invoice,) = invoice_run(acting_user=world.cs_responsible, month=last_month())
    invoice = invoice_issue(
        acting_user=world.cs_responsible, invoice=invoice, version=invoice.version
    )
    client = client_for(world.customer_contact)
    assert invoice.number in body(client.get(LIST))
    response = client.get(workbook_url(invoice))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [c for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row]
    assert "Direkt" in cells
    assert client_for(world.coordinator).get(workbook_url(invoice)).status_code == 404


def test_it_filters_invoices_by_month_and_status(client_for, world):
    issued = partner_invoice(world)
    client = client_for(world.cs_responsible)
    assert issued.number in body(client.get(LIST, {"status": "issued"}))
    assert issued.number not in body(client.get(LIST, {"status": "draft"}))
    assert issued.number not in body(client.get(LIST, {"month": "2020-01"}))
    assert issued.number in body(client.get(LIST, {"month": f"{last_month():%Y-%m}"}))


def test_it_lists_invoices_in_a_fixed_number_of_queries(
    client_for, world, django_assert_num_queries
):
    for index in range(3):
        ticket = check_ticket(world, file_ticket(world, title=f"P{index}"))
        book(world, ticket, minutes=30 + index)
        book(world, check_ticket(world, file_ticket(world, by=world.customer_contact)), minutes=20)
    invoice_run(acting_user=world.cs_responsible, month=last_month())
    client = client_for(world.cs_responsible)
    # session, person, organisation, roles (navigation and may bill), count, page, runs
    with django_assert_num_queries(7):
        assert client.get(LIST).status_code == 200


def test_it_shows_an_invoice_in_a_fixed_number_of_queries(
    client_for, world, django_assert_num_queries
):
    for index in range(6):
        ticket = check_ticket(world, file_ticket(world, title=f"P{index}"))
        book(world, ticket, minutes=30 + index)
    (invoice,) = invoice_run(acting_user=world.cs_responsible, month=last_month())
    client = client_for(world.cs_responsible)
    # session, person, organisation, roles, invoice, customers, totals, count, lines
    with django_assert_num_queries(9):
        assert client.get(detail_url(invoice)).status_code == 200
