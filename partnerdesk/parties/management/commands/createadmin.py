"""``partnerdesk createadmin``: create a vendor administrator.

Interactive by default; ``--email``, ``--name`` and ``--password`` (or the environment
variable ``PARTNERDESK_ADMIN_PASSWORD``) make it scriptable. The person is created through
``person_create`` with the admin role, like any other person.
"""

from __future__ import annotations

import getpass
import os
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from partnerdesk.parties.actions import person_create, vendor_get_or_create
from partnerdesk.parties.models import Role, User


def _messages(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


class Command(BaseCommand):
    help = "Create a vendor administrator (role admin) who can log in and use the admin site."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--email", help="e-mail address (the log-in)")
        parser.add_argument("--name", help="full name")
        parser.add_argument(
            "--password",
            help="password (else PARTNERDESK_ADMIN_PASSWORD, else asked for)",
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="never prompt; fail if a value is missing",
        )

    def handle(self, *args, **options) -> None:
        interactive = options["interactive"] and sys.stdin.isatty()
        email = options["email"] or self._ask("E-Mail", interactive=interactive, flag="--email")
        name = options["name"] or self._ask("Name", interactive=interactive, flag="--name")
        password = options["password"] or os.environ.get("PARTNERDESK_ADMIN_PASSWORD", "")
        if not password:
            password = self._ask_password(interactive=interactive)

        if User.objects.filter(email__iexact=email.strip()).exists():
            raise CommandError(f"a person with the e-mail {email} exists already")
        vendor = vendor_get_or_create()
        candidate = User(email=email, full_name=name, organisation=vendor)
        try:
            validate_password(password, user=candidate)
        except ValidationError as error:
            raise CommandError(f"password: {_messages(error)}") from None
        try:
            admin = person_create(
                acting_user=None,
                organisation=vendor,
                email=email,
                full_name=name,
                roles=[Role.ADMIN],
                password=password,
            )
        except ValidationError as error:
            raise CommandError(_messages(error)) from None
        self.stdout.write(f"Administrator {admin.full_name} <{admin.email}> created.")

    def _ask(self, label: str, *, interactive: bool, flag: str) -> str:
        if not interactive:
            raise CommandError(f"{flag} is required when not running interactively")
        while True:
            value = input(f"{label}: ").strip()
            if value:
                return value

    def _ask_password(self, *, interactive: bool) -> str:
        if not interactive:
            raise CommandError(
                "--password (or PARTNERDESK_ADMIN_PASSWORD) is required when not running "
                "interactively"
            )
        while True:
            first = getpass.getpass("Password: ")
            if first and first == getpass.getpass("Password (again): "):
                return first
            self.stderr.write("The passwords are empty or differ; try again.")
