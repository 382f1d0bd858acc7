"""How long and how much memory does the monthly invoice run take over a million bookings?
Run by hand on PostgreSQL, not a test.

Usage (from the repository root)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        uv run python bench/invoice_run.py [--bookings 1000000] [--reuse] [--no-tracemalloc]

``DATABASE_URL`` names the *server* only: the script (re)creates its own database
``partnerdesk_bench_billing`` there (``--database`` to rename), migrates it and builds a world
through the actions (``bench/tickets_list.py``'s: 6 CS teams, 30 partners, 300 customers with
contracts, 10 % without partner) and 100,000 tickets with the same SQL generator. Then, with
``INSERT … SELECT generate_series`` (not through the actions, but every row obeys the
booking's constraints and the billing rules of ``efforts/billing.py``):

1. 50,000 bookings in September 2026, invoiced by ``invoice_run`` and issued (as last month);
2. ``--bookings`` bookings in October 2026 (default 1,000,000): skewed over tickets (a few busy
   ones, many quiet ones), 15 % on covered tickets (free), the rest billed to the partner
   (partnership orders, partner's rate) or by the contract (partner or customer, contract's
   rate); 15 minutes to 8 hours; 36 vendor people, 4 activity types;
3. 5,000 corrections dated October of issued September bookings (credits of up to 30 min).

Measured: ``invoice_run(acting_user=None, month=October)`` — wall time and the process's peak
RSS (``resource.getrusage``; the baseline before the run is printed too); the second run for
the same month (idempotent: nothing new, should be fast); then the month's invoices are
deleted and the run repeated under ``tracemalloc`` for Python's peak allocation (slower:
tracing costs time, so that run's time is not the number to quote).

Refuses SQLite: the numbers are meant for the production database.
"""

# ruff: noqa: E501 - the SQL reads better unwrapped
from __future__ import annotations

import argparse
import datetime
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.tickets_list import bench_url, recreate_database  # noqa: E402

CHUNK = 250_000
SEPTEMBER = datetime.date(2026, 9, 1)
OCTOBER = datetime.date(2026, 10, 1)

# Per ticket: whether it is free and, if not, who pays at which rate — efforts/billing.py's
# rules for the tickets the generator makes (covered; decided not covered; no order → the
# contract's bill-to; partnership order → the partner at the partner's rate).
TICKETS_SQL = """
DROP TABLE IF EXISTS bench_bticket;
CREATE TEMP TABLE bench_bticket AS
SELECT row_number() OVER (PARTITION BY free ORDER BY random())::int AS idx, *
FROM (
    SELECT t.id AS ticket_id,
           t.coverage IN ('operations_incident', 'product_defect') AS free,
           CASE WHEN t.coverage IN ('operations_incident', 'product_defect') THEN 'covered'
                WHEN t.coverage <> '' THEN 'not_covered'
                WHEN t.order_id IS NULL THEN 'direct'
                ELSE 'partnership' END AS reason,
           CASE WHEN t.coverage = '' AND t.order_id IS NOT NULL THEN 'partner'
                WHEN coalesce(nullif(t.bill_to, ''), c.bill_to) = 'partner' AND t.partner_id IS NOT NULL THEN 'partner'
                ELSE 'customer' END AS party_kind,
           t.partner_id, t.customer_id,
           CASE WHEN t.coverage = '' AND t.order_id IS NOT NULL THEN p.hourly_rate ELSE c.hourly_rate END AS rate
    FROM tickets_ticket t
    JOIN contracts_contract c ON c.id = t.contract_id
    LEFT JOIN parties_organisation p ON p.id = t.partner_id
    WHERE %(where)s
) x;
CREATE INDEX ON bench_bticket (free, idx);
ANALYZE bench_bticket;
"""

