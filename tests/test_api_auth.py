"""Authentication of the API: session (with CSRF on writes) or personal token (without)."""

from django.test import Client

from partnerdesk.accounts.actions import api_token_create
from partnerdesk.accounts.models import ApiToken


def _session_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _create(client, **extra):
    return client.post(
        "/api/v1/me/tokens/", {"name": "Skript"}, content_type="application/json", **extra
    )


def test_it_refuses_a_session_post_without_the_csrf_token(world):
    response = _create(_session_client(world.coordinator))

    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF check failed.", "code": "csrf_failed"}
    assert not ApiToken.objects.exists()


def test_it_refuses_a_session_delete_without_the_csrf_token(world):
    issued = api_token_create(acting_user=world.coordinator, name="Skript")

    response = _session_client(world.coordinator).delete(f"/api/v1/me/tokens/{issued.token.pk}")

    assert response.status_code == 403
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None


def test_it_accepts_a_session_post_with_the_csrf_token(world):
    client = _session_client(world.coordinator)
    client.get("/api/v1/docs")  # the docs page sets the CSRF cookie, as in a browser
    csrf_token = client.cookies["csrftoken"].value

    response = _create(client, HTTP_X_CSRFTOKEN=csrf_token)

    assert response.status_code == 201
    assert ApiToken.objects.get().user == world.coordinator


def test_it_reads_with_a_session_without_the_csrf_token(world):
    assert _session_client(world.coordinator).get("/api/v1/me/").status_code == 200


def test_it_accepts_a_token_post_without_csrf(world):
    issued = api_token_create(acting_user=world.employee, name="CI")
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {issued.raw}")

    response = _create(client)

    assert response.status_code == 201
    assert ApiToken.objects.filter(user=world.employee, name="Skript").exists()
    delete = client.delete(f"/api/v1/me/tokens/{response.json()['id']}")
    assert delete.status_code == 204


def test_it_refuses_an_unknown_token_even_beside_a_valid_session(world):
    client = _session_client(world.coordinator)

    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION="Bearer pd_not-a-token")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_it_refuses_tokens_of_deactivated_people(world):
    issued = api_token_create(acting_user=world.employee, name="CI")
    world.employee.is_active = False
    world.employee.save(update_fields=["is_active"])

    response = Client(HTTP_AUTHORIZATION=f"Bearer {issued.raw}").get("/api/v1/me/")

    assert response.status_code == 401


def test_it_refuses_anonymous_posts_with_401_not_a_csrf_error(db):
    response = _create(Client(enforce_csrf_checks=True))

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_it_scopes_token_callers_like_session_callers(world):
    issued = api_token_create(acting_user=world.outsider_customer, name="CI")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issued.raw}")

    assert client.get(f"/api/v1/contracts/{world.contract.pk}").status_code == 404
    assert client.get(f"/api/v1/organisations/{world.partner.pk}").status_code == 404
    assert client.get("/api/v1/orders/").json()["count"] == 0
    ids = {item["id"] for item in client.get("/api/v1/organisations/").json()["items"]}
    assert ids == {world.vendor.pk, world.other_customer.pk, world.other_partner.pk}
