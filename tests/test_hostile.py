"""Hostile files and odd states: one plain line and exit 1 (or a safe success), never a traceback,
bounded time and memory, and an unchanged database when refused.

The import matrix generates each file and runs the real command in a subprocess under a 1 GiB
address-space limit and a time limit, as an attacker's file would be run."""

from __future__ import annotations

import os
import resource
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading

import pytest

from .conftest import SAMPLE_CSV, count_members

MEMORY_LIMIT = 1 << 30  # bytes of address space for a hostile import
TIME_LIMIT = 60  # seconds


def _yaml_member(extra: str) -> str:
    return f"- name: Hostile\n  role: mentor\n{extra}"


def _bomb(width: int, depth: int) -> str:
    lines = ["  notes:", f"    l0: &a0 [{', '.join(['x'] * width)}]"]
    lines += [f"    l{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, depth)]
    return _yaml_member("\n".join(lines) + "\n")


HOSTILE_FILES = {
    # name: (content, what the one line must say)
    "alias_bomb.yaml": (_bomb(9, 9), "expands to more than"),  # 72 aliases, 9^9 values
    "alias_chain.yaml": (_bomb(2, 60), "expands to more than"),  # 120 aliases, 2^60 values
    "self_reference.yaml": (_yaml_member("  notes: &a [*a]\n"), "contains itself"),
    "deep.yaml": (_yaml_member("  notes: " + "[" * 5000 + "]" * 5000 + "\n"), "nested more than"),
    "nul_late.yaml": (_yaml_member("  bio: " + "b" * 9000 + "\x00\n"), "NUL byte"),
    "nul_name.csv": ("name,role\nA\x00B,mentor\n", "nul_name.csv:2: a NUL byte"),
    "capacity_1e20.csv": ("name,role,capacity\nC,mentor,1e20\n", "capacity_1e20.csv:2: capacity"),
    "capacity_int64.csv": ("name,role,capacity\nC,mentor,9223372036854775807\n", ":2: capacity"),
    "capacity_1e23.yaml": (_yaml_member("  capacity: 100000000000000000000000\n"), ": capacity"),
    "capacity_inf.csv": ("name,role,capacity\nC,mentor,inf\n", ":2: capacity"),
    "big_bio.yaml": (_yaml_member("  bio: " + "b" * 2_000_000 + "\n"), "bio: 2,000,000 characters"),
    "long_name.csv": ("name,role\n" + "N" * 900_000 + ",mentor\n", "long_name.csv:2: name: 900,000"),
    "ansi_name.csv": ("name,role\n\x1b]8;;https://evil.example\x07Eve,mentee\n", "control character"),
    "long_list.csv": ("name,role,interests\nL,mentee," + ";".join(f"t{i}" for i in range(500))
                      + "\n", "interests: 500 entries"),
    "huge_extra.yaml": (_yaml_member("  essay: " + "e" * 20_000 + "\n"), "essay: 20,000 characters"),
    "too_big.yaml": ("# padding\n" * 2_100_000 + _yaml_member(""), "over 20 million characters"),
}


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _cli(args: list[str], env_extra: dict[str, str] | None = None, **kwargs):
    env = {**os.environ, "NO_COLOR": "1", "OPENBLAS_NUM_THREADS": "1", **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "mentorctl", *args], capture_output=True,
                          text=True, env=env, timeout=TIME_LIMIT, preexec_fn=_limited, **kwargs)


def _assert_one_line_error(result, *expected: str) -> None:
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr and "Error" in result.stderr, result.stderr[-2000:]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: "), result.stderr[-2000:]
    for text in expected:
        assert text in result.stderr, (text, result.stderr[-2000:])


@pytest.fixture
def seeded(run, tmp_path, db_path):
    seed = tmp_path / "seed.csv"
    seed.write_text("name,role\nSeed,mentor\n", encoding="utf-8")
    run("import", seed)
    return db_path


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_hostile_import_matrix(seeded, tmp_path, name):
    content, expected = HOSTILE_FILES[name]
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8"))
    result = _cli(["import", str(path)])
    _assert_one_line_error(result, expected, name)
    assert count_members(seeded) == 1


