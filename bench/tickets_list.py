"""How fast are the ticket lists with a million tickets on PostgreSQL? Run by hand, not a test.

Usage (from the repository root)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        uv run python bench/tickets_list.py [--tickets 1000000] [--runs 20] [--reuse]

``DATABASE_URL`` names the *server* only: the script never touches the database in the URL.
It (re)creates its own database ``partnerdesk_bench`` on that server (``--database`` to
rename), migrates it, builds a small world through the actions (6 CS teams, 30 partners,
300 customers with contracts), then inserts the tickets with one ``INSERT … SELECT`` over
``generate_series`` per 250,000 rows (not through the actions: no journal, but every row
satisfies the ticket's constraints), runs ``VACUUM ANALYZE`` and measures the list queries
the pages and the API run (``selectors.ticket_list``): first page of 50 and the paginator's
count, median and p95 over ``--runs`` runs each. Queries slower than 100 ms get their
``EXPLAIN (ANALYZE, BUFFERS)`` printed. ``--reuse`` skips the build when the database
already holds the tickets (to measure again after adding an index, for instance).

Distribution of the generated tickets: five years of history, 92 % done (85 % of them
closed, 15 % rejected), the open 8 % filed in the last 90 days (more of them recent) over
every open phase; contracts drawn with a skew (a few big customers, many small ones), 10 %
of contracts without partner; 5 % urgent, a fraction of the urgent open ones escalated;
some checks missed and about one open estimate in eight passed.

Refuses SQLite: the numbers are meant for the production database.
"""

# ruff: noqa: E501 - the SQL reads better unwrapped
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHUNK = 250_000
SLOW_MS = 100.0


def bench_url(url: str, database: str) -> tuple[str, str]:
    """The URL of the bench database and of the server's maintenance database."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        sys.exit("bench/tickets_list.py: DATABASE_URL must point to PostgreSQL (postgres://…)")
    return urlunsplit(parts._replace(path=f"/{database}")), urlunsplit(
        parts._replace(path="/postgres")
    )


def recreate_database(maintenance_url: str, database: str, *, reuse: bool) -> bool:
    """Create ``database`` (dropping an old one unless ``reuse``); True if it was kept."""
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database]
        ).fetchone()
        if exists and reuse:
            return True
        if exists:
            connection.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{database}"')
    return False


# --- the world -----------------------------------------------------------------------------


def build_world() -> None:
    import datetime
    from decimal import Decimal

    from partnerdesk.contracts.actions import contract_create, order_ensure_partnership
    from partnerdesk.contracts.models import BillTo, Filers
    from partnerdesk.parties.actions import (
        cs_team_create,
        customer_create,
        partner_create,
        person_create,
        vendor_get_or_create,
    )
    from partnerdesk.parties.models import Role

    vendor = vendor_get_or_create()
    admin = person_create(
        acting_user=None,
        organisation=vendor,
        email="admin@bench.example",
        full_name="Admin",
        roles=[Role.ADMIN],
    )
    teams = []
    for t in range(6):
        members = [
            person_create(
                acting_user=admin,
                organisation=vendor,
                email=f"agent{t}-{m}@bench.example",
                full_name=f"Agent {t}-{m}",
                roles=[Role.CS_AGENT] if m < 4 else [Role.EXPERT],
            )
            for m in range(6)
        ]
        teams.append(cs_team_create(acting_user=admin, name=f"CS Team {t}", members=members))
    lead = person_create(
        acting_user=admin,
        organisation=vendor,
        email="lead@bench.example",
        full_name="Lead",
        roles=[Role.PROJECT_LEAD],
    )
    partners = []
    for p in range(30):
        team = teams[p % len(teams)]
        partner = partner_create(
            acting_user=admin,
            name=f"Partner {p} AG",
            short_name=f"p{p}",
            cs_team=team,
            cs_responsible=team.members.order_by("pk").first(),
            hourly_rate=Decimal("150"),
            coordinator_email=f"coordinator{p}@partner{p}.example",
            coordinator_name=f"Koordinatorin {p}",
            project_lead=lead,
        )
        for e in range(3):
            person_create(
                acting_user=admin,
                organisation=partner,
                email=f"employee{e}@partner{p}.example",
                full_name=f"Mitarbeiter {p}-{e}",
                roles=[Role.PARTNER_EMPLOYEE],
            )
        order_ensure_partnership(partner=partner)
        partners.append(partner)
    for c in range(300):
        customer = customer_create(acting_user=admin, name=f"Kunde {c}", short_name=f"k{c}")
        person_create(
            acting_user=admin,
            organisation=customer,
            email=f"contact@kunde{c}.example",
            full_name=f"Kontakt {c}",
            roles=[Role.CUSTOMER_CONTACT],
        )
        no_partner = c % 10 == 9
        contract_create(
            acting_user=admin,
            customer=customer,
            partner=None if no_partner else partners[(c * 7) % len(partners)],
            cs_team=teams[c % len(teams)] if no_partner else None,
            valid_from=datetime.date(2020, 1, 1),
            hourly_rate=Decimal("160"),
            filers=Filers.CUSTOMER if no_partner else Filers.BOTH,
            bill_to=BillTo.CUSTOMER if no_partner else BillTo.PARTNER,
        )


# --- the tickets ---------------------------------------------------------------------------

# One row per contract with everything a ticket of it needs; "idx" 1…n for a random pick.
CONTRACTS_SQL = """
CREATE TEMP TABLE bench_contract AS
SELECT row_number() OVER (ORDER BY c.id)::int AS idx,
       c.id AS contract_id, c.customer_id, c.partner_id,
       coalesce(p.cs_team_id, c.cs_team_id) AS team_id,
       o.id AS order_id,
       p.coordinator_id AS partner_person_id,
       (SELECT u.id FROM parties_user u WHERE u.organisation_id = c.customer_id ORDER BY u.id LIMIT 1)
           AS customer_person_id,
       (SELECT array_agg(m.user_id ORDER BY m.user_id) FROM parties_csteam_members m
         WHERE m.csteam_id = coalesce(p.cs_team_id, c.cs_team_id)) AS agents
FROM contracts_contract c
LEFT JOIN parties_organisation p ON p.id = c.partner_id
LEFT JOIN contracts_order o ON o.partner_id = c.partner_id AND o.kind = 'partnership'
"""

TITLES = [
    "Export bricht ab",
    "Login mit Zwei-Faktor-Code schlägt fehl",
    "PDF-Rechnung zeigt falschen Betrag",
    "Zertifikat abgelaufen",
    "Schnittstelle meldet Zeitüberschreitung",
    "Formular speichert Eingaben nicht",
    "Suche findet Kunden nicht",
    "Benachrichtigung kommt doppelt",
    "Übersetzung fehlt im Formular",
    "Seite lädt sehr langsam",
    "Zahlung mit TWINT schlägt fehl",
    "Import von Zählerständen scheitert",
]

# Phases: (phase, side, cumulative share among open tickets)
TICKETS_SQL = """
WITH n AS (SELECT count(*)::int AS n FROM bench_contract),
x AS (
    SELECT g,
           1 + floor(power(random(), 2) * (SELECT n FROM n))::int AS idx,
           random() AS r_open, random() AS r_phase, random() AS r_age, random() AS r_urgent,
           random() AS r_esc, random() AS r_pick, random() AS r_by,
           1 + floor(random() * %(titles)s)::int AS t
    FROM generate_series(%(first)s, %(last)s) AS g
),
y AS (
    SELECT x.*, bc.*,
        CASE
            WHEN x.r_open >= 0.08 THEN CASE WHEN x.r_phase < 0.85 THEN 'closed' ELSE 'rejected' END
            WHEN x.r_phase < 0.15 THEN 'new'
            WHEN x.r_phase < 0.50 THEN 'in_progress'
            WHEN x.r_phase < 0.60 THEN 'expert'
            WHEN x.r_phase < 0.72 THEN CASE WHEN bc.partner_id IS NULL THEN 'customer_question' ELSE 'partner_question' END
            WHEN x.r_phase < 0.80 THEN 'customer_question'
            WHEN x.r_phase < 0.95 THEN CASE WHEN bc.partner_id IS NULL THEN 'solved_customer' ELSE 'solved' END
            ELSE 'solved_customer'
        END AS phase,
        CASE WHEN x.r_open < 0.08
             THEN now() - power(x.r_age, 2) * interval '90 days'
             ELSE now() - interval '90 days' - x.r_age * interval '1735 days' END AS created
    FROM x JOIN bench_contract bc ON bc.idx = x.idx
)
INSERT INTO tickets_ticket (
    number, contract_id, order_id, partner_id, customer_id, filed_by_id, title, description,
    priority, classification, phase, side, side_since, contact_team_id, responsible_team_id,
    responsible_person_id, asked_by_id, solved_by_id, check_due_at, checked_at, next_steps,
    estimated_resolution_on, coverage, coverage_reason, coverage_by_id, coverage_at, bill_to,
    escalated_at, escalated_by_id, vendor_seconds, partner_seconds, customer_seconds,
    vendor_sla_seconds, partner_sla_seconds, customer_sla_seconds, solution_proposed_at,
    closed_at, created_at, updated_at, version
)
SELECT
    to_char(created, 'YYYY') || '-' || lpad(g::text, 7, '0'),
    contract_id,
    CASE WHEN partner_id IS NOT NULL AND r_by < 0.7 THEN order_id END,
    partner_id, customer_id,
    CASE WHEN partner_id IS NOT NULL AND r_by < 0.7 THEN partner_person_id ELSE customer_person_id END,
    (ARRAY%(title_array)s)[t] || ' (' || g || ')',
    'Beschreibung des Anliegens ' || g || ': ' || (ARRAY%(title_array)s)[t]
        || '. Betroffen sind mehrere Benutzer; Schritte zur Reproduktion siehe unten.',
    CASE WHEN r_urgent < 0.05 THEN 'urgent' ELSE 'normal' END,
    'support',
    phase,
    CASE WHEN phase IN ('new', 'in_progress', 'expert') THEN 'vendor'
         WHEN phase IN ('partner_question', 'solved') THEN 'partner'
         WHEN phase IN ('customer_question', 'solved_customer') THEN 'customer'
         ELSE 'done' END,
    CASE WHEN phase = 'new' THEN created ELSE created + r_pick * (now() - created) END,
    team_id,
    CASE WHEN phase = 'new' THEN team_id END,
    CASE WHEN phase IN ('in_progress', 'expert') THEN agents[1 + floor(r_pick * array_length(agents, 1))::int]
         WHEN phase IN ('partner_question', 'solved') THEN partner_person_id
         WHEN phase IN ('customer_question', 'solved_customer') THEN customer_person_id END,
    CASE WHEN phase IN ('partner_question', 'customer_question') THEN agents[1] END,
    CASE WHEN phase IN ('solved', 'solved_customer', 'closed') THEN agents[1] END,
    created + interval '24 hours',
    CASE WHEN phase <> 'new' THEN created + interval '3 hours' END,
    CASE WHEN phase <> 'new' THEN 'Logs prüfen und Fehler nachstellen.' ELSE '' END,
    CASE WHEN phase IN ('closed', 'rejected') THEN (created + (3 + floor(r_pick * 30)) * interval '1 day')::date
         WHEN phase <> 'new' THEN (now() + (floor(r_pick * 40) - 5) * interval '1 day')::date END,
    CASE WHEN phase = 'rejected' THEN 'configuration' WHEN phase = 'closed' THEN 'product_defect' ELSE '' END,
    CASE WHEN phase IN ('rejected', 'closed') THEN 'Begründung' ELSE '' END,
    CASE WHEN phase IN ('rejected', 'closed') THEN agents[1] END,
    CASE WHEN phase IN ('rejected', 'closed') THEN created + interval '1 day' END,
    CASE WHEN phase = 'rejected' THEN 'customer' ELSE '' END,
    CASE WHEN r_urgent < 0.05 AND r_esc < 0.3 AND partner_id IS NOT NULL THEN created + interval '2 hours' END,
    CASE WHEN r_urgent < 0.05 AND r_esc < 0.3 AND partner_id IS NOT NULL THEN partner_person_id END,
    0, 0, 0, 0, 0, 0,
    CASE WHEN phase IN ('solved', 'solved_customer') THEN created + r_pick * (now() - created) END,
    CASE WHEN phase IN ('closed', 'rejected') THEN created + interval '5 days' END,
    created, created, 1