BOOKINGS_SQL = """
WITH n AS (
    SELECT count(*) FILTER (WHERE free) AS nf, count(*) FILTER (WHERE NOT free) AS nb FROM bench_bticket
),
g AS (
    SELECT g, random() AS r_free, random() AS r_pick, random() AS r_day, random() AS r_min,
           random() AS r_person, random() AS r_act, n.nf, n.nb
    FROM generate_series(%(first)s, %(last)s) AS g, n
),
y AS (
    SELECT g.*, b.*,
           5 * (3 + floor(power(g.r_min, 2) * 94))::int AS minutes
    FROM g
    JOIN bench_bticket b
      ON b.free = (g.r_free < %(free_share)s AND g.nf > 0)
     AND b.idx = 1 + floor(power(g.r_pick, 2) * CASE WHEN g.r_free < %(free_share)s AND g.nf > 0 THEN g.nf ELSE g.nb END)::int
)
INSERT INTO efforts_booking (
    ticket_id, person_id, day, minutes, activity_id, text, internal_text, kind, corrects_id,
    billing, reason, bill_to_id, free_minutes, billable_minutes, rate, amount,
    created_by_id, created_at, updated_at, cancelled_at, version
)
SELECT ticket_id,
       (%(people)s::bigint[])[1 + floor(r_person * %(n_people)s)::int],
       %(month)s::date + floor(r_day * %(days)s)::int,
       minutes,
       (%(activities)s::bigint[])[1 + floor(r_act * %(n_activities)s)::int],
       'Analyse, Rückmeldung an den Partner (' || g || ')',
       '',
       'work', NULL,
       CASE WHEN free THEN 'free' ELSE party_kind END,
       reason,
       CASE WHEN free THEN NULL WHEN party_kind = 'partner' THEN partner_id ELSE customer_id END,
       CASE WHEN free THEN minutes ELSE 0 END,
       CASE WHEN free THEN 0 ELSE minutes END,
       CASE WHEN free THEN NULL ELSE rate END,
       CASE WHEN free THEN 0 ELSE round(minutes * rate / 60, 2) END,
       (%(people)s::bigint[])[1 + floor(r_person * %(n_people)s)::int],
       %(month)s::date + floor(r_day * %(days)s)::int + time '17:00',
       %(month)s::date + floor(r_day * %(days)s)::int + time '17:00',
       NULL, 1
FROM y
"""

# Credits of up to 30 minutes on issued bookings of the month before, dated in the month.
CORRECTIONS_SQL = """
WITH pick AS (
    SELECT b.* FROM efforts_booking b
    JOIN billing_invoiceline l ON l.booking_id = b.id
    JOIN billing_invoice i ON i.id = l.invoice_id AND i.status = 'issued'
    WHERE b.kind = 'work' AND b.billable_minutes > 0 AND b.day < %(month)s::date
    ORDER BY random() LIMIT %(count)s
)
INSERT INTO efforts_booking (
    ticket_id, person_id, day, minutes, activity_id, text, internal_text, kind, corrects_id,
    billing, reason, bill_to_id, free_minutes, billable_minutes, rate, amount,
    created_by_id, created_at, updated_at, cancelled_at, version
)
SELECT ticket_id, person_id, %(month)s::date + (id %% 28)::int, -least(minutes, 30), activity_id,
       'Korrektur nach Rückfrage', '', 'correction', id,
       billing, reason, bill_to_id, 0, -least(minutes, 30), rate,
       round(-least(minutes, 30) * rate / 60, 2),
       created_by_id, now(), now(), NULL, 1
FROM pick
"""


def _days(month: datetime.date) -> int:
    import calendar

    return calendar.monthrange(month.year, month.month)[1]


