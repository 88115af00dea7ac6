"""`mentorctl demo` tours the whole workflow in a database of its own, never the user's."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest

from mentorctl.store import default_db_path

SECTIONS = [
    "1. Import the sample program",
    "2. Messy sign-up text, resolved",
    "3. Suggested mentors for one mentee",
    "what they share",
    "4. Pair the whole program at once",
    "The optimal assignment proposed",
    "5. The introduction for pairing #",
    "Subject: Introduction:",
    "What you have in common:",
    "6. Follow pairing #",
    "introduced",
    "completed",
    "promote",
    "7. The program at a glance",
    "Pairings by state",
    "match rate",
    "8. Next",
    "The demo database is",
    "mentorctl --db ",
]


@pytest.fixture
def fresh_home(tmp_path, monkeypatch):
    """A new user's machine: an empty home, no MENTORCTL_DB, a settings file they care about."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("MENTORCTL_DB")
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    settings = tmp_path / "my-settings.yaml"
    settings.write_text("weights: [this is not valid for mentorctl]\n", encoding="utf-8")
    monkeypatch.setenv("MENTORCTL_CONFIG", str(settings))
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return home


def test_demo_runs_in_a_temporary_database_and_never_the_real_one(run, fresh_home, tmp_path,
                                                                   monkeypatch):
    real = default_db_path()
    assert str(real).startswith(str(fresh_home))
    settings = tmp_path / "my-settings.yaml"
    before = settings.read_bytes()

    result = run("demo")
    out = result.stdout
    for section in SECTIONS:
        assert section in out, section

    assert not real.exists() and not real.parent.exists()
    assert settings.read_bytes() == before
    (demo_db,) = (tmp_path / "tmp").glob("mentorctl-demo-*/demo.db")
    assert f"The demo database is {demo_db}" in out
    assert f"mentorctl --db {demo_db} report" in out

    # The suggested follow-up commands work on what the demo built.
    monkeypatch.delenv("MENTORCTL_CONFIG")
    numbers = run.json("--db", demo_db, "report", "--json")
    assert numbers["members"]["total"] > 60
    assert numbers["completions"] == 1
    assert numbers["promoted"]["count"] == 1
    assert numbers["pairings"]["open"] > 10
    pairing = re.search(r"pairing show (\d+)", out)
    assert pairing, out[-800:]


def test_demo_db_must_be_new_or_empty(run, tmp_path, fresh_home, monkeypatch):
    program = tmp_path / "program.db"
    program.write_bytes(b"my real program")
    result = run("demo", "--db", program, code=2)
    assert "already exists" in result.stderr
    assert program.read_bytes() == b"my real program"
    assert run("--db", program, "demo", code=2).exit_code == 2
    assert run("demo", "--db", tmp_path, code=2).exit_code == 2

    empty = tmp_path / "demo" / "empty.db"
    empty.parent.mkdir()
    empty.touch()
    monkeypatch.delenv("MENTORCTL_CONFIG")
    out = run("demo", "--db", empty).stdout
    assert f"The demo database is {empty}" in out
    assert run.json("--db", empty, "report", "--json")["completions"] == 1
    assert not default_db_path().exists()
    assert not list(Path(tmp_path / "tmp").iterdir())  # no temporary folder was needed
