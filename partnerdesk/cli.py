"""The ``partnerdesk`` command: demo, serve, migrate, createadmin, worker, check."""

from __future__ import annotations

import os
import sys

from django.core.exceptions import ImproperlyConfigured


def run_django(argv: list[str]) -> None:
    """Run a Django management command, turning configuration errors into one line."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerdesk.settings")
    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(argv)
    except ImproperlyConfigured as error:
        print(f"partnerdesk: configuration error: {error}", file=sys.stderr)
        raise SystemExit(2) from None


def main() -> None:
    run_django(["partnerdesk", *sys.argv[1:]])
