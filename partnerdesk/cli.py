"""The ``partnerdesk`` command: what an operator needs, in one place.

    partnerdesk demo [--port 8000] [--no-serve]   data folder, migrations, demo data, server
    partnerdesk serve [--host] [--port] [--workers]   granian (WSGI) with static files
    partnerdesk migrate                            apply database migrations
    partnerdesk createadmin [--email --name --password]   a vendor administrator
    partnerdesk worker [db_worker options]         background jobs (django-tasks-db)
    partnerdesk check                              system checks, database, migrations
    partnerdesk <django command> …                 any other Django management command

Bad settings stop every subcommand with one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

WSGI_APP = "partnerdesk.wsgi:application"
CONFIG_ERROR_EXIT = 2


def _fail(message: str, code: int = CONFIG_ERROR_EXIT) -> None:
    print(f"partnerdesk: {message}", file=sys.stderr)
    raise SystemExit(code)


def setup_django() -> None:
    """Load the settings and the apps; a configuration error becomes one line and exit 2.

    Called before anything else so that no subcommand (and no Django command, which would
    otherwise hide the error behind "Unknown command") starts with bad settings.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerdesk.settings")
    try:
        import django

        django.setup()
    except ImproperlyConfigured as error:
        _fail(f"configuration error: {error}")


def run_django(argv: list[str]) -> None:
    """Run a Django management command, turning configuration errors into one line."""
    setup_django()
    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(argv)
    except ImproperlyConfigured as error:
        _fail(f"configuration error: {error}")


def _child_env(**extra: str) -> dict[str, str]:
    """The environment for server and worker processes: the same settings as ours."""
    from django.conf import settings

    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "partnerdesk.settings")
    # The default data folder depends on the working directory; pin it for the children.
    env["PARTNERDESK_DATA_DIR"] = str(settings.DATA_DIR)
    env.update(extra)
    return env


def granian_command(*, host: str, port: int, workers: int, backpressure: int = 16) -> list[str]:
    """The granian command line that serves the WSGI app and the collected static files."""
    from django.conf import settings

    command = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-ws",
        # Requests handled at once per worker (each may hold a database connection);
        # granian's default of hundreds would exhaust PostgreSQL's connection limit.
        "--backpressure",
        str(backpressure),
        # Python threads per worker: granian's rule of thumb is at most 2 per core + 1.
        "--blocking-threads",
        str(min(backpressure, 2 * (os.cpu_count() or 1) + 1)),
    ]
    static_root = Path(settings.STATIC_ROOT)
    if static_root.is_dir():
        command += [
            "--static-path-route",
            settings.STATIC_URL.rstrip("/") or "/static",
            "--static-path-mount",
            str(static_root),
        ]
    else:
        print(
            f"partnerdesk: {static_root} does not exist, static files are not served "
            "(run: partnerdesk collectstatic --noinput)",
            file=sys.stderr,
        )
    return [*command, WSGI_APP]


def worker_command(extra: list[str] | None = None) -> list[str]:
    """The background worker: django-tasks-db's ``db_worker``, without Django's reloader."""
    return [sys.executable, "-m", "partnerdesk.cli", "worker", *(extra or [])]


# --- subcommands -------------------------------------------------------------------------


