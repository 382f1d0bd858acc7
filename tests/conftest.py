from __future__ import annotations

import os

import pytest
from django.test import Client

from tests.world import World, build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM beside Playwright's sync API

PERSONAS = (
    "cs_agent",
    "cs_responsible",
    "expert",
    "project_lead",
    "sales",
    "admin",
    "coordinator",
    "employee",
    "customer_contact",
)
OUTSIDERS = ("outsider_partner", "outsider_customer")


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def client_for():
    """``client_for(user)``: a test client logged in as ``user`` (session auth)."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
