"""Exports (columns, the members round trip, spreadsheet safety), the report, and guidelines."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mentorctl.store import Store
from tests.conftest import ROOT, SAMPLE_CSV, SAMPLE_YAML, Run

NOW = "2026-02-10T00:00:00Z"
FIXED = "2026-01-15T09:00:00Z"


def day(n: float) -> str:
    """The time n days after 2026-01-01 (the start of the test program)."""
    from datetime import UTC, datetime, timedelta

    return (datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=n)).strftime("%Y-%m-%dT%H:%M:%SZ")


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))


def exported(run, kind: str, *args: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(run("export", kind, *args).stdout, newline="")))


# --- a program with pairings in known states -------------------------------------------------

PROGRAM_YAML = """\
members:
  - {id: m1, name: Maria Lopez, email: maria@example.org, role: mentor, capacity: 3,
     occupation: Software Engineer, languages: [English]}
  - {id: m2, name: Noah Berg, email: noah@example.org, role: mentor, capacity: 2}
  - {id: m3, name: Olu Ade, role: mentor, capacity: 3, available: false}
  - {id: e1, name: Ema Stone, email: ema@example.org, role: mentee, goals: Learn Python,
     languages: [English]}
  - {id: e2, name: Finn Park, email: finn@example.org, role: mentee}
  - {id: e3, name: Gia Rossi, email: gia@example.org, role: mentee}
  - {id: e4, name: Hal Moore, email: hal@example.org, role: mentee}
  - {id: e5, name: Ivy Chen, role: mentee, available: false}
  - {id: p1, name: Pia Kaur, email: pia@example.org, role: mentee}