def cmd_serve(args: list[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="partnerdesk serve", description="Serve partnerdesk with granian (WSGI)."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument(
        "--backpressure",
        type=int,
        default=16,
        help="requests handled at once per worker (default 16)",
    )
    options = parser.parse_args(args)
    setup_django()
    command = granian_command(
        host=options.host,
        port=options.port,
        workers=options.workers,
        backpressure=options.backpressure,
    )
    env = _child_env()
    os.execve(sys.executable, command, env)  # noqa: S606 - our own interpreter and arguments


def cmd_worker(args: list[str]) -> None:
    # Django's autoreloader (db_worker's default under DEBUG) is not for operators;
    # ``partnerdesk worker --reload`` still turns it on.
    # Each long-running worker also keeps the clock for periodic jobs; a slot runs once however
    # many workers there are (partnerdesk.schedule.periodic). ``--no-scheduler`` turns it off;
    # a ``--batch`` run (work off the queue, then exit) has no clock to keep.
    scheduler = "--no-scheduler" not in args and "--batch" not in args
    args = [arg for arg in args if arg != "--no-scheduler"]
    if not scheduler:
        run_django(["partnerdesk", "db_worker", "--no-reload", *args])
        return
    setup_django()
    from partnerdesk.schedule.periodic import run_scheduler

    stop = threading.Event()
    clock = threading.Thread(target=run_scheduler, args=(stop,), daemon=True, name="scheduler")
    clock.start()
    try:
        run_django(["partnerdesk", "db_worker", "--no-reload", *args])
    finally:
        stop.set()
        clock.join(timeout=10)


def cmd_check(args: list[str]) -> None:
    """Django's system checks, then: is the database reachable, are migrations applied?"""
    setup_django()
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    failed = False
    try:
        call_command("check", *args)
    except CommandError as error:
        print(error, file=sys.stderr)
        failed = True

    connection = connections[DEFAULT_DB_ALIAS]
    try:
        connection.ensure_connection()
    except Exception as error:  # any driver error means "not reachable"
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        print(f"database: not reachable ({first_line})", file=sys.stderr)
        raise SystemExit(1) from None
    print(f"database: reachable ({connection.vendor}, {connection.settings_dict['NAME']})")

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{migration.app_label}.{migration.name}" for migration, _ in plan[:5])
        more = f" and {len(plan) - 5} more" if len(plan) > 5 else ""
        print(
            f"migrations: {len(plan)} not applied ({names}{more}); run: partnerdesk migrate",
            file=sys.stderr,
        )
        failed = True
    else:
        print("migrations: all applied")
    raise SystemExit(1 if failed else 0)


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _wait_until_serving(url: str, process: subprocess.Popen, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own http URL
                return True
        except urllib.error.HTTPError:
            return True  # any HTTP answer means the app is up
        except OSError:
            time.sleep(0.2)
    return False


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + 10
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def cmd_demo(args: list[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="partnerdesk demo",
        description=(
            "Create the data folder, migrate, load the demo data (once), collect static files "
            "and run the server on 127.0.0.1 with a background worker."
        ),
    )
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument(
        "--no-serve", action="store_true", help="prepare the data and exit without serving"
    )
    options = parser.parse_args(args)
    host = "127.0.0.1"

    # The demo keeps its mails as files in the data folder instead of sending them.
    os.environ.setdefault("PARTNERDESK_MAIL", "file")
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    if not options.no_serve and not _port_is_free(host, options.port):
        _fail(f"port {options.port} is in use: try partnerdesk demo --port {options.port + 1}")

    started = time.monotonic()
    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    print(f"partnerdesk demo: data folder {data_dir}", flush=True)
    call_command("migrate", interactive=False, verbosity=0)

    from partnerdesk.demo import DemoError, load_demo

    try:
        logins = load_demo()
    except DemoError as error:
        _fail(str(error), code=1)
    print(
        "partnerdesk demo: demo data loaded"
        if logins.created
        else "partnerdesk demo: demo data reused (already loaded)",
        flush=True,
    )
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.db import connections

    connections.close_all()
    if options.no_serve:
        print(logins.as_text())
        return

    env = _child_env(PARTNERDESK_MAIL=os.environ["PARTNERDESK_MAIL"])
    server = subprocess.Popen(granian_command(host=host, port=options.port, workers=1), env=env)  # noqa: S603
    worker = subprocess.Popen(worker_command(["--interval", "2"]), env=env)  # noqa: S603
    processes = [server, worker]

    def on_terminate(signum, frame):
        # Once is enough: further signals must not interrupt the shutdown.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_terminate)
    url = f"http://{host}:{options.port}/"
    try:
        if not _wait_until_serving(url, server):
            _stop(processes)
            _fail("the server did not start (see the messages above)", code=1)
        seconds = time.monotonic() - started
        print(f"\npartnerdesk demo is running at {url}  (ready after {seconds:.1f} s)")
        print(logins.as_text())
        print(f"Mails land in {data_dir / 'mail'}. Stop with Ctrl+C.\n", flush=True)
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
        _stop(processes)
        _fail("the server or the worker stopped unexpectedly", code=1)
    except KeyboardInterrupt:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print("\npartnerdesk demo: stopping …", flush=True)
        _stop(processes)


COMMANDS: dict[str, Callable[[list[str]], None]] = {
    "demo": cmd_demo,
    "serve": cmd_serve,
    "worker": cmd_worker,
    "check": cmd_check,
    # migrate and createadmin are management commands; listed here for --help only.
    "migrate": lambda args: run_django(["partnerdesk", "migrate", *args]),
    "createadmin": lambda args: run_django(["partnerdesk", "createadmin", *args]),
}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args in (["-h"], ["--help"], ["help"]):
        print(__doc__.strip())
        return
    handler = COMMANDS.get(args[0])
    if handler is None:
        run_django(["partnerdesk", *args])
    else:
        handler(args[1:])


if __name__ == "__main__":
    main()
