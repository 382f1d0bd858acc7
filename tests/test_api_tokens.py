"""/api/v1/me/tokens/: personal API tokens, created once-shown, stored hashed, revocable."""

import datetime

import pytest
import time_machine
from django.test import Client

from partnerdesk.accounts.actions import api_token_create
from partnerdesk.accounts.models import ApiToken, hash_token


def _bearer(raw):
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {raw}")


def _create(client, name="Skript"):
    return client.post("/api/v1/me/tokens/", {"name": name}, content_type="application/json")


def test_it_creates_a_token_shown_once_and_stored_hashed(world, client_for):
    response = _create(client_for(world.coordinator), "Reporting")

    assert response.status_code == 201
    body = response.json()
    raw = body["token"]
    assert raw.startswith("pd_")
    token = ApiToken.objects.get()
    assert token.user == world.coordinator
    assert token.name == "Reporting"
    assert token.token_hash == hash_token(raw)
    assert raw not in (token.token_hash, token.hint, token.name)
    assert raw[3:].startswith(token.hint)
    assert body == {
        "id": token.pk,
        "name": "Reporting",
        "hint": token.hint,
        "created_at": body["created_at"],
        "last_used_at": None,
        "revoked_at": None,
        "token": raw,
    }

    listed = client_for(world.coordinator).get("/api/v1/me/tokens/").json()
    assert listed["count"] == 1
    assert "token" not in listed["items"][0]
    assert raw not in str(listed)


def test_it_authenticates_with_the_token_until_it_is_revoked(world, client_for):
    raw = _create(client_for(world.employee)).json()["token"]
    client = _bearer(raw)

    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["email"] == "mitarbeiter@alpina.test"
    assert client.get("/api/v1/orders/").json()["count"] == 3  # scoped like the session
    token = ApiToken.objects.get()
    assert token.last_used_at is not None

    revoked = client.delete(f"/api/v1/me/tokens/{token.pk}")
    assert revoked.status_code == 204
    assert revoked.content == b""
    token.refresh_from_db()
    assert token.revoked_at is not None

    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_it_lists_only_the_callers_tokens_newest_first(world, client_for):
    with time_machine.travel(datetime.datetime(2026, 11, 1, 9, tzinfo=datetime.UTC)):
        api_token_create(acting_user=world.coordinator, name="alt")
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC)):
        api_token_create(acting_user=world.coordinator, name="neu")
    api_token_create(acting_user=world.outsider_partner, name="fremd")

    response = client_for(world.coordinator).get("/api/v1/me/tokens/")

    assert [item["name"] for item in response.json()["items"]] == ["neu", "alt"]
    assert client_for(world.employee).get("/api/v1/me/tokens/").json() == {
        "items": [],
        "count": 0,
    }


def test_it_lists_tokens_in_a_fixed_number_of_queries(world, client_for, django_assert_num_queries):
    client = client_for(world.cs_agent)
    client.get("/api/v1/me/tokens/")

    with django_assert_num_queries(4):  # session, user, count, page
        client.get("/api/v1/me/tokens/")
    for number in range(12):
        api_token_create(acting_user=world.cs_agent, name=f"Skript {number}")
    with django_assert_num_queries(4):
        response = client.get("/api/v1/me/tokens/")

    assert response.json()["count"] == 12


def test_it_does_not_let_anyone_revoke_someone_elses_token(world, client_for):
    issued = api_token_create(acting_user=world.coordinator, name="Skript")

    for intruder in (world.outsider_partner, world.employee, world.admin):
        response = client_for(intruder).delete(f"/api/v1/me/tokens/{issued.token.pk}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"

    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None
    assert _bearer(issued.raw).get("/api/v1/me/").status_code == 200


def test_it_revokes_twice_without_complaint(world, client_for):
    issued = api_token_create(acting_user=world.coordinator, name="Skript")
    client = client_for(world.coordinator)

    assert client.delete(f"/api/v1/me/tokens/{issued.token.pk}").status_code == 204
    first = ApiToken.objects.get().revoked_at
    assert client.delete(f"/api/v1/me/tokens/{issued.token.pk}").status_code == 204
    assert ApiToken.objects.get().revoked_at == first


def test_it_answers_not_found_for_an_unknown_token(world, client_for):
    assert client_for(world.coordinator).delete("/api/v1/me/tokens/4711").status_code == 404


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"name": "   "}, "Bitte geben Sie eine Bezeichnung an."),
        ({"name": "x" * 101}, None),
        ({}, None),
        ({"name": None}, None),
    ],
)
def test_it_refuses_a_bad_token_name_and_creates_nothing(world, client_for, payload, message):
    response = client_for(world.coordinator).post(
        "/api/v1/me/tokens/", payload, content_type="application/json"
    )

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert list(body["errors"]) == ["name"]
    if message:
        assert body["errors"]["name"] == [message]
    assert not ApiToken.objects.exists()


def test_it_refuses_a_second_active_token_with_the_same_name(world, client_for):
    client = client_for(world.coordinator)
    _create(client, "Skript")

    response = _create(client, "Skript")

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["name"]
    assert ApiToken.objects.count() == 1


def test_it_refuses_a_body_that_is_not_json(world, client_for):
    response = client_for(world.coordinator).post(
        "/api/v1/me/tokens/", "{name", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
    assert not ApiToken.objects.exists()
