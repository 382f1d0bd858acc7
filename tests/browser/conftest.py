"""Playwright against the live server, driving Debian's Chromium (Playwright's own download
does not work here). Without /usr/bin/chromium the browser tests are skipped, loudly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.world import World, build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM beside Playwright's sync page

CHROMIUM = Path("/usr/bin/chromium")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not found: apt-get install -y chromium")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A Swiss browser; the language the person chose still wins after log-in.
    return {
        **browser_context_args,
        "locale": "de-CH",
        "viewport": {"width": 1280, "height": 860},
    }


@pytest.fixture
def live_world(transactional_db) -> World:
    """The test world, committed so the live server's thread sees it."""
    return build_world()


@pytest.fixture
def screenshot():
    """``screenshot(page, name)`` saves a full-page PNG when SCREENSHOTS_DIR is set."""
    target = os.environ.get("SCREENSHOTS_DIR")

    def take(page, name: str) -> None:
        if not target:
            return
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"{name}.png"), full_page=True)

    return take
