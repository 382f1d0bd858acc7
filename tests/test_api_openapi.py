"""The OpenAPI document: valid, served, and every operation in it exercised here.

``CALLS`` holds one authorised call per operation. The parametrized tests run over the
operations *in the document*, so an endpoint added without an entry here fails the suite.
"""

import datetime
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from partnerdesk.accounts.actions import api_token_create
from partnerdesk.api import api
from partnerdesk.billing import actions as billing_actions
from partnerdesk.contracts.models import ServiceType
from partnerdesk.efforts import actions as effort_actions
from partnerdesk.tickets import actions as ticket_actions
from partnerdesk.tickets.models import Priority
from tests.tickets_helpers import check_ticket, file_ticket

DOCUMENT = json.loads(json.dumps(api.get_openapi_schema()))  # as served: string keys
OPERATIONS = sorted(
    (method.upper(), path)
    for path, methods in DOCUMENT["paths"].items()
    for method in methods
    if method in ("get", "post", "put", "patch", "delete")
)
WITH_ID = [operation for operation in OPERATIONS if "{" in operation[1]]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _ids(operations):
    return [f"{method} {path}" for method, path in operations]


def _list_tokens(world, client):
    api_token_create(acting_user=world.cs_agent, name="Alt")
    return client.get("/api/v1/me/tokens/")


def _revoke_token(world, client):
    issued = api_token_create(acting_user=world.cs_agent, name="Alt")
    return client.delete(f"/api/v1/me/tokens/{issued.token.pk}")