@pytest.mark.parametrize("kind", ["device", "fifo", "folder"])
def test_import_refuses_what_is_not_a_file(seeded, tmp_path, kind):
    if kind == "device":
        target = "/dev/zero"
    elif kind == "fifo":
        target = str(tmp_path / "pipe.csv")
        os.mkfifo(target)
    else:
        target = str(tmp_path)
    result = _cli(["import", target])
    _assert_one_line_error(result, target)
    assert count_members(seeded) == 1


def test_an_oversized_file_is_refused_before_it_is_read_whole(run, tmp_path, monkeypatch):
    from mentorctl import readers

    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "big.csv"
    path.write_text("name,role\n" + "x,mentor\n" * 200, encoding="utf-8")
    assert "larger than" in run("import", path, code=1).stderr


@pytest.mark.parametrize("args", [
    ["pairing", "show", "99999999999999999999"],
    ["pairing", "complete", "-1"],
    ["member", "set", "x", "--capacity", "100000000000000000000"],
    ["member", "set", "x", "--capacity", "1001"],
    ["suggest", "--mentee", "x", "--limit", "-1"],
    ["pairing", "stale", "--days", "1e9"],
    ["pair", "--auto", "--min-score", "nan"],
])
def test_numbers_out_of_range_are_usage_errors(run, args):
    result = run(*args, code=2)
    assert result.stderr.strip()


@pytest.mark.parametrize("kind", ["occupation", "school", "location"])
def test_resolve_refuses_a_text_longer_than_import_takes(run, kind):
    # 24,000 characters cost the occupation resolver about a second, for a text import refuses.
    result = run("resolve", kind, "Nurse", "x" * 24_000, code=2)  # run() fails on a crash
    assert result.stderr.strip() == (f"Error: text 2 is 24,000 characters; import takes at most "
                                     f"300 for one {kind}")
    assert run("resolve", kind, "y" * 300, "--json").exception is None


def test_largest_pairing_id_is_not_found(run):
    assert "no pairing 9223372036854775807" in run(
        "pairing", "show", "9223372036854775807", code=1).stderr


# --- exports ---------------------------------------------------------------------------------