FROM y
"""


def build_tickets(total: int) -> None:
    """Insert ``total`` tickets; the search's GIN indexes are dropped meanwhile and rebuilt."""
    from importlib import import_module

    from django.db import connection, transaction

    search = import_module("partnerdesk.tickets.migrations.0002_search_trigram")
    with connection.cursor() as cursor:
        for name in search.INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
    titles = "[" + ", ".join("'" + t.replace("'", "''") + "'" for t in TITLES) + "]"
    with connection.cursor() as cursor:
        cursor.execute(CONTRACTS_SQL)
        for first in range(1, total + 1, CHUNK):
            last = min(total, first + CHUNK - 1)
            started = time.perf_counter()
            sql = TICKETS_SQL % {
                "first": first,
                "last": last,
                "titles": len(TITLES),
                "title_array": titles,
            }
            with transaction.atomic():
                cursor.execute(sql)
            print(
                f"  tickets {first:>9,}–{last:>9,}  {time.perf_counter() - started:5.1f} s",
                flush=True,
            )
    with connection.cursor() as cursor:
        started = time.perf_counter()
        for name, expression in search.INDEXES.items():
            cursor.execute(f"CREATE INDEX {name} ON tickets_ticket USING gin ({expression})")
        print(f"  search indexes {time.perf_counter() - started:5.1f} s", flush=True)
        started = time.perf_counter()
        cursor.execute("VACUUM ANALYZE")
        print(f"  VACUUM ANALYZE {time.perf_counter() - started:5.1f} s", flush=True)