def lookups() -> dict:
    from partnerdesk.contracts.models import ServiceType
    from partnerdesk.parties.models import OrganisationKind, User

    for code, name in (
        ("analyse", "Analyse"),
        ("beratung", "Konfigurationsberatung"),
        ("schulung", "Schulung"),
        ("umsetzung", "Umsetzung"),
    ):
        ServiceType.objects.get_or_create(code=code, defaults={"name": name})
    people = list(
        User.objects.filter(organisation__kind=OrganisationKind.VENDOR)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    activities = list(ServiceType.objects.order_by("pk").values_list("pk", flat=True))
    return {"people": people, "activities": activities}


def prepare_tickets(where: str = "TRUE") -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(TICKETS_SQL % {"where": where})


def insert_bookings(total: int, month: datetime.date, *, free_share: float = 0.15) -> None:
    """``total`` bookings in ``month`` over the tickets of ``bench_bticket``."""
    from django.db import connection, transaction

    ids = lookups()
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM efforts_booking")
        offset = cursor.fetchone()[0]
        for first in range(1, total + 1, CHUNK):
            last = min(total, first + CHUNK - 1)
            started = time.perf_counter()
            with transaction.atomic():
                cursor.execute(
                    BOOKINGS_SQL,
                    {
                        "first": offset + first,
                        "last": offset + last,
                        "free_share": free_share,
                        "people": ids["people"],
                        "n_people": len(ids["people"]),
                        "activities": ids["activities"],
                        "n_activities": len(ids["activities"]),
                        "month": month,
                        "days": _days(month),
                    },
                )
            print(
                f"  bookings {month:%Y-%m} {first:>9,}–{last:>9,}  {time.perf_counter() - started:5.1f} s",
                flush=True,
            )


def vacuum() -> None:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  VACUUM ANALYZE {time.perf_counter() - started:5.1f} s", flush=True)


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def build(options) -> None:
    from bench.tickets_list import build_tickets, build_world
    from partnerdesk.billing.actions import invoice_issue, invoice_run
    from partnerdesk.billing.models import Invoice
    from partnerdesk.parties.models import Role, User

    started = time.perf_counter()
    build_world()
    print(f"  world built {time.perf_counter() - started:5.1f} s", flush=True)
    build_tickets(options.tickets)
    prepare_tickets()
    insert_bookings(options.september, SEPTEMBER)
    vacuum()
    started = time.perf_counter()
    invoice_run(acting_user=None, month=SEPTEMBER)
    admin = User.objects.filter(role_grants__role=Role.ADMIN).first()
    for invoice in Invoice.objects.filter(month=SEPTEMBER):
        invoice_issue(acting_user=admin, invoice=invoice, version=invoice.version)
    print(
        f"  September: {options.september:,} bookings invoiced and issued "
        f"{time.perf_counter() - started:5.1f} s",
        flush=True,
    )
    insert_bookings(options.bookings, OCTOBER)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(CORRECTIONS_SQL, {"month": OCTOBER, "count": options.corrections})
    print(f"  {options.corrections:,} corrections of September in October", flush=True)
    vacuum()


def reset_month(month: datetime.date) -> None:
    from partnerdesk.billing.models import Invoice, InvoiceLine

    InvoiceLine.objects.filter(invoice__month=month).delete()
    Invoice.objects.filter(month=month).delete()


def measure(options) -> None:
    from django.db import connection
    from django.db.models import Count, Sum

    from partnerdesk.billing.actions import invoice_run
    from partnerdesk.billing.models import Invoice, InvoiceLine

    reset_month(OCTOBER)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE billing_invoiceline")
    baseline = maxrss_mb()
    started = time.perf_counter()
    invoices = invoice_run(acting_user=None, month=OCTOBER)
    first = time.perf_counter() - started
    peak = maxrss_mb()
    lines = InvoiceLine.objects.filter(invoice__month=OCTOBER).count()
    print(
        f"first run  {first:7.1f} s   {len(invoices)} invoices, {lines:,} lines   "
        f"max RSS {peak:,.0f} MB (before the run {baseline:,.0f} MB)",
        flush=True,
    )
    started = time.perf_counter()
    again = invoice_run(acting_user=None, month=OCTOBER)
    second = time.perf_counter() - started
    assert [i.pk for i in again] == [i.pk for i in invoices]
    assert InvoiceLine.objects.filter(invoice__month=OCTOBER).count() == lines
    print(f"second run {second:7.1f} s   (idempotent: no new line)", flush=True)
    totals = Invoice.objects.filter(month=OCTOBER).aggregate(total=Sum("total"), n=Count("id"))
    check = InvoiceLine.objects.filter(invoice__month=OCTOBER).aggregate(total=Sum("amount"))
    assert totals["total"] == check["total"], (totals, check)
    print(f"  total CHF {totals['total']:,} over {totals['n']} invoices (= sum of lines)")
    if options.tracemalloc:
        reset_month(OCTOBER)
        tracemalloc.start()
        started = time.perf_counter()
        invoice_run(acting_user=None, month=OCTOBER)
        traced = time.perf_counter() - started
        _current, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"traced run {traced:7.1f} s   tracemalloc peak {traced_peak / 2**20:,.1f} MB "
            f"(time under tracing, not comparable)",
            flush=True,
        )


def setup(default_database: str, options) -> bool:
    """Point Django at the bench database (created unless reused); True if it was kept."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        sys.exit(f"{sys.argv[0]}: set DATABASE_URL=postgres://user@host:port/any (the server)")
    if url.startswith("sqlite"):
        sys.exit(f"{sys.argv[0]}: refuses SQLite — the numbers are meant for PostgreSQL")
    bench, maintenance = bench_url(url, options.database or default_database)
    kept = recreate_database(maintenance, options.database or default_database, reuse=options.reuse)
    os.environ["DATABASE_URL"] = bench
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerdesk.settings")
    os.environ.setdefault("PARTNERDESK_MAIL", "console")
    os.environ.setdefault("PARTNERDESK_TASK_BACKEND", "django.tasks.backends.dummy.DummyBackend")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bookings", type=int, default=1_000_000)
    parser.add_argument("--september", type=int, default=50_000)
    parser.add_argument("--corrections", type=int, default=5_000)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--database", default="partnerdesk_bench_billing")
    parser.add_argument("--reuse", action="store_true", help="keep an existing bench database")
    parser.add_argument("--no-tracemalloc", dest="tracemalloc", action="store_false")
    options = parser.parse_args()
    started = time.perf_counter()
    kept = setup(options.database, options)

    from django.db import connection

    from partnerdesk.efforts.models import Booking

    if not (kept and Booking.objects.filter(day__gte=OCTOBER).exists()):
        build(options)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('efforts_booking')), version()"
        )
        size, version = cursor.fetchone()
    total = Booking.objects.filter(day__gte=OCTOBER, day__lt=datetime.date(2026, 11, 1)).count()
    print(
        f"{total:,} bookings in October 2026 (table {size}); {version.split(' on ')[0]}; "
        f"ready after {time.perf_counter() - started:.0f} s\n",
        flush=True,
    )
    measure(options)


if __name__ == "__main__":
    main()
