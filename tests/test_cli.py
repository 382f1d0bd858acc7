"""The ``partnerdesk`` command: createadmin, check and worker."""

from __future__ import annotations

import io
import signal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from partnerdesk.cli import main
from partnerdesk.parties.models import OrganisationKind, Role, User
from tests.ops import run_partnerdesk

ADMIN_PASSWORD = "Lange-Leitung-2026"


def run_main(*args: str) -> int:
    """Run ``partnerdesk ARGS`` in this process (on the test database); the exit code."""
    try:
        main(list(args))
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def createadmin(*args: str) -> str:
    """``partnerdesk createadmin ARGS`` in this process; a refusal raises CommandError.

    (Through ``call_command``: Django's command-line runner closes the database connections
    when it is done, which would end the test's transaction.)
    """
    out = io.StringIO()
    call_command("createadmin", *args, stdout=out)
    return out.getvalue()


def test_it_creates_an_admin_who_can_log_in(db):
    out = createadmin(
        "--email",
        "Ada.Admin@BSI.example",
        "--name",
        "Ada Admin",
        "--password",
        ADMIN_PASSWORD,
        "--no-input",
    )

    assert "created" in out
    admin = User.objects.get(email="ada.admin@bsi.example")
    assert admin.organisation.kind == OrganisationKind.VENDOR
    assert admin.has_role(Role.ADMIN)
    client = Client()
    response = client.post(
        reverse("accounts:login"),
        {"username": "ada.admin@bsi.example", "password": ADMIN_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_it_refuses_a_weak_password(db):
    with pytest.raises(CommandError, match="password"):
        createadmin("--email", "ada@bsi.example", "--name", "Ada", "--password", "1234")

    assert not User.objects.filter(email="ada@bsi.example").exists()


def test_it_refuses_an_existing_email(world):
    with pytest.raises(CommandError, match="exists already"):
        createadmin(
            "--email", world.admin.email.upper(), "--name", "Doppelt", "--password", ADMIN_PASSWORD
        )

    assert User.objects.filter(email__iexact=world.admin.email).count() == 1


def test_it_asks_for_missing_values_only_when_interactive(db):
    with pytest.raises(CommandError, match="--name is required"):
        createadmin("--email", "ada@bsi.example", "--no-input")

    assert not User.objects.filter(email="ada@bsi.example").exists()


def test_it_checks_a_migrated_database(db, capsys):
    code = run_main("check")

    out = capsys.readouterr().out
    assert code == 0
    assert "database: reachable" in out
    assert "migrations: all applied" in out


def test_it_fails_the_check_with_unapplied_migrations(tmp_path):
    result = run_partnerdesk("check", data_dir=tmp_path)  # a new, empty SQLite database

    assert result.returncode == 1
    assert "not applied" in result.stderr
    assert "partnerdesk migrate" in result.stderr


def test_it_fails_the_check_when_the_database_is_unreachable(tmp_path):
    result = run_partnerdesk(
        "check", data_dir=tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:9/nowhere"
    )

    assert result.returncode == 1
    assert "database: not reachable" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def database_tasks(settings):
    """The real queue (the suite runs tasks immediately), and db_worker's signal handlers undone."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in handlers.items():
        signal.signal(sig, handler)


def test_it_runs_enqueued_tasks_in_the_worker(transactional_db, database_tasks):
    from django_tasks_db.models import DBTaskResult

    from partnerdesk.lib.tasks import ping

    result = ping.enqueue("grüezi")
    assert DBTaskResult.objects.get(id=result.id).status == "READY"

    code = run_main("worker", "--batch", "--no-startup-delay")

    assert code == 0
    done = DBTaskResult.objects.get(id=result.id)
    assert done.status == "SUCCESSFUL"
    assert done.return_value == "grüezi"
