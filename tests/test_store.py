"""The database file: where it lives, its privacy, migrations, backups, and plain-error failures."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from mentorctl import migrations
from mentorctl.store import Store, default_db_path, resolve_db_path

from .conftest import SAMPLE_CSV, count_members


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_database_is_created_private(run, db_path):
    run("import", SAMPLE_CSV)
    assert mode(db_path) == 0o600
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            assert mode(side) & 0o077 == 0


def test_path_precedence_flag_over_env_over_app_dir(run, tmp_path, monkeypatch):
    assert run("db", "path").stdout.strip() == str(tmp_path / "program.db")
    assert run("--db", tmp_path / "other.db", "db", "path").stdout.strip() == \
        str(tmp_path / "other.db")
    monkeypatch.delenv("MENTORCTL_DB")
    assert resolve_db_path() == default_db_path()
    assert str(default_db_path()).endswith(os.path.join("mentorctl", "mentorctl.db"))
    assert resolve_db_path(tmp_path / "x.db") == tmp_path / "x.db"


def test_backup_is_a_consistent_private_copy(run, db_path, tmp_path):
    run("import", SAMPLE_CSV)
    result = run("db", "backup", tmp_path / "copy.db")
    assert "Backed up" in result.stderr
    assert mode(tmp_path / "copy.db") == 0o600
    assert count_members(tmp_path / "copy.db") == count_members(db_path)
    assert "already exists" in run("db", "backup", tmp_path / "copy.db", code=1).stderr


def test_migrations_are_recorded_and_applied_once(db_path):
    with Store(db_path) as store:
        names = [r["name"] for r in store.query("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
        assert names == ["0001_members_pairings_events", "0002_program_snapshot",
                         "0003_program_snapshot_leaves_the_database", "0004_pairing_origin",
                         "0005_living_roster"]
        assert store.scalar("PRAGMA journal_mode") == "wal"
    with Store(db_path) as store:
        assert store.scalar("SELECT count(*) FROM _sqlite_migrations") == len(migrations.MIGRATIONS)
        assert store.scalar("PRAGMA integrity_check") == "ok"


def test_migrations_are_recorded_as_sqlite_utils_records_them(db_path, tmp_path):
    """Store applies migrations without sqlite_utils (its import pulls pandas), but a database
    it makes must look the same to sqlite_utils.Migrations, which older builds use."""
    from sqlite_utils import Database, Migrations

    from mentorctl.migrations import MIGRATION_SET, MIGRATIONS

    Store(db_path).close()
    registry = Migrations(MIGRATION_SET)
    for name, fn in MIGRATIONS:
        registry(name=name)(fn)
    assert registry.pending(Database(db_path)) == []
    reference = tmp_path / "by-sqlite-utils.db"
    registry.ensure_migrations_table(Database(reference))

    def schema(path):
        conn = sqlite3.connect(path)
        try:
            return sorted(conn.execute("SELECT type, name, sql FROM sqlite_master "
                                       "WHERE tbl_name = '_sqlite_migrations'"))
        finally:
            conn.close()

    assert schema(db_path) == schema(reference)


def test_a_database_from_the_first_migration_opens_and_upgrades(db_path):
    conn = sqlite3.connect(db_path)
    from mentorctl import migrations

    first = migrations.MIGRATIONS[:1]
    saved = list(migrations.MIGRATIONS)
    migrations.MIGRATIONS[:] = first
    try:
        Store(db_path).close()  # an "older version" with only 0001
    finally:
        migrations.MIGRATIONS[:] = saved
    conn.close()
    with Store(db_path) as store:
        assert store.scalar("SELECT count(*) FROM _sqlite_migrations") == len(migrations.MIGRATIONS)
        assert store.scalar("SELECT 1 FROM sqlite_master WHERE name = 'members'") == 1
        # 0002 made the snapshot table, 0003 moved the cache out of the database.
        assert store.scalar("SELECT 1 FROM sqlite_master WHERE name = 'program_snapshot'") is None


def test_not_a_database_is_one_plain_error(run, tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("this is not sqlite " * 100)
    result = run("--db", bogus, "member", "list", code=1)
    assert "not a database" in result.stderr and result.stderr.count("\n") == 1


def test_python_dash_m_version_and_help():
    version = subprocess.run([sys.executable, "-m", "mentorctl", "--version"],
                             capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("mentorctl ")
    for args in (["-h"], ["member", "-h"], ["pairing", "start", "--help"]):
        shown = subprocess.run([sys.executable, "-m", "mentorctl", *args], capture_output=True,
                               text=True)
        assert shown.returncode == 0 and "Usage" in shown.stdout


@pytest.mark.parametrize("xdg", [None, "config-home"])
def test_app_dir_agrees_with_typer_without_importing_it(monkeypatch, tmp_path, xdg):
    import typer

    from mentorctl.store import app_dir

    if xdg:
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / xdg))
    else:
        monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    assert app_dir() == Path(typer.get_app_dir("mentorctl"))
