"""Bad settings stop every start with one clear line on stderr and exit code 2."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.ops import clean_env, run_partnerdesk

SUBCOMMANDS = [
    ("demo", "--no-serve"),
    ("serve",),
    ("migrate",),
    ("createadmin", "--no-input"),
    ("worker",),
    ("check",),
    ("showmigrations",),  # any other Django command, passed through
]

BAD_SETTINGS = [
    pytest.param(
        {"DATABASE_URL": "mysql://root@127.0.0.1/partnerdesk"}, "DATABASE_URL", id="scheme"
    ),
    pytest.param({"PARTNERDESK_MODE": "production"}, "SECRET_KEY", id="secret-key"),
]


def assert_one_clear_line(result: subprocess.CompletedProcess[str], word: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1, result.stderr
    assert word in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize(("env", "word"), BAD_SETTINGS)
@pytest.mark.parametrize("args", SUBCOMMANDS, ids=lambda args: args[0])
def test_it_stops_every_subcommand_with_one_line(tmp_path, args, env, word):
    result = run_partnerdesk(*args, data_dir=tmp_path, timeout=60, **env)

    assert_one_clear_line(result, word)
    assert not (tmp_path / "partnerdesk.sqlite3").exists()


@pytest.mark.parametrize(("env", "word"), BAD_SETTINGS)
def test_it_stops_the_wsgi_start_with_one_line(tmp_path, env, word):
    result = subprocess.run(
        [sys.executable, "-c", "import partnerdesk.wsgi"],
        env=clean_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert_one_clear_line(result, word)


def test_it_starts_with_good_settings(tmp_path):
    result = run_partnerdesk("check", data_dir=tmp_path, timeout=60)

    # An empty database: reachable, but nothing migrated yet; no configuration error.
    assert result.returncode == 1, result.stderr
    assert "configuration error" not in result.stderr
    assert "database: reachable" in result.stdout
