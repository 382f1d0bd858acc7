"""The first README command, end to end: ``partnerdesk demo`` on an empty data folder.

It runs as a real process (SQLite in a temporary data folder, whatever DATABASE_URL the suite
runs with), serves real HTTP, and a second run on the same folder reuses the data.
"""

from __future__ import annotations

import http.cookiejar
import os
import queue
import re
import signal
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from django.urls import reverse

from tests.ops import clean_env, partnerdesk_command

URL_LINE = re.compile(r"running at (http://127\.0\.0\.1:\d+/)")
LOGIN_LINE = re.compile(r"^\s+Partner employee\s+(\S+@\S+)", re.MULTILINE)
PASSWORD_LINE = re.compile(r"password for everyone: (\S+)\)")
STARTUP_SECONDS = 90


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_demo(data_dir: Path) -> Iterator[tuple[str, str]]:
    """Start ``partnerdesk demo``; yield (URL, everything printed up to it); stop it."""
    process = subprocess.Popen(
        [*partnerdesk_command(), "demo", "--port", str(free_port())],
        env=clean_env(data_dir),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, so nothing outlives the test
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    output = ""
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        url = None
        while url is None:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            assert line is not None, f"the demo stopped before serving:\n{output}"
            output += line
            if match := URL_LINE.search(line):
                url = match.group(1)
        # The log-ins follow the URL; wait for the line that ends them.
        while "Stop with Ctrl+C" not in output:
            line = lines.get(timeout=10)
            assert line is not None, output
            output += line
        yield url, output
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 0, f"the demo did not stop cleanly:\n{output}"


def count_rows(data_dir: Path, table: str) -> int:
    with closing(sqlite3.connect(data_dir / "partnerdesk.sqlite3")) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def log_in(url: str, email: str, password: str) -> str:
    """Log in through the real login form (CSRF cookie and token) and return the home page."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login_url = urllib.parse.urljoin(url, reverse("accounts:login"))
    with opener.open(login_url, timeout=10) as response:
        assert response.status == 200
        page = response.read().decode()
    assert "Anmelden" in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": email, "password": password}
    ).encode()
    with opener.open(login_url, data=form, timeout=10) as response:  # follows the redirect
        assert response.status == 200
        assert response.url == urllib.parse.urljoin(url, reverse("accounts:home"))
        return response.read().decode()


def test_it_runs_the_demo_on_an_empty_data_folder_and_reuses_it(tmp_path):
    data_dir = tmp_path / "data"
    assert not data_dir.exists()

    with running_demo(data_dir) as (url, output):
        assert "demo data loaded" in output
        email = LOGIN_LINE.search(output).group(1)
        password = PASSWORD_LINE.search(output).group(1)
        for role in ("CS agent", "CS responsible", "Project lead", "Sales", "Admin"):
            assert re.search(rf"^\s+{role}\s+\S+@bsi\.example", output, re.MULTILINE), role
        for role in ("Partner coordinator", "Customer contact"):
            assert re.search(rf"^\s+{role}\s+\S+@\S+\.example", output, re.MULTILINE), role

        home = log_in(url, email, password)
        assert "Simone Wyss" in home
        assert "Alpenblick Informatik AG" in home
        with urllib.request.urlopen(urllib.parse.urljoin(url, "/static/admin/css/base.css")) as r:
            assert r.status == 200  # granian serves the collected static files

    assert (data_dir / "partnerdesk.sqlite3").exists()
    organisations = count_rows(data_dir, "parties_organisation")
    people = count_rows(data_dir, "parties_user")
    assert organisations >= 1 + 3 + 6
    assert people >= 20

    with running_demo(data_dir) as (url, output):
        assert "demo data reused" in output
        assert "Simone Wyss" in log_in(url, email, password)

    assert count_rows(data_dir, "parties_organisation") == organisations
    assert count_rows(data_dir, "parties_user") == people


def test_it_builds_a_demo_that_covers_every_rule(db):
    from partnerdesk.contracts.models import Contract, Order
    from partnerdesk.demo import load_demo
    from partnerdesk.parties.models import Organisation, User

    logins = load_demo()

    assert logins.created
    partners = Organisation.objects.partners()
    assert partners.count() >= 3
    assert Organisation.objects.customers().count() >= 6
    for partner in partners:
        assert partner.coordinator is not None
        assert partner.people.count() >= 2
        assert partner.orders.filter(kind="partnership").count() == 1
    contracts = Contract.objects.all()
    assert {c.filers for c in contracts} == {"partner", "customer", "both"}
    assert {c.bill_to for c in contracts} == {"partner", "customer"}
    assert {c.sla_calendar for c in contracts} == {"clock", "business"}
    assert {c.sla_canton for c in contracts} >= {"BE", "ZH", "VD", "TI"}
    assert contracts.filter(partner__isnull=True).exists()
    assert {o.kind for o in Order.objects.all()} == {"partnership", "lead", "engagement"}
    lead = Order.objects.filter(kind="lead", free_service_types__isnull=False).first()
    assert lead.approved_by is not None
    assert Order.objects.filter(kind="engagement", dedicated_staff__isnull=False).exists()
    domains = {email.rsplit(".", 1)[1] for email in User.objects.values_list("email", flat=True)}
    assert domains == {"example"}
    assert {login.email for login in logins.logins} <= set(
        User.objects.values_list("email", flat=True)
    )


def test_it_loads_the_demo_only_once(db):
    from partnerdesk.demo import load_demo
    from partnerdesk.parties.models import User

    load_demo()
    people = User.objects.count()

    again = load_demo()

    assert not again.created
    assert User.objects.count() == people
    assert all(login.name for login in again.logins)


def test_it_refuses_to_mix_the_demo_with_other_data(world):
    from partnerdesk.demo import DemoError, load_demo

    with pytest.raises(DemoError, match="empty data folder"):
        load_demo()