def _file_ticket_again(world, client):
    """Files with an Idempotency-Key and repeats it: the documented 200 of a replay."""
    body = {
        "customer_id": world.customer.pk,
        "order_id": world.partnership_order.pk,
        "title": "Export bricht ab",
        "description": "Seit dem Update **bricht** der Export ab.",
        "priority": "urgent",
    }
    first = client.post(
        "/api/v1/tickets/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert first.status_code == 201, first.content
    assert_matches_documented_response("POST", "/api/v1/tickets/", first)
    return client.post(
        "/api/v1/tickets/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1"
    )


def _ticket_url(ticket, suffix=""):
    return f"/api/v1/tickets/{ticket.number}{suffix}"


def _on_new_ticket(suffix, body=None, **filing):
    """A call on a freshly filed ticket; ``body(ticket)`` gives the JSON to post."""

    def call(world, client):
        ticket = file_ticket(world, **filing)
        if body is None:
            return client.get(_ticket_url(ticket, suffix))
        return client.post(
            _ticket_url(ticket, suffix), body(world, ticket), content_type="application/json"
        )

    return call


def _on_checked_ticket(suffix, body, step=None):
    """A POST on a checked ticket, after an optional ``step(world, ticket)`` by actions."""

    def call(world, client):
        ticket = check_ticket(world, file_ticket(world))
        if step is not None:
            ticket = step(world, ticket)
        return client.post(
            _ticket_url(ticket, suffix), body(world, ticket), content_type="application/json"
        )

    return call


def _asked(world, ticket):
    return ticket_actions.ticket_ask(
        acting_user=world.cs_agent,
        ticket=ticket,
        version=ticket.version,
        person=world.employee,
        question="Welche Version?",
    )


def _solved(world, ticket):
    return ticket_actions.ticket_propose_solution(
        acting_user=world.cs_agent, ticket=ticket, version=ticket.version, solution="Patch 4711"
    )


def _attach_file(world, client):
    ticket = file_ticket(world)
    upload = SimpleUploadedFile("log.txt", b"Fehler 42", content_type="text/plain")
    return client.post(_ticket_url(ticket, "/attachments"), {"file": upload, "internal": "true"})


def _with_attachment(download):
    def call(world, client):
        ticket = file_ticket(world)
        upload = SimpleUploadedFile("log.txt", b"Fehler 42", content_type="text/plain")
        attachment = ticket_actions.ticket_attach(
            acting_user=world.employee, ticket=ticket, upload=upload
        )
        suffix = f"/attachments/{attachment.pk}" if download else "/attachments"
        return client.get(_ticket_url(ticket, suffix))

    return call


def _in_a_week():
    return (timezone.localdate() + datetime.timedelta(days=7)).isoformat()


def _booking(world, *, by=None):
    """90 minutes by the CS agent on a fresh ticket of the partnership order (partner-billed)."""
    return effort_actions.booking_create(
        acting_user=by or world.cs_agent,
        ticket=file_ticket(world),
        day=timezone.localdate(),
        minutes=90,
        activity=ServiceType.objects.get(code="analyse"),
        text="Logs analysiert",
        internal_text="Kunde ungeduldig",
    )


def _query(world):
    return effort_actions.booking_query_open(
        acting_user=world.employee, booking=_booking(world), reason="Zu lang"
    )


def _invoice(world, *, issued):
    """The partner's invoice of this month, issued or a draft."""
    _booking(world)
    (invoice,) = billing_actions.invoice_run(
        acting_user=world.cs_responsible, month=timezone.localdate()
    )
    if issued:
        invoice = billing_actions.invoice_issue(
            acting_user=world.cs_responsible, invoice=invoice, version=invoice.version
        )
    return invoice


def _on_booking(call):
    def run(world, client):
        return call(client, _booking(world))

    return run


def _on_invoice(suffix, *, issued=True, body=None):
    def run(world, client):
        invoice = _invoice(world, issued=issued)
        url = f"/api/v1/invoices/{invoice.pk}{suffix}"
        if body is None:
            return client.get(url)
        return client.post(url, body(invoice), content_type="application/json")

    return run


# (method, path) -> (persona, call(world, client) -> response): one authorised call each.
CALLS = {
    ("GET", "/api/v1/organisations/"): (
        "coordinator",
        lambda world, client: client.get("/api/v1/organisations/", {"kind": "partner"}),
    ),
    ("GET", "/api/v1/organisations/{organisation_id}"): (
        "coordinator",
        lambda world, client: client.get(f"/api/v1/organisations/{world.partner.pk}"),
    ),
    ("GET", "/api/v1/contracts/"): (
        "customer_contact",
        lambda world, client: client.get("/api/v1/contracts/", {"valid_on": "2026-06-01"}),
    ),
    ("GET", "/api/v1/contracts/{contract_id}"): (
        "customer_contact",
        lambda world, client: client.get(f"/api/v1/contracts/{world.contract.pk}"),
    ),
    ("GET", "/api/v1/orders/"): (
        "employee",
        lambda world, client: client.get("/api/v1/orders/", {"kind": "lead"}),
    ),
    ("GET", "/api/v1/orders/{order_id}"): (
        "employee",
        lambda world, client: client.get(f"/api/v1/orders/{world.engagement.pk}"),
    ),
    ("GET", "/api/v1/me/"): ("cs_agent", lambda world, client: client.get("/api/v1/me/")),
    ("GET", "/api/v1/me/tokens/"): ("cs_agent", _list_tokens),
    ("POST", "/api/v1/me/tokens/"): (
        "cs_agent",
        lambda world, client: client.post(
            "/api/v1/me/tokens/", {"name": "Skript"}, content_type="application/json"
        ),
    ),
    ("DELETE", "/api/v1/me/tokens/{token_id}"): ("cs_agent", _revoke_token),
    ("POST", "/api/v1/tickets/"): ("employee", _file_ticket_again),
    ("GET", "/api/v1/tickets/"): (
        "cs_agent",
        lambda world, client: (
            file_ticket(world),
            client.get("/api/v1/tickets/", {"queue": "team", "open": "true"}),
        )[1],
    ),
    ("GET", "/api/v1/tickets/{number}"): ("customer_contact", _on_new_ticket("")),
    ("GET", "/api/v1/tickets/{number}/journal"): ("coordinator", _on_new_ticket("/journal")),
    ("POST", "/api/v1/tickets/{number}/comments"): (
        "cs_agent",
        _on_new_ticket("/comments", lambda world, ticket: {"text": "Intern", "internal": True}),
    ),
    ("POST", "/api/v1/tickets/{number}/check"): (
        "cs_agent",
        _on_new_ticket(
            "/check",
            lambda world, ticket: {
                "version": ticket.version,
                "next_steps": "Logs analysieren.",
                "estimated_resolution_on": _in_a_week(),
                "responsible_person_id": world.expert.pk,
            },
        ),
    ),
    ("POST", "/api/v1/tickets/{number}/estimate"): (
        "cs_responsible",
        _on_checked_ticket(
            "/estimate",
            lambda world, ticket: {
                "version": ticket.version,
                "estimated_resolution_on": _in_a_week(),
                "reason": "Hersteller-Patch kommt später.",
            },
        ),
    ),
    ("POST", "/api/v1/tickets/{number}/hand-over"): (
        "cs_agent",
        _on_checked_ticket(
            "/hand-over",
            lambda world, ticket: {
                "version": ticket.version,
                "phase": "expert",
                "person_id": world.expert.pk,
                "comment": "Bitte DB prüfen.",
            },
        ),
    ),
    ("POST", "/api/v1/tickets/{number}/question"): (
        "cs_agent",
        _on_checked_ticket(
            "/question",
            lambda world, ticket: {
                "version": ticket.version,
                "person_id": world.customer_contact.pk,
                "question": "Seit wann?",
            },
        ),
    ),
    ("POST", "/api/v1/tickets/{number}/answer"): (
        "employee",
        _on_checked_ticket(
            "/answer", lambda world, t: {"version": t.version, "answer": "26.3"}, _asked
        ),
    ),
    ("POST", "/api/v1/tickets/{number}/solution"): (
        "cs_agent",
        _on_checked_ticket(
            "/solution", lambda world, t: {"version": t.version, "solution": "Patch 4711"}
        ),
    ),
    ("POST", "/api/v1/tickets/{number}/confirm"): (
        "employee",
        _on_checked_ticket("/confirm", lambda world, t: {"version": t.version}, _solved),
    ),
    ("POST", "/api/v1/tickets/{number}/reopen"): (
        "employee",
        _on_checked_ticket(
            "/reopen", lambda world, t: {"version": t.version, "reason": "Bleibt"}, _solved
        ),
    ),
    ("POST", "/api/v1/tickets/{number}/coverage"): (
        "cs_agent",
        _on_checked_ticket(
            "/coverage",
            lambda world, t: {"version": t.version, "coverage": "howto", "reason": "How-to"},
        ),
    ),
    ("POST", "/api/v1/tickets/{number}/escalate"): (
        "coordinator",
        _on_new_ticket(
            "/escalate",
            lambda world, t: {"version": t.version, "reason": "Produktion steht"},
            priority=Priority.URGENT,
        ),
    ),
    ("POST", "/api/v1/tickets/{number}/meetings"): (
        "project_lead",
        _on_new_ticket(
            "/meetings",
            lambda world, t: {
                "starts_at": "2026-12-01T10:00:00+01:00",
                "participants": "Claudia Koordinatorin, Project Lead BSI",
                "link": "https://meet.example/abc",
            },
        ),
    ),
    ("GET", "/api/v1/tickets/{number}/attachments"): ("employee", _with_attachment(False)),
    ("POST", "/api/v1/tickets/{number}/attachments"): ("cs_agent", _attach_file),
    ("GET", "/api/v1/tickets/{number}/attachments/{attachment_id}"): (
        "customer_contact",
        _with_attachment(True),
    ),
    ("POST", "/api/v1/tickets/{number}/bookings"): (
        "cs_agent",
        lambda world, client: client.post(
            _ticket_url(file_ticket(world), "/bookings"),
            {
                "day": timezone.localdate().isoformat(),
                "duration": "1:30",
                "activity": "analyse",
                "text": "Logs analysiert",
                "internal_text": "Kunde ungeduldig",
            },
            content_type="application/json",
        ),
    ),
    ("GET", "/api/v1/bookings/"): (
        "cs_agent",
        lambda world, client: (_booking(world), client.get("/api/v1/bookings/", {"person": "me"}))[
            1
        ],
    ),
    ("GET", "/api/v1/bookings/{booking_id}"): (
        "coordinator",
        _on_booking(lambda client, booking: client.get(f"/api/v1/bookings/{booking.pk}")),
    ),
    ("PATCH", "/api/v1/bookings/{booking_id}"): (
        "cs_agent",
        _on_booking(
            lambda client, booking: client.patch(
                f"/api/v1/bookings/{booking.pk}",
                {"version": booking.version, "duration": "2h"},
                content_type="application/json",
            )
        ),
    ),
    ("DELETE", "/api/v1/bookings/{booking_id}"): (
        "cs_agent",
        _on_booking(
            lambda client, booking: client.delete(
                f"/api/v1/bookings/{booking.pk}?version={booking.version}"
            )
        ),
    ),
    ("POST", "/api/v1/bookings/{booking_id}/queries"): (
        "employee",
        _on_booking(
            lambda client, booking: client.post(
                f"/api/v1/bookings/{booking.pk}/queries",
                {"reason": "Das dauerte keine 90 Minuten."},
                content_type="application/json",
            )
        ),
    ),
    ("GET", "/api/v1/queries/"): (
        "cs_responsible",
        lambda world, client: (_query(world), client.get("/api/v1/queries/", {"status": "open"}))[
            1
        ],
    ),
    ("GET", "/api/v1/queries/{query_id}"): (
        "coordinator",
        lambda world, client: client.get(f"/api/v1/queries/{_query(world).pk}"),
    ),
    ("POST", "/api/v1/queries/{query_id}/resolve"): (
        "cs_responsible",
        lambda world, client: client.post(
            f"/api/v1/queries/{_query(world).pk}/resolve",
            {"outcome": "corrected", "reason": "Stimmt, 1 Stunde.", "corrected_duration": "1h"},
            content_type="application/json",
        ),
    ),
    ("GET", "/api/v1/orders/{order_id}/budget"): (
        "coordinator",
        lambda world, client: client.get(f"/api/v1/orders/{world.lead_order.pk}/budget"),
    ),
    ("POST", "/api/v1/orders/{order_id}/approval"): (
        "sales",
        lambda world, client: client.post(
            f"/api/v1/orders/{world.lead_order.pk}/approval",
            {"approved_free_hours": "30", "reason": "Grosses Potenzial"},
            content_type="application/json",
        ),
    ),
    ("POST", "/api/v1/invoice-runs"): (
        "cs_responsible",
        lambda world, client: (
            _booking(world),
            client.post(
                "/api/v1/invoice-runs",
                {"month": f"{timezone.localdate():%Y-%m}"},
                content_type="application/json",
            ),
        )[1],
    ),
    ("GET", "/api/v1/invoices/"): (
        "coordinator",
        lambda world, client: (_invoice(world, issued=True), client.get("/api/v1/invoices/"))[1],
    ),
    ("GET", "/api/v1/invoices/{invoice_id}"): ("coordinator", _on_invoice("")),
    ("GET", "/api/v1/invoices/{invoice_id}/lines"): ("coordinator", _on_invoice("/lines")),
    ("POST", "/api/v1/invoices/{invoice_id}/issue"): (
        "cs_responsible",
        _on_invoice("/issue", issued=False, body=lambda invoice: {"version": invoice.version}),
    ),
    ("GET", "/api/v1/invoices/{invoice_id}/workbook"): ("coordinator", _on_invoice("/workbook")),
}


def _operation(method, path):
    return DOCUMENT["paths"][path][method.lower()]


def _success_status(operation):
    return min(int(status) for status in operation["responses"] if status.startswith("2"))


def _concrete(path):
    return re.sub(r"\{[^}]+\}", "1", path)


def assert_matches_documented_response(method, path, response):
    """The response's status is documented and its body validates against that schema."""
    responses = _operation(method, path)["responses"]
    assert str(response.status_code) in responses, (method, path, response.status_code)
    content = responses[str(response.status_code)].get("content")
    if content is None:
        assert response.content == b""
        return
    if "application/json" not in content:  # a file download
        assert response.streaming
        assert response["Content-Disposition"].startswith("attachment")
        return
    schema = {**content["application/json"]["schema"], "components": DOCUMENT["components"]}
    Draft202012Validator(schema).validate(response.json())


def _example(schema):
    """The smallest value that ``schema`` accepts: required properties only."""
    if "$ref" in schema:
        schema = DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in schema:
        return _example(next(s for s in schema["anyOf"] if s.get("type") != "null"))
    if "enum" in schema:
        return schema["enum"][-1]
    kind, fmt = schema.get("type"), schema.get("format")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: _example(properties[name]) for name in schema.get("required", [])}
    if fmt == "binary":
        return SimpleUploadedFile("a.txt", b"a")
    if fmt == "date-time":
        return "2099-01-01T10:00:00+01:00"
    if fmt == "date":
        return "2099-01-01"
    return {"integer": 1, "number": 1, "boolean": False}.get(kind, "x")