# --- the measurements ----------------------------------------------------------------------


def scenarios():
    """(label, user, filters) as users hit the lists."""
    from django.db.models import Count

    from partnerdesk.parties.models import Organisation, Role, User
    from partnerdesk.tickets.selectors import Queue, TicketFilters

    agent = User.objects.filter(role_grants__role=Role.CS_AGENT).order_by("pk").first()
    biggest = (
        Organisation.objects.partners().annotate(n=Count("partner_tickets")).order_by("-n").first()
    )
    coordinator = biggest.coordinator
    employee = biggest.people.filter(role_grants__role=Role.PARTNER_EMPLOYEE).order_by("pk").first()
    lead = User.objects.filter(role_grants__role=Role.PROJECT_LEAD).first()
    return [
        ("CS team queue (agent, by check due)", agent, TicketFilters(queue=Queue.TEAM)),
        ("waiting for me (agent)", agent, TicketFilters(queue=Queue.MINE)),
        ("waiting for me/us (partner employee)", employee, TicketFilters(queue=Queue.MINE)),
        ("partner: all tickets (biggest partner)", coordinator, TicketFilters()),
        ("vendor: all tickets", agent, TicketFilters()),
        ("vendor: side = partner", agent, TicketFilters(side="partner")),
        ("vendor: overdue", agent, TicketFilters(overdue=True)),
        ("vendor: escalated", agent, TicketFilters(escalated=True)),
        ("project lead: escalated queue", lead, TicketFilters(queue=Queue.ESCALATED)),
        ("vendor: open, phase = expert", agent, TicketFilters(phase="expert")),
        ("vendor: search q='Zertifikat' (common)", agent, TicketFilters(q="Zertifikat")),
        ("vendor: search q='(123456)' (rare)", agent, TicketFilters(q="(123456)")),
        ("vendor: search q=number", agent, TicketFilters(q="0123456")),
        ("partner: search q='TWINT'", coordinator, TicketFilters(q="TWINT")),
    ]


def timed(fn, runs: int) -> tuple[float, float, object]:
    samples, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95, result


def measure(runs: int) -> list[tuple]:
    from django.db import reset_queries

    from partnerdesk.tickets.selectors import ticket_list

    rows, plans = [], []
    for label, user, filters in scenarios():
        queryset = ticket_list(user, filters)
        page_med, page_p95, page = timed(lambda qs=queryset: list(qs[:50]), runs)
        count_med, count_p95, count = timed(lambda qs=queryset: qs.count(), runs)
        rows.append((label, len(page), count, page_med, page_p95, count_med, count_p95))
        print(
            f"  {label:<42} page {page_med:7.1f} / {page_p95:7.1f} ms   "
            f"count {count:>9,} {count_med:7.1f} / {count_p95:7.1f} ms",
            flush=True,
        )
        if page_p95 > SLOW_MS:
            plans.append(
                (f"{label} — first page", queryset[:50].explain(analyze=True, buffers=True))
            )
        if count_p95 > SLOW_MS:
            plans.append((f"{label} — count", _explain_count(queryset)))
        reset_queries()
    for title, plan in plans:
        print(f"\n### {title}\n{plan}")
    return rows


def _explain_count(queryset) -> str:
    from django.db import connection

    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) SELECT count(*) FROM ({sql}) AS sub", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database", default="partnerdesk_bench")
    parser.add_argument("--reuse", action="store_true", help="keep an existing bench database")
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        sys.exit(
            "bench/tickets_list.py: set DATABASE_URL=postgres://user@host:port/any (the server)"
        )
    bench, maintenance = bench_url(url, options.database)
    kept = recreate_database(maintenance, options.database, reuse=options.reuse)
    os.environ["DATABASE_URL"] = bench
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerdesk.settings")
    os.environ.setdefault("PARTNERDESK_MAIL", "console")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from partnerdesk.tickets.models import Ticket

    started = time.perf_counter()
    print(f"bench database {options.database}: migrate", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    if not (kept and Ticket.objects.exists()):
        build_world()
        print(f"  world built {time.perf_counter() - started:5.1f} s", flush=True)
        build_tickets(options.tickets)
    else:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    total = Ticket.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('tickets_ticket')), version()")
        size, version = cursor.fetchone()
    print(
        f"{total:,} tickets ({size}); {version.split(' on ')[0]}; ready after "
        f"{time.perf_counter() - started:.0f} s\n"
    )
    print(f"median / p95 over {options.runs} runs (first page of 50, and the paginator's count):")
    measure(options.runs)


if __name__ == "__main__":
    main()