def test_export_writes_through_a_symlink_and_never_replaces_it(sample, tmp_path):
    target = tmp_path / "real.csv"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    sample("export", "members", "-o", link)
    assert link.is_symlink() and target.read_text(encoding="utf-8").startswith("id,name,")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_export_writes_through_a_fifo_and_a_device(sample, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    sample("export", "pairings", "-o", fifo)
    reader.join(10)
    assert received and received[0].startswith(b"id,mentee_id,")
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    sample("export", "members", "-o", os.devnull)
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_export_file_is_private_and_headers_are_neutralized(run, tmp_path):
    source = tmp_path / "h.csv"
    source.write_text('name,role,"=HYPERLINK(""http://x"")"\nA,mentor,v\n', encoding="utf-8")
    run("import", source)
    out = tmp_path / "members.csv"
    run("export", "members", "-o", out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "'=HYPERLINK" in out.read_text(encoding="utf-8").splitlines()[0]


# --- backups and the database file ------------------------------------------------------------


def test_backup_refuses_a_missing_folder(sample, tmp_path):
    result = sample("db", "backup", tmp_path / "nowhere" / "x.db", code=1)
    assert "no such folder" in result.stderr
    assert not (tmp_path / "nowhere").exists()


def test_committed_writes_are_in_the_db_file_alone(sample, db_path, tmp_path):
    sample("pair", "--auto")
    wal = db_path.with_name(db_path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    copy = tmp_path / "copy.db"
    shutil.copyfile(db_path, copy)
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT count(*) FROM pairings").fetchone()[0] > 10


def test_database_from_a_newer_version_is_refused(sample, db_path):
    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('mentorctl', '0099_from_the_future', '2030-01-01')")
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('written_by', '9.0.0')")
    for args in (["report"], ["member", "set", "jasmine.wright", "--role", "mentor"]):
        result = sample(*args, code=1)
        assert "written by mentorctl 9.0.0" in result.stderr and "0099_from_the_future" in \
            result.stderr and "newer than this mentorctl" in result.stderr
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT role FROM members WHERE id = 'jasmine.wright'").fetchone() \
            == ("mentee",)


def test_foreign_and_corrupt_databases_are_one_line(run, tmp_path):
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE notes (x)")
    assert "not mentorctl's" in run("--db", foreign, "report", code=1).stderr
    corrupt = tmp_path / "corrupt.db"
    run("--db", corrupt, "import", SAMPLE_CSV)
    data = bytearray(corrupt.read_bytes())
    data[4096 * 2: 4096 * 6] = b"\xff" * (4096 * 4)  # trash pages behind the schema
    corrupt.write_bytes(bytes(data))
    result = run("--db", corrupt, "export", "members", code=1)
    assert "integrity_check" in result.stderr or "malformed" in result.stderr


@pytest.mark.parametrize("name", ["a#b.db", "q?x=1.db", "my%20program.db", "spaced name.db"])
def test_any_path_works(sample, tmp_path, name):
    folder = tmp_path / "odd"
    folder.mkdir()
    db = folder / name
    sample("--db", db, "import", SAMPLE_CSV)
    assert sample.json("--db", db, "suggest", "--mentee", "jasmine.wright", "--json")
    assert "Subject:" in sample("--db", db, "intro", "jasmine.wright", "karen.whitfield").stdout
    assert sorted(p.name for p in folder.iterdir()) == sorted([name, f"{name}-snapshot"])


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_a_read_only_folder_answers_read_commands(sample, db_path):
    sample("pair", "--auto")
    folder = db_path.parent
    os.chmod(db_path, 0o400)
    os.chmod(folder, 0o500)
    try:
        for args in (["report"], ["member", "list"], ["suggest", "--mentee", "jasmine.wright"],
                     ["pairing", "list"], ["export", "unmatched"]):
            sample(*args)
    finally:
        os.chmod(folder, 0o700)
        os.chmod(db_path, 0o600)


@pytest.mark.parametrize("args", [["pairing", "stale"], ["report"], ["pairing", "introduce", "1"],
                                  ["pair", "jasmine.wright", "karen.whitfield"]])
def test_a_bad_clock_variable_is_one_line(sample, monkeypatch, args):
    sample("pair", "amelia.hart", "ethan.brooks")
    monkeypatch.setenv("MENTORCTL_NOW", "yesterday")
    result = sample(*args, code=1)
    assert "MENTORCTL_NOW='yesterday': not a time" in result.stderr


# --- concurrency and the roster -----------------------------------------------------------------


def test_concurrent_imports_of_the_same_new_members_all_land(tmp_path):
    db = tmp_path / "race.db"
    env = {**os.environ, "MENTORCTL_DB": str(db), "NO_COLOR": "1"}
    procs = [subprocess.Popen([sys.executable, "-m", "mentorctl", "import", str(SAMPLE_CSV)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    outcomes = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    for code, stderr in outcomes:
        assert code == 0 and "Traceback" not in stderr, stderr
    assert count_members(db) == 64


def test_role_and_capacity_changes_against_open_pairings_are_refused(sample, tmp_path, db_path):
    sample("pair", "jasmine.wright", "karen.whitfield")
    refused = sample("member", "set", "karen.whitfield", "--role", "mentee", code=1)
    assert "cannot become a mentee while they have open pairings as mentor (#1 with " \
           "jasmine.wright)" in refused.stderr
    assert "open pairings as mentee" in sample(
        "member", "set", "jasmine.wright", "--role", "mentor", code=1).stderr
    assert "cannot take capacity 0" in sample(
        "member", "set", "karen.whitfield", "--capacity", "0", code=1).stderr
    sample("member", "set", "karen.whitfield", "--role", "both")  # keeps the mentor side: fine
    # A re-import of the sheet may not make the same change behind the coordinator's back.
    text = SAMPLE_CSV.read_text(encoding="utf-8").replace(
        "Karen Whitfield,karen.whitfield@example.com,Mentor", "Karen Whitfield,"
        "karen.whitfield@example.com,Mentee")
    changed = tmp_path / "changed.csv"
    changed.write_text(text, encoding="utf-8")
    # By default the re-import keeps the role set by hand; taking the file's value is refused.
    kept = sample("import", changed)
    assert "Kept 1 value(s) changed by hand where the file differs (karen.whitfield: role)" \
        in kept.stderr
    result = sample("import", changed, "--overwrite-edits", code=1)
    assert "role: karen.whitfield cannot become a mentee" in result.stderr
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT role FROM members WHERE id = 'karen.whitfield'").fetchone() \
            == ("both",)
