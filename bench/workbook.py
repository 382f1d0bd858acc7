"""How long and how much memory does the Excel of a 100,000-line invoice take? Run by hand on
PostgreSQL, not a test.

Usage (from the repository root)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        uv run python bench/workbook.py [--lines 100000] [--reuse] [--keep FILE.xlsx]

Creates its own database ``partnerdesk_bench_workbook`` on that server (``--database`` to
rename; ``--reuse`` keeps one that is there), the world and tickets of
``bench/tickets_list.py`` (20,000 tickets), and ``--lines`` bookings in October 2026 on the
partnership tickets of one partner (its ~10 end customers; skewed over tickets), all billed to
that partner; ``invoice_run`` makes the one invoice with ``--lines`` lines. Then measures
``write_invoice_workbook`` into a temporary file: wall time and the process's peak RSS
(``resource.getrusage``; baseline printed), and a second time under ``tracemalloc`` for
Python's peak allocation (slower under tracing). ``--keep`` saves the workbook.

Refuses SQLite.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.invoice_run import (  # noqa: E402
    OCTOBER,
    insert_bookings,
    maxrss_mb,
    prepare_tickets,
    setup,
    vacuum,
)


def build(options) -> None:
    from django.db.models import Count

    from bench.tickets_list import build_tickets, build_world
    from partnerdesk.billing.actions import invoice_run
    from partnerdesk.parties.models import Organisation

    build_world()
    build_tickets(options.tickets)
    partner = (
        Organisation.objects.partners()
        .annotate(n=Count("partner_tickets"))
        .order_by("-n", "pk")
        .first()
    )
    prepare_tickets(
        f"t.partner_id = {int(partner.pk)} AND t.coverage = '' AND t.order_id IS NOT NULL"
    )
    insert_bookings(options.lines, OCTOBER, free_share=0)
    vacuum()
    started = time.perf_counter()
    invoice_run(acting_user=None, month=OCTOBER)
    print(f"  invoice_run {time.perf_counter() - started:5.1f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--tickets", type=int, default=20_000)
    parser.add_argument("--database", default="partnerdesk_bench_workbook")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--keep", help="save the workbook to this path")
    options = parser.parse_args()
    kept = setup(options.database, options)

    from django.db.models import Count

    from partnerdesk.billing.models import Invoice
    from partnerdesk.billing.workbook import write_invoice_workbook

    if not (kept and Invoice.objects.exists()):
        build(options)
    invoice = Invoice.objects.annotate(n=Count("lines")).order_by("-n").first()
    customers = invoice.lines.values("customer_id").distinct().count()
    print(
        f"invoice of {invoice.party}: {invoice.n:,} lines, {customers} end customers, "
        f"CHF {invoice.total:,}\n",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "rechnung.xlsx"
        baseline = maxrss_mb()
        started = time.perf_counter()
        total = write_invoice_workbook(invoice, str(target))
        elapsed = time.perf_counter() - started
        peak = maxrss_mb()
        assert total == invoice.total, (total, invoice.total)
        size = target.stat().st_size
        print(
            f"workbook   {elapsed:6.1f} s   {size / 2**20:5.1f} MB file   max RSS {peak:,.0f} MB "
            f"(before {baseline:,.0f} MB)",
            flush=True,
        )
        if options.keep:
            shutil.copy(target, options.keep)
        tracemalloc.start()
        started = time.perf_counter()
        write_invoice_workbook(invoice, str(target))
        traced = time.perf_counter() - started
        _current, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"traced     {traced:6.1f} s   tracemalloc peak {traced_peak / 2**20:,.1f} MB",
            flush=True,
        )


if __name__ == "__main__":
    main()
