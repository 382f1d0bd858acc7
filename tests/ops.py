"""Helpers for tests that run the ``partnerdesk`` command as an operator would: a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# Settings a developer or CI may have exported; a subprocess test decides them itself.
_SETTINGS_VARIABLES = (
    "DATABASE_URL",
    "PARTNERDESK_MODE",
    "SECRET_KEY",
    "PARTNERDESK_DATA_DIR",
    "PARTNERDESK_MAIL",
    "PARTNERDESK_TASK_BACKEND",
    "DEBUG",
)


def partnerdesk_command() -> list[str]:
    """The installed console script next to this interpreter (else the module)."""
    script = Path(sys.executable).with_name("partnerdesk")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "partnerdesk.cli"]


def clean_env(data_dir: Path, **overrides: str) -> dict[str, str]:
    """The environment for a subprocess: ours without settings, a data folder of the test's."""
    env = {key: value for key, value in os.environ.items() if key not in _SETTINGS_VARIABLES}
    env["PARTNERDESK_DATA_DIR"] = str(data_dir)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(overrides)
    return env


def run_partnerdesk(
    *args: str, data_dir: Path, timeout: float = 120, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*partnerdesk_command(), *args],
        env=clean_env(data_dir, **env),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )
