"""The command line as an administrator uses it: a real process, a fresh data directory."""

import json
import os
import subprocess
import sys

import pytest


def cli(*args, env_extra=None, input=None):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "ai_toolbox.cli", *args], capture_output=True, text=True,
                          env=env, input=input, timeout=120)


def test_init_is_idempotent_and_prints_the_admin_login(data_dir):
    first = cli("init", "--json")
    assert first.returncode == 0, first.stderr
    login = json.loads(first.stdout.strip().splitlines()[-1])
    assert login["created"] is True and login["username"] == "admin" and len(login["password"]) >= 12
    second = cli("init")
    assert second.returncode == 0 and "Already initialised; nothing changed." in second.stdout
    assert login["password"] in second.stdout


def test_commands_work_on_a_fresh_data_directory(data_dir):
    r = cli("user", "add", "chan.tai.man", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout.splitlines()[-1])["department"] == "default"


def test_unreachable_database_is_a_clear_error_not_a_traceback(data_dir):
    r = cli("init", env_extra={"AITB_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "database" in r.stderr.lower()
    assert "AITB_DATABASE_URL" in r.stderr


def test_unknown_department_is_a_clear_error(data_dir):
    r = cli("user", "add", "someone", "--dept", "atlantis")
    assert r.returncode == 2 and "Unknown department 'atlantis'" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.postgres
def test_init_on_postgres(pg_url):
    r = cli("init", "--json", env_extra={"AITB_DATABASE_URL": pg_url})
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout.splitlines()[-1])["database"].startswith("postgresql+psycopg://***@")


@pytest.mark.parametrize(
    ("variable", "value"),
    [("AITB_PORT", "eighty"), ("AITB_ASSISTANT__INDEX_BACKEND", "pgvector"), ("AITB_RATE_LIMIT_STORE", "redis")],
)
def test_a_setting_that_does_not_fit_is_named_not_a_traceback(data_dir, variable, value):
    r = cli("kb", "list", env_extra={variable: value})
    assert r.returncode == 2
    assert variable in r.stderr and repr(value) in r.stderr.replace("\n", "")
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("args", [("nosuchcommand",), ("data", "nosuch"), ("data", "load")])
def test_usage_errors_are_a_message_not_a_traceback(data_dir, args):
    r = cli(*args)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and ("No such command" in r.stderr or "Missing argument" in r.stderr)