"""

# (day after 1 Jan 2026, command): the program's history, replayed through the CLI on a frozen
# clock. Pairing ids follow the order of the `pair` commands.
HISTORY = [
    (0, "pair e1 m1"),  # 1: active, then quiet since its check-in on day 5: stale
    (30, "pair e2 m1"),  # 2: proposed 10 days ago
    (0, "pair p1 m2"),  # 3: completed; p1 is then promoted and mentors e4
    (1, "pair e3 m2"),  # 4: declined
    (2, "pairing decline 4 --reason no-time"),
    (2, "pairing introduce 1"),
    (4, "pairing start 1"),
    (5, "pairing checkin 1 --note first-meeting"),
    (4, "pairing introduce 3"),
    (6, "pairing start 3"),
    (20, "pairing complete 3"),
    (20, "member promote p1"),
    (21, "pair e4 p1"),  # 5: active, checked in 5 days ago
    (22, "pairing introduce 5"),
    (25, "pairing start 5"),
    (35, "pairing checkin 5"),
    (10, "pair e3 m1"),  # 6: introduced 28 days ago: stale
    (12, "pairing introduce 6"),
]


@pytest.fixture(scope="module")
def program_db(tmp_path_factory) -> Path:
    """The program built once per module (replaying HISTORY takes a second); tests get copies."""
    folder = tmp_path_factory.mktemp("program")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("MENTORCTL_DB", str(folder / "program.db"))
        env.setenv("MENTORCTL_CONFIG", str(folder / "mentorctl.yaml"))
        env.setenv("NO_COLOR", "1")
        run = Run()
        path = folder / "program.yaml"
        path.write_text(PROGRAM_YAML, encoding="utf-8")
        run("import", path)
        for when, command in HISTORY:
            env.setenv("MENTORCTL_NOW", day(when))
            run(*command.split())
    return folder / "program.db"


@pytest.fixture
def program(run, program_db, db_path, monkeypatch):
    with Store(program_db) as built:
        built.backup(db_path)
    monkeypatch.setenv("MENTORCTL_NOW", NOW)
    return run


EXPECTED_REPORT = {
    "members": {"total": 9, "available": 7,
                "by_role": {"mentor": {"available": 2, "unavailable": 1},
                            "mentee": {"available": 4, "unavailable": 1},
                            "both": {"available": 1, "unavailable": 0}}},
    "pairings": {"total": 6, "open": 4,
                 "by_state": {"proposed": 1, "introduced": 1, "active": 2, "paused": 0,
                              "completed": 1, "declined": 1, "ended": 0}},
    "match_rate": {"matched": 5, "mentees": 6, "rate": 0.8333},
    "mentor_utilization": {"open_pairings": 4, "capacity": 6, "rate": 0.6667},
    "median_days": {"to_introduction": 2.0, "to_start": 4.0},
    "stale": {"days": 21, "count": 2},
    "past_term": {"weeks": 26, "count": 0},
    "paused_idle": {"days": 42, "count": 0},
    "expired": 0,
    "completions": 1,
    "promoted": {"count": 1, "have_mentored": 1},
    "generated_at": NOW,
}


def test_report_json_has_the_known_numbers(program):
    assert program.json("report", "--json") == EXPECTED_REPORT


def test_report_stale_days_follow_the_settings(program, isolated):
    (isolated / "mentorctl.yaml").write_text("rules:\n  stale_days: 40\n", encoding="utf-8")
    assert program.json("report", "--json")["stale"] == {"days": 40, "count": 0}


def test_report_text_is_plain_when_piped(program):
    result = program("report")
    out = result.stdout
    assert "\x1b[" not in out and "█" not in out
    bars = {line.split()[0]: line.split() for line in out.splitlines()
            if line.split() and line.split()[0] in EXPECTED_REPORT["pairings"]["by_state"]}
    assert bars["active"] == ["active", "2", "#" * 40]
    assert bars["proposed"] == ["proposed", "1", "#" * 20]
    assert bars["paused"] == ["paused", "0"]
    assert "83% (5 of 6 mentees" in out
    assert "67% (4 open pairings, capacity 6)" in out
    assert "median days to introduction 2 days" in " ".join(out.split())
    assert "stale pairs" in out and "2 (no progress or check-in for 21 days)" in out
    assert "1 (1 have mentored since)" in out
    assert "pairing stale --days 21" in result.stderr


def test_report_on_an_empty_program(run):
    numbers = run.json("report", "--json")
    assert numbers["members"]["total"] == 0
    assert numbers["match_rate"]["rate"] is None
    assert numbers["median_days"] == {"to_introduction": None, "to_start": None}
    assert "Pairings by state (0 in all" in run("report").stdout


# --- exports -------------------------------------------------------------------------------


def test_export_columns(program):
    header = {kind: rows_of(program("export", kind).stdout)[0] for kind in
              ("members", "pairings", "unmatched", "mentor-load", "events", "intros")}
    assert header["members"] == ["id", "name", "email", "role", "occupation", "schools",
                                 "location", "interests", "friends", "languages", "capacity",
                                 "available", "goals", "bio", "organization"]
    assert header["pairings"] == ["id", "mentee_id", "mentee_name", "mentor_id", "mentor_name",
                                  "status", "score", "shared", "created_at", "introduced_at",
                                  "started_at", "ended_at", "last_checkin_at", "note"]
    assert header["unmatched"] == ["mentee_id", "name", "email", "role", "available", "reason",
                                   "past_pairings"]
    assert header["mentor-load"] == ["mentor_id", "name", "capacity", "available",
                                     "open_pairings", "room_left", "completed"]
    assert header["events"] == ["id", "at", "kind", "pairing_id", "mentee_id", "mentee_name",
                                "mentor_id", "mentor_name", "member_id", "member_name",
                                "old_state", "new_state", "note"]
    assert header["intros"] == ["pairing_id", "status", "to", "mentee_id", "mentee_name",
                                "mentee_email", "mentor_id", "mentor_name", "mentor_email",
                                "subject", "body"]


def test_export_pairings_rows(program):
    rows = exported(program, "pairings")
    assert [r["id"] for r in rows] == ["1", "2", "3", "4", "5", "6"]
    first = rows[0]
    assert (first["mentee_id"], first["mentee_name"], first["mentor_id"],
            first["mentor_name"]) == ("e1", "Ema Stone", "m1", "Maria Lopez")
    assert first["status"] == "active" and float(first["score"]) > 0
    assert first["shared"] == "both speak English"
    assert (first["created_at"], first["introduced_at"], first["started_at"],
            first["last_checkin_at"], first["ended_at"]) == (day(0), day(2), day(4), day(5), "")


def test_export_mentor_load(program):
    rows = {r["mentor_id"]: r for r in exported(program, "mentor-load")}
    assert list(rows) == ["m1", "m2", "m3", "p1"]
    assert rows["m1"] == {"mentor_id": "m1", "name": "Maria Lopez", "capacity": "3",
                          "available": "yes", "open_pairings": "3", "room_left": "0",
                          "completed": "0"}
    assert (rows["m2"]["open_pairings"], rows["m2"]["room_left"], rows["m2"]["completed"]) == (
        "0", "2", "1")
    assert rows["m3"]["available"] == "no"


def test_export_events_with_names(program):
    rows = exported(program, "events")
    assert [r["at"] for r in rows] == sorted(r["at"] for r in rows)
    promote = next(r for r in rows if r["kind"] == "promote")
    assert (promote["member_id"], promote["member_name"], promote["new_state"]) == (
        "p1", "Pia Kaur", "both")
    checkin = next(r for r in rows if r["kind"] == "checkin" and r["pairing_id"] == "1")
    assert (checkin["at"], checkin["mentee_name"], checkin["mentor_name"], checkin["note"]) == (
        day(5), "Ema Stone", "Maria Lopez", "first-meeting")
    declined = next(r for r in rows if r["new_state"] == "declined")
    assert (declined["pairing_id"], declined["old_state"], declined["note"]) == (
        "4", "proposed", "no-time")


def test_export_unmatched_with_reasons(program):
    rows = {r["mentee_id"]: r for r in exported(program, "unmatched")}
    assert set(rows) == {"e5", "p1"}  # everyone else has an open pairing
    assert rows["e5"]["reason"] == "marked unavailable"
    assert rows["p1"]["reason"] == "completed a pairing"  # promoted: next for them is mentoring
    assert rows["p1"]["past_pairings"] == "#3 completed with m2"


def test_export_unmatched_names_the_missing_mentor(run, tmp_path):
    path = tmp_path / "few.yaml"
    path.write_text("- {id: m, name: Max, role: mentor, capacity: 0}\n"
                    "- {id: e, name: Eve, role: mentee}\n", encoding="utf-8")
    run("import", path)
    (row,) = exported(run, "unmatched")
    assert row["reason"] == ("no eligible mentor: every available mentor has capacity 0 "
                             "(not taking mentees)")


def test_export_intros_one_row_per_open_pairing(program):
    # By default the proposed pairings (the intros still to send); --status chooses others.
    assert [r["pairing_id"] for r in exported(program, "intros")] == ["2"]
    rows = exported(program, "intros", "--status", "proposed", "--status", "introduced",
                    "--status", "active", "--status", "paused")
    assert [r["pairing_id"] for r in rows] == ["1", "2", "5", "6"]
    first = rows[0]
    assert first["to"] == "ema@example.org;maria@example.org"
    assert (first["mentee_name"], first["mentor_email"]) == ("Ema Stone", "maria@example.org")
    assert "Ema" in first["subject"] and "Maria Lopez" in first["subject"]
    assert first["body"].startswith("Hi Ema and Maria") and "Learn Python" in first["body"]


def test_export_to_file_with_bom_and_message(program, tmp_path):
    target = tmp_path / "out" / "pairings.csv"
    target.parent.mkdir()
    result = program("export", "pairings", "-o", target, "--bom")
    assert result.stdout == ""
    assert result.stderr.strip() == f"Wrote 6 rows to {target}"
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,mentee_id,")
    assert b"\r\n" in data
    plain = program("export", "pairings", "-o", target)
    assert not target.read_bytes().startswith(b"\xef\xbb\xbf") and plain.stdout == ""
    assert program("export", "pairings", "--bom").stdout.startswith("\ufeffid,")
    assert not list(tmp_path.joinpath("out").glob(".*tmp*"))


def test_export_to_a_directory_is_a_clear_error(program, tmp_path):
    result = program("export", "members", "-o", tmp_path, code=1)
    assert "is a directory" in result.stderr


def test_export_of_an_empty_program_is_just_the_header(run):
    assert rows_of(run("export", "pairings").stdout) == [rows_of(
        run("export", "pairings").stdout)[0]]
    assert run("export", "intros").stdout.startswith("pairing_id,")
    assert run("export", "unmatched", "-o", "-").stdout.startswith("mentee_id,")


def test_export_unknown_kind_is_a_usage_error(run):
    assert run("export", "everything", code=2).exit_code == 2


# --- the members round trip -------------------------------------------------------------------


def test_members_round_trip_is_unchanged(run, tmp_path, monkeypatch):
    monkeypatch.setenv("MENTORCTL_NOW", FIXED)  # the same created_at in both programs
    first_db, second_db = tmp_path / "first.db", tmp_path / "second.db"
    run("--db", first_db, "import", SAMPLE_CSV, SAMPLE_YAML)
    first_csv = tmp_path / "first.csv"
    run("--db", first_db, "export", "members", "-o", first_csv)
    summary = run.json("--db", second_db, "import", first_csv, "--json")
    assert summary["created"] > 60
    assert summary["rejected"] == 0
    second_bytes = run("--db", second_db, "export", "members").stdout_bytes
    assert second_bytes == first_csv.read_bytes()
    second = second_bytes.decode("utf-8")

    header = rows_of(second)[0]
    assert header[-2:] == ["Pronouns", "Timestamp"]  # extra columns kept, in a stable order
    ids = [row[0] for row in rows_of(second)[1:]]
    assert len(ids) == summary["created"]
    # `member show --json` is the same in both programs, for every member.
    from mentorctl import api

    for member_id in ids:
        assert api.show_member(member_id, db=first_db) == api.show_member(
            member_id, db=second_db), member_id
    for member_id in ids[:3]:
        assert run.json("--db", first_db, "member", "show", member_id, "--json") == run.json(
            "--db", second_db, "member", "show", member_id, "--json")


HOSTILE = {
    "name": '=HYPERLINK("http://x")',
    "bio": "@SUM(1)",
    "Phone": "+1 555",
    "goals": "-2+3 careers; a list that is not a formula",
    "occupation": "=cmd|' /C calc'!A0",
}


def test_formula_cells_are_neutralized_and_restored_on_import(run, tmp_path):
    source = tmp_path / "hostile.csv"
    with open(source, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["id", "name", "role", "bio", "Phone", "goals", "occupation", "capacity"])
        writer.writerow(["evil", HOSTILE["name"], "mentor", HOSTILE["bio"], HOSTILE["Phone"],
                         HOSTILE["goals"], HOSTILE["occupation"], "2"])
    run("import", source)
    text = run("export", "members").stdout
    header, row = rows_of(text)
    cells = dict(zip(header, row, strict=True))
    for column, value in HOSTILE.items():
        assert cells[column] == "'" + value
    assert cells["capacity"] == "2"  # numbers stay numbers
    assert ',2,yes,' in text

    exported_file = tmp_path / "export.csv"
    exported_file.write_text(text, encoding="utf-8", newline="")
    fresh = tmp_path / "fresh.db"
    run("--db", fresh, "import", exported_file)
    member = run.json("--db", fresh, "member", "show", "evil", "--json")
    assert (member["name"], member["bio"], member["goals"], member["occupation"]) == (
        HOSTILE["name"], HOSTILE["bio"], HOSTILE["goals"], HOSTILE["occupation"])
    assert member["extra"] == {"Phone": "+1 555"}


def test_formula_neutralization_in_every_text_export(program, store):
    with store.write():
        store.conn.execute("UPDATE members SET name = '=1+1' WHERE id = 'm1'")
        store.conn.execute("UPDATE events SET note = '@evil' WHERE kind = 'checkin'")
    assert "'=1+1" in program("export", "pairings").stdout
    assert "'@evil" in program("export", "events").stdout
    assert "'=1+1" in program("export", "mentor-load").stdout


# --- guidelines -----------------------------------------------------------------------------


def test_guidelines_list_and_plain_text_when_piped(run):
    listing = run("guidelines").stdout
    for name in ("mentor", "mentee", "coordinator"):
        assert name in listing
    for name in ("mentor", "mentee", "coordinator"):
        text = run("guidelines", name).stdout
        assert text == (ROOT / "guidelines" / f"{name}.md").read_text(encoding="utf-8")
        assert len(text.split()) >= 400
    assert run("guidelines", "janitor", code=2).exit_code == 2


def test_guidelines_render_with_rich_in_a_terminal(monkeypatch, capsys):
    from rich.console import Console

    from mentorctl.cli import reports

    console = Console(force_terminal=True, width=100, no_color=True)
    monkeypatch.setattr(reports, "out", lambda: console)
    reports.guidelines_command(reports.Audience.mentee)
    out = capsys.readouterr().out
    assert "Guide for" in out and "# Guide" not in out  # headings rendered, not raw Markdown


def test_guidelines_and_sample_data_from_an_installed_wheel(tmp_path):
    wheels, target, elsewhere = tmp_path / "wheels", tmp_path / "site", tmp_path / "cwd"
    elsewhere.mkdir()
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "-w", str(wheels), str(ROOT)], check=True, capture_output=True)
    (wheel,) = wheels.glob("mentorctl-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(target), "NO_COLOR": "1"}
    for key in ("MENTORCTL_DB", "MENTORCTL_CONFIG"):
        env.pop(key, None)
    where = subprocess.run(
        [sys.executable, "-c", "import mentorctl.report as r; print(r.__file__); "
         "print(r.shipped_path('guidelines')); print(r.shipped_path('sample_data'))"],
        cwd=elsewhere, env=env, check=True, capture_output=True, text=True).stdout.split()
    assert all(line.startswith(str(target)) for line in where), where
    result = subprocess.run([sys.executable, "-m", "mentorctl", "guidelines", "mentor"],
                            cwd=elsewhere, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Guide for Mentors" in result.stdout and len(result.stdout.split()) >= 400
    assert "confidential" in result.stdout.lower()


def test_report_json_is_stable_keys_documented():
    from mentorctl.report import program_report

    for key in EXPECTED_REPORT:
        assert f"``{key}``" in program_report.__doc__


def test_json_numbers_are_json(program):
    text = program("report", "--json").stdout
    assert json.loads(text)["match_rate"]["rate"] == 0.8333