def test_it_serves_a_valid_openapi_document(db):
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    served = response.json()
    validate(served)
    assert served == DOCUMENT


def test_it_documents_every_operation_with_a_description_and_its_errors():
    for method, path in OPERATIONS:
        operation = _operation(method, path)
        assert operation.get("description"), (method, path)
        assert "401" in operation["responses"], (method, path)
        if "{" in path:
            assert "404" in operation["responses"], (method, path)


def test_it_serves_the_docs_page_without_inline_scripts(db):
    response = Client().get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag


def test_it_has_no_stale_entries_in_the_coverage_table():
    assert set(CALLS) <= set(OPERATIONS)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=_ids(OPERATIONS))
def test_it_answers_every_operation_as_documented(world, client_for, method, path):
    assert (method, path) in CALLS, f"{method} {path} has no test: add it to CALLS"
    persona, call = CALLS[(method, path)]

    response = call(world, client_for(world.persona(persona)))

    assert response.status_code == _success_status(_operation(method, path)), response.content
    assert_matches_documented_response(method, path, response)
    if not response.streaming and response.content:
        body = response.json()
        assert body.get("items", True), "the call should return data, not an empty list"


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=_ids(OPERATIONS))
def test_it_refuses_anonymous_callers_on_every_operation(db, method, path):
    response = Client().generic(method, _concrete(path), "{}", content_type="application/json")

    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication required.", "code": "not_authenticated"}
    assert_matches_documented_response(method, path, response)


@pytest.mark.parametrize(("method", "path"), WITH_ID, ids=_ids(WITH_ID))
def test_it_answers_unknown_ids_with_the_documented_404(world, client_for, method, path):
    url = re.sub(r"\{[^}]+\}", "999999", path)
    client = client_for(world.admin)
    body = _operation(method, path).get("requestBody", {}).get("content", {})
    if "application/json" in body:  # a valid body, so that the id is what is refused
        data = json.dumps(_example(body["application/json"]["schema"]))
        response = client.generic(method, url, data, content_type="application/json")
    elif "multipart/form-data" in body:
        response = client.post(url, _example(body["multipart/form-data"]["schema"]))
    else:
        response = client.generic(method, url)

    assert response.status_code == 404
    assert_matches_documented_response(method, path, response)


def test_it_answers_invalid_input_with_the_documented_422(world, client_for):
    response = client_for(world.admin).get("/api/v1/contracts/", {"valid_on": "notadate"})

    assert response.status_code == 422
    assert_matches_documented_response("GET", "/api/v1/contracts/", response)
