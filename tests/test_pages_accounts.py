"""Log-in, log-out, the overview per role, the language switch, password reset, API tokens."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from partnerdesk.accounts.actions import api_token_authenticate
from partnerdesk.accounts.models import ApiToken
from partnerdesk.parties.actions import person_create
from partnerdesk.parties.models import Role, User
from tests.conftest import PERSONAS
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
HOME = reverse("accounts:home")
TOKENS = reverse("accounts:tokens")
SET_LANGUAGE = reverse("accounts:set_language")


def nav_keys(response) -> list[str]:
    return re.findall(r'data-nav="([a-z_]+)"', response.content.decode())


# ---- anonymous visitors ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        HOME,
        TOKENS,
        reverse("parties:organisation_list"),
        reverse("parties:organisation_detail", args=[1]),
        reverse("contracts:contract_list"),
        reverse("contracts:contract_detail", args=[1]),
        reverse("contracts:order_list"),
        reverse("contracts:order_detail", args=[1]),
    ],
)
def test_it_sends_anonymous_visitors_to_the_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={url}"


def test_it_shows_the_login_page_in_german_by_default(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="de-ch">' in body
    assert "Anmelden" in body
    assert "Passwort vergessen?" in body
    assert 'name="language" value="en"' in body  # the switch works before logging in


def test_it_sends_no_inline_scripts(client):
    response = client.get(LOGIN)
    body = response.content.decode()
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", body, flags=re.S)
    assert scripts and all(content.strip() == "" for content in scripts)
    assert not re.search(r"\son[a-z]+=", body)


# ---- log-in and log-out -------------------------------------------------------------------


def test_it_logs_in_with_email_and_password_and_lands_on_the_overview(client, world):
    response = client.post(LOGIN, {"username": "KOORDINATION@alpina.test", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == HOME
    assert client.session["_auth_user_id"] == str(world.coordinator.pk)
    page = client.get(HOME)
    assert "Alpina Solutions AG" in page.content.decode()


def test_it_refuses_a_wrong_password_with_a_message(client, world):
    response = client.post(LOGIN, {"username": world.coordinator.email, "password": "falsch"})
    assert response.status_code == 200
    assert "E-Mail oder Passwort stimmen nicht." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_refuses_an_inactive_person(client, world):
    User.objects.filter(pk=world.employee.pk).update(is_active=False)
    response = client.post(LOGIN, {"username": world.employee.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_it_follows_a_safe_next_and_ignores_a_foreign_one(client, world):
    contracts = reverse("contracts:contract_list")
    response = client.post(
        LOGIN, {"username": world.cs_agent.email, "password": PASSWORD, "next": contracts}
    )
    assert response["Location"] == contracts
    client.logout()
    response = client.post(
        LOGIN,
        {"username": world.cs_agent.email, "password": PASSWORD, "next": "https://evil.test/"},
    )
    assert response["Location"] == HOME


def test_it_gives_a_person_their_language_after_login(client, world):
    User.objects.filter(pk=world.employee.pk).update(language="en")
    response = client.post(LOGIN, {"username": world.employee.email, "password": PASSWORD})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(HOME)
    body = page.content.decode()
    assert '<html lang="en">' in body
    assert ">Overview<" in body
    assert "Log out" in body


def test_it_logs_out_with_post_only(client_for, world):
    client = client_for(world.employee)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"), follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    assert "Sie sind abgemeldet." in response.content.decode()
    assert client.get(HOME).status_code == 302


def test_it_sends_a_logged_in_person_from_the_login_page_home(client_for, world):
    response = client_for(world.employee).get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == HOME


# ---- navigation per role ------------------------------------------------------------------

EXPECTED_NAVIGATION = {
    "cs_agent": [
        "home",
        "queue",
        "tickets",
        "partners",
        "customers",
        "contracts",
        "orders",
        "efforts",
        "tokens",
    ],
    "cs_responsible": [
        "home",
        "queue",
        "tickets",
        "partners",
        "customers",
        "contracts",
        "orders",
        "efforts",
        "queries",
        "invoices",
        "tokens",
    ],
    "expert": [
        "home",
        "queue",
        "tickets",
        "partners",
        "customers",
        "contracts",
        "orders",
        "efforts",
        "tokens",
    ],
    "project_lead": [
        "home",
        "queue",
        "tickets",
        "partners",
        "customers",
        "contracts",
        "orders",
        "efforts",
        "tokens",
    ],
    "sales": [
        "home",
        "queue",
        "tickets",
        "partners",
        "customers",
        "contracts",
        "orders",
        "efforts",
        "tokens",
    ],
    "admin": [
        "home",
        "queue",
        "tickets",
        "partners",
        "customers",
        "contracts",
        "orders",
        "efforts",
        "invoices",
        "tokens",
        "admin",
    ],
    "coordinator": [
        "home",
        "tickets",
        "customers",
        "contracts",
        "orders",
        "bookings",
        "invoices",
        "tokens",
    ],
    "employee": [
        "home",
        "tickets",
        "customers",
        "contracts",
        "orders",
        "bookings",
        "invoices",
        "tokens",
    ],
    "customer_contact": [
        "home",
        "tickets",
        "partners",
        "contracts",
        "invoices",
        "tokens",
    ],
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_shows_each_role_its_navigation(client_for, world, persona):
    user = world.persona(persona)
    response = client_for(user).get(HOME)
    assert response.status_code == 200
    assert nav_keys(response) == EXPECTED_NAVIGATION[persona]
    body = response.content.decode()
    assert user.full_name in body
    assert user.organisation.display_name in body
    assert ("Administration" in body) == (persona == "admin")


def test_it_lets_the_admin_reach_the_administration(client_for, world):
    response = client_for(world.admin).get(reverse("admin:index"))
    assert response.status_code == 200


def test_it_shows_the_vendor_name_from_the_settings(client_for, world, settings):
    settings.VENDOR_NAME = "Musterhersteller"
    body = client_for(world.cs_agent).get(HOME).content.decode()
    assert "Partner-Support Musterhersteller" in body


# ---- overview per role --------------------------------------------------------------------


def test_it_shows_vendor_staff_the_partners_they_look_after(client_for, world):
    body = client_for(world.cs_agent).get(HOME).content.decode()
    # cs_agent is in CS Team Nord, which looks after Alpina only.
    assert "Alpina Solutions AG" in body
    assert "Bergwerk Consulting GmbH" not in body
    assert "CS Team Nord" in body
    assert "Claudia Koordinatorin" in body


def test_it_shows_the_cs_responsible_every_partner_they_are_responsible_for(client_for, world):
    body = client_for(world.cs_responsible).get(HOME).content.decode()
    assert "Alpina Solutions AG" in body
    assert "Bergwerk Consulting GmbH" in body


def test_it_shows_the_project_lead_their_partners_and_the_expert_their_engagements(
    client_for, world
):
    body = client_for(world.project_lead).get(HOME).content.decode()
    assert "Alpina Solutions AG" in body
    assert "Bergwerk Consulting GmbH" not in body
    body = client_for(world.expert).get(HOME).content.decode()
    assert "Meine Einsätze" in body
    assert "Teilprojekt Migration" in body


def test_it_tells_sales_when_no_partner_is_theirs(client_for, world):
    body = client_for(world.sales).get(HOME).content.decode()
    assert "Ihnen sind keine Partner zugeordnet." in body


@pytest.mark.parametrize("persona", ["coordinator", "employee"])
def test_it_shows_partner_people_their_partner_contacts_contracts_and_orders(
    client_for, world, persona
):
    body = client_for(world.persona(persona)).get(HOME).content.decode()
    assert "CS Team Nord" in body
    assert world.cs_responsible.full_name in body
    assert world.project_lead.full_name in body
    assert "SV-TEST-1" in body
    assert "Lead Seeland Netzportal" in body
    assert "Teilprojekt Migration" in body
    for foreign in ("SV-TEST-2", "Bergwerk", "Kantonsspital Ost"):
        assert foreign not in body


def test_it_shows_the_customer_contact_its_contracts_and_partner(client_for, world):
    body = client_for(world.customer_contact).get(HOME).content.decode()
    assert "SV-TEST-1" in body
    assert "Alpina Solutions AG" in body
    assert "Claudia Koordinatorin" in body
    for foreign in ("SV-TEST-2", "Bergwerk", "Kantonsspital Ost", "Lead Seeland"):
        assert foreign not in body


@pytest.mark.parametrize(
    ("persona", "queries"),
    # + the ticket counts: vendor staff mine, team queue, escalated; others mine and open
    [("cs_responsible", 12), ("coordinator", 9), ("customer_contact", 7)],
)
def test_it_builds_the_overview_in_a_fixed_number_of_queries(
    client_for, world, django_assert_num_queries, persona, queries
):
    client = client_for(world.persona(persona))
    # session, person, organisation, roles, then the overview's own reads
    with django_assert_num_queries(queries):
        assert client.get(HOME).status_code == 200


# ---- language switch ----------------------------------------------------------------------


def test_it_switches_to_english_and_remembers_it_on_the_person(client_for, world):
    client = client_for(world.coordinator)
    response = client.post(SET_LANGUAGE, {"language": "en", "next": HOME})
    assert response.status_code == 302
    assert response["Location"] == HOME
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    world.coordinator.refresh_from_db()
    assert world.coordinator.language == "en"
    body = client.get(HOME).content.decode()
    assert ">Overview<" in body
    assert ">Contracts<" in body
    assert "Your contacts at BSI" in body
    assert "Übersicht" not in body

    client.post(SET_LANGUAGE, {"language": "de-ch", "next": HOME})
    world.coordinator.refresh_from_db()
    assert world.coordinator.language == "de-ch"
    assert ">Übersicht<" in client.get(HOME).content.decode()


def test_it_switches_the_language_before_login(client):
    response = client.post(SET_LANGUAGE, {"language": "en", "next": LOGIN})
    assert response["Location"] == LOGIN
    body = client.get(LOGIN).content.decode()
    assert "Forgot your password?" in body


def test_it_ignores_an_unknown_language_and_a_foreign_next(client_for, world):
    client = client_for(world.employee)
    response = client.post(SET_LANGUAGE, {"language": "fr", "next": "https://evil.test/"})
    assert response["Location"] == HOME
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    world.employee.refresh_from_db()
    assert world.employee.language == "de-ch"


def test_it_switches_the_language_with_post_only(client):
    assert client.get(SET_LANGUAGE).status_code == 405


# ---- password reset -----------------------------------------------------------------------


def _reset_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/password-reset/[^\s]+/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_it_resets_a_password_by_email_end_to_end(client, world, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "Mitarbeiter@alpina.test"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["mitarbeiter@alpina.test"]
    assert "Passwort" in message.subject
    assert "Guten Tag Emil Mitarbeiter" in message.body

    link = _reset_link(message)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    assert "Neues Passwort setzen" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    new_password = "Ganz-neu-und-lang-2026"
    done = client.post(set_url, {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password_reset_complete")

    assert (
        client.post(LOGIN, {"username": world.employee.email, "password": PASSWORD}).status_code
        == 200
    )
    response = client.post(LOGIN, {"username": world.employee.email, "password": new_password})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.employee.pk)

    client.logout()
    used_again = client.get(link, follow=True)
    assert "Dieser Link ist ungültig" in used_again.content.decode()


def test_it_writes_the_reset_mail_in_the_persons_language(client, world, mailoutbox):
    User.objects.filter(pk=world.employee.pk).update(language="en")
    client.post(reverse("accounts:password_reset"), {"email": world.employee.email})
    assert "Hello Emil Mitarbeiter" in mailoutbox[0].body


def test_it_lets_a_person_without_a_password_set_their_first_one(client, world, mailoutbox):
    invited = person_create(
        acting_user=world.admin,
        organisation=world.partner,
        email="neu@alpina.test",
        full_name="Nora Neu",
        roles=[Role.PARTNER_EMPLOYEE],
    )
    assert not invited.has_usable_password()
    client.post(reverse("accounts:password_reset"), {"email": "neu@alpina.test"})
    assert len(mailoutbox) == 1
    form = client.get(_reset_link(mailoutbox[0]), follow=True)
    new_password = "Erstes-Passwort-2026"
    client.post(
        form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    invited.refresh_from_db()
    assert invited.check_password(new_password)


def test_it_does_not_reveal_whether_an_address_exists(client, world, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "niemand@nirgends.test"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mailoutbox == []


def test_it_refuses_a_too_weak_new_password(client, world, mailoutbox):
    client.post(reverse("accounts:password_reset"), {"email": world.employee.email})
    form = client.get(_reset_link(mailoutbox[0]), follow=True)
    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": "1234", "new_password2": "1234"}
    )
    assert response.status_code == 200
    assert "field__error" in response.content.decode()
    world.employee.refresh_from_db()
    assert world.employee.check_password(PASSWORD)


# ---- personal API tokens ------------------------------------------------------------------


def test_it_creates_a_token_and_shows_the_raw_value_exactly_once(client_for, world):
    client = client_for(world.coordinator)
    response = client.post(TOKENS, {"name": "Export"})
    assert response.status_code == 302
    assert response["Location"] == TOKENS

    token = ApiToken.objects.get(user=world.coordinator, name="Export")
    first = client.get(TOKENS).content.decode()
    raw = re.search(r'<code class="token-reveal__value">(pd_[^<]+)</code>', first).group(1)
    assert token.token_hash != raw
    assert raw.startswith(f"pd_{token.hint}")

    second = client.get(TOKENS).content.decode()
    assert raw not in second
    assert "Export" in second
    assert f"pd_{token.hint}…" in second

    assert api_token_authenticate(raw) == world.coordinator


def test_it_refuses_a_token_without_a_name_or_with_a_taken_one(client_for, world):
    client = client_for(world.coordinator)
    response = client.post(TOKENS, {"name": "  "})
    assert response.status_code == 200
    assert "field__error" in response.content.decode()
    client.post(TOKENS, {"name": "Export"})
    client.get(TOKENS)
    response = client.post(TOKENS, {"name": "Export"})
    assert "bereits einen aktiven Schlüssel" in response.content.decode()
    assert ApiToken.objects.filter(user=world.coordinator).count() == 1


def test_it_revokes_a_token(client_for, world):
    client = client_for(world.coordinator)
    client.post(TOKENS, {"name": "Export"})
    token = ApiToken.objects.get(user=world.coordinator)
    revoke = reverse("accounts:token_revoke", args=[token.pk])
    assert client.get(revoke).status_code == 405
    response = client.post(revoke, follow=True)
    token.refresh_from_db()
    assert token.revoked_at is not None
    body = response.content.decode()
    assert "ist widerrufen" in body
    assert "widerrufen am" in body


def test_it_lists_only_ones_own_tokens_and_refuses_to_revoke_others(client_for, world):
    client_for(world.coordinator).post(TOKENS, {"name": "Export Alpina"})
    token = ApiToken.objects.get(user=world.coordinator)
    outsider = client_for(world.outsider_partner)
    assert "Export Alpina" not in outsider.get(TOKENS).content.decode()
    response = outsider.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_lists_tokens_in_a_fixed_number_of_queries(client_for, world, django_assert_num_queries):
    client = client_for(world.coordinator)
    for index in range(3):
        client.post(TOKENS, {"name": f"Schlüssel {index}"})
    client.get(TOKENS)  # the reveal of the last one
    with django_assert_num_queries(5):
        assert client.get(TOKENS).status_code == 200
