"""Issue 14 items 6 and 7 through the CLI and the api: lifecycle steps on many pairings at once
(ids, ranges, --status; all or none), proposals that expire, and pairings' terms in `stale` and
`report`. Time is set with MENTORCTL_NOW on the command line and `now=` on the api."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from mentorctl import api, errors
from mentorctl.idranges import MAX_IDS, id_ranges, parse_ids
from tests.test_lifecycle import MEMBERS, day

REASON = "expired: no response in 14 days"


def dump(db: Path) -> dict[str, list[str]]:
    """Every row of every table (after a checkpoint), to compare a database's content."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"'))) for t in tables}


@pytest.fixture
def program(run, tmp_path, monkeypatch):
    """Pairings 1-8 (e<i> with m<i>), all proposed on day 0."""
    path = tmp_path / "members.csv"
    path.write_text(MEMBERS, encoding="utf-8")
    run("import", path)
    monkeypatch.setenv("MENTORCTL_NOW", day(0))
    for i in range(1, 9):
        run("pair", f"e{i}", f"m{i}")
    return run


def states(run) -> dict[int, str]:
    return {p["id"]: p["status"] for p in run.json("pairing", "list", "--format", "json")}


# --- ids and ranges -----------------------------------------------------------------------------


def test_parse_ids():
    assert parse_ids(["3", "7", "10-12"]) == [3, 7, 10, 11, 12]
    assert parse_ids(["3,7", " 5-6 ", 7, "3"]) == [3, 7, 5, 6]  # in order given, each once
    assert parse_ids(["4-4"]) == [4]
    for bad in ("50-10", "abc", "3-", "-3", "1-2-3", "0", "", "3.5", f"1-{MAX_IDS + 1}"):
        with pytest.raises(errors.UsageError):
            parse_ids([bad])
    with pytest.raises(errors.UsageError):
        parse_ids([True])
    assert id_ranges([5, 3, 4, 10, 12, 11, 20]) == "3-5, 10-12, 20"
    assert id_ranges(list(range(1, 20, 2)), limit=3) == "1, 3, 5, ... (7 more)"


@pytest.mark.parametrize(("words", "said"), [
    (["50-10"], "a range goes from low to high, e.g. 10-50"),
    (["abc"], "'abc' is not a pairing id or range"),
    (["1-99999999"], "more than 1,000,000 ids"),
    (["0"], "pairing ids are whole numbers from 1"),
    (["3-"], "'3-' is not a pairing id or range"),
    ([], "give their ids (e.g. 3 7 10-50) or --status STATE"),
])
def test_bad_ids_are_usage_errors_and_write_nothing(program, db_path, words, said):
    before = dump(db_path)
    result = program("pairing", "introduce", *words, code=2)
    assert said in result.stderr and result.stderr.count("\n") == 1
    assert dump(db_path) == before


def test_ids_that_name_no_pairing(program, db_path):
    before = dump(db_path)
    one = program("pairing", "introduce", 99, code=1)
    assert one.stderr.strip() == "Error: no pairing 99; list them with `mentorctl pairing list`"
    many = program("pairing", "introduce", "5-12", "40", code=1)
    assert "no pairings 9-12, 40 (5 of the 9 ids given), so nothing was changed" in many.stderr
    # --status does not hide a typo: the ids must exist.
    program("pairing", "introduce", "8-9", "--status", "proposed", code=1)
    assert dump(db_path) == before


# --- bulk steps ---------------------------------------------------------------------------------


def test_a_step_on_ids_and_ranges_in_one_go(program, monkeypatch):
    monkeypatch.setenv("MENTORCTL_NOW", day(1))
    result = program("pairing", "introduce", "1-3", "5", "3", "--note", "intro sent")
    assert result.stderr.strip() == ("Introduced 4 pairings (1-3, 5); next: `mentorctl pairing "
                                     "start ID...` once they have met.")
    assert result.stdout == ""
    assert states(program) == {1: "introduced", 2: "introduced", 3: "introduced", 4: "proposed",
                               5: "introduced", 6: "proposed", 7: "proposed", 8: "proposed"}
    shown = program.json("pairing", "show", 5, "--json")
    assert shown["introduced_at"] == day(1)
    assert (shown["history"][-1]["old_state"], shown["history"][-1]["new_state"],
            shown["history"][-1]["note"]) == ("proposed", "introduced", "intro sent")
    # One id alone: the single-pairing message, as before.
    one = program("pairing", "start", 5)
    assert one.stderr.startswith("Pairing 5 (Mentee 5 (e5) with Mentor 5 (m5)) is now active; ")
    checked = program("pairing", "checkin", 5, "--note", "first call")
    assert checked.stderr.startswith("Checked in on pairing 5 ")


def test_a_refused_step_changes_nothing_and_names_the_pairings(program, db_path):
    program("pairing", "introduce", "1-2")
    before = dump(db_path)
    result = program("pairing", "start", "1-8", code=1)
    line = result.stderr.strip()
    assert "\n" not in line
    assert line == ("Error: cannot start 6 of the 8 pairings chosen, so none was changed: "
                    "3 (proposed), 4 (proposed), 5 (proposed), 6 (proposed), 7 (proposed) and 1 "
                    "more; only introduced pairings can take this step (add --status introduced "
                    "to choose just those)")
    assert dump(db_path) == before
    # One pairing chosen: the single-pairing message, word for word.
    single = program("pairing", "start", 3, code=1)
    assert single.stderr.strip() == ("Error: pairing 3 is proposed: allowed next steps are "
                                     "introduce, decline, end; cannot start it")
    assert dump(db_path) == before
    # ... and with --status the same range takes only those that can.
    assert "Started 2 pairings (1-2)" in program("pairing", "start", "1-8", "--status",
                                                 "introduced").stderr
    assert states(program)[1] == "active" and states(program)[3] == "proposed"


def test_status_chooses_every_pairing_in_that_state(program, db_path):
    program("pairing", "decline", 8, "--reason", "mentor left")
    result = program("pairing", "introduce", "--status", "proposed", "--json")
    data = __import__("json").loads(result.stdout)
    assert data["step"] == "introduce" and data["count"] == 7 and data["ids"] == list(range(1, 8))
    first = data["results"][0]
    assert (first["id"], first["mentee"], first["mentor"], first["status"], first["step"],
            first["old_state"]) == (1, "e1", "m1", "introduced", "introduce", "proposed")
    assert first["expected_end"] is None  # not started: no term yet
    assert "Introduced 7 pairings (1-7)" in result.stderr
    assert states(program)[8] == "declined"
    # An empty state is no error.
    before = dump(db_path)
    empty = program("pairing", "resume", "--status", "paused")
    assert empty.stderr.strip() == "No pairings in state paused: nothing to resume."
    assert program.json("pairing", "resume", "--status", "paused", "--json") == {
        "step": "resume", "count": 0, "ids": [], "results": []}
    assert dump(db_path) == before
    # Several states at once; decline and end still need a reason.
    program("pairing", "start", "1-3")
    program("pairing", "end", "--status", "active", "--status", "introduced", code=2)
    ended = program("pairing", "end", "--status", "active", "--status", "introduced",
                    "--reason", "program closed")
    assert "Ended 7 pairings (1-7); next: `mentorctl pair --auto`" in ended.stderr
    assert set(states(program).values()) == {"ended", "declined"}
    program("pairing", "introduce", "--status", "open", code=2)


def test_bulk_complete_counts_who_can_be_promoted(program):
    program("pairing", "introduce", "1-3")
    program("pairing", "start", "1-3")
    done = program("pairing", "complete", "1-3")
    assert "Completed 3 pairings (1-3); well done. 3 of their mentees can now mentor others" in \
        done.stderr


def test_api_steps(program, db_path):
    result = api.steps("introduce", ids="1-3 5", note="sent", now="2026-04-01T09:00:00Z")
    assert result.ids == [1, 2, 3, 5] and result.ranges() == "1-3, 5"
    assert all(r.pairing.introduced_at == "2026-04-01T09:00:00Z" for r in result.results)
    assert all(r.event.at == "2026-04-01T09:00:00Z" and r.event.note == "sent"
               for r in result.results)
    assert [e.id for e in api.show_pairing(5).history][-1] == result.results[-1].event.id
    started = api.steps("start", ids=[1, "2"], statuses="introduced")
    assert started.ids == [1, 2] and started.results[0].pairing.expected_end is not None
    before = dump(db_path)
    with pytest.raises(errors.Conflict, match="cannot start 4 of the 6 pairings"):
        api.steps("start", statuses=["introduced", "proposed"])
    with pytest.raises(errors.UsageError):
        api.steps("start", ids=["7-3"])
    with pytest.raises(errors.UsageError):
        api.steps("start")
    with pytest.raises(errors.UsageError):
        api.steps("teleport", ids=[1])
    with pytest.raises(errors.NotFound):
        api.steps("start", ids=[3, 30])
    with pytest.raises(errors.InvalidInput, match="reason is required"):
        api.steps("decline", ids=[4])
    assert dump(db_path) == before
    assert api.step("start", 3).pairing.status == "active"  # the one-id door still works


# --- expiry -------------------------------------------------------------------------------------


def test_expire_declines_unanswered_proposals(program, db_path, monkeypatch):
    monkeypatch.setenv("MENTORCTL_NOW", day(10))
    program("pairing", "introduce", "2")  # answered on day 10: idle from then
    program("pairing", "introduce", "3")
    program("pairing", "start", "3")  # active: never expires
    monkeypatch.setenv("MENTORCTL_NOW", day(15))

    before = dump(db_path)
    dry = program("pairing", "expire", "--dry-run")
    assert "Would expire" in dry.stdout and "Mentee 1 (e1)" in dry.stdout
    assert ("Would expire 6 proposals (1, 4-8) with the reason \"expired: no response in 14 "
            "days\" (dry run: nothing changed).") in dry.stderr
    listed = program.json("pairing", "expire", "--dry-run", "--json")
    assert listed["dry_run"] and listed["count"] == 6 and listed["reason"] == REASON
    assert [(e["id"], e["status"], e["days_idle"]) for e in listed["expired"]][:2] == [
        (1, "proposed", 15), (4, "proposed", 15)]
    assert dump(db_path) == before

    done = program.json("pairing", "expire", "--json")
    assert not done["dry_run"] and [e["id"] for e in done["expired"]] == [1, 4, 5, 6, 7, 8]
    assert all(e["status"] == "declined" and e["old_state"] == "proposed"
               for e in done["expired"])
    assert states(program) == {1: "declined", 2: "introduced", 3: "active", 4: "declined",
                               5: "declined", 6: "declined", 7: "declined", 8: "declined"}
    last = program.json("pairing", "show", 1, "--json")["history"][-1]
    assert (last["old_state"], last["new_state"], last["note"], last["at"]) == (
        "proposed", "declined", REASON, day(15))
    # Their mentees are back in the pool: e1 may be paired again (one open pairing each).
    program("pair", "e1", "wide")
    again = program("pairing", "expire")
    assert again.stderr.strip() == "No proposals unanswered for 14 days or more: nothing to expire."
    # The introduced one goes with a shorter wait; the report counts every expiry.
    assert "Expired 1 proposal (2)" in program("pairing", "expire", "--days", "5").stderr
    report = program.json("report", "--json")
    assert report["expired"] == 7 and report["pairings"]["by_state"]["declined"] == 7
    assert "expired proposals" in program("report").stdout
    program("pairing", "expire", "--days", "0", code=2)


def test_expire_days_follow_the_settings(program, isolated, monkeypatch):
    monkeypatch.setenv("MENTORCTL_NOW", day(9))
    program("pairing", "expire", "--dry-run")
    assert program.json("pairing", "expire", "--dry-run", "--json")["count"] == 0
    (isolated / "mentorctl.yaml").write_text("rules:\n  expire_days: 7\n", encoding="utf-8")
    assert program.json("pairing", "expire", "--json")["count"] == 8
    assert program.json("config", "show", "--json")["settings"]["rules"]["expire_days"] == 7
    (isolated / "mentorctl.yaml").write_text("rules:\n  expire_days: 0\n", encoding="utf-8")
    assert "rules.expire_days must be 1 or more" in program("pairing", "expire", code=1).stderr


def test_api_expire_at_a_fixed_time(program, db_path):
    before = dump(db_path)
    assert api.expire(now="2026-03-14T23:00:00Z").expired == ()  # 13.96 days: not yet
    preview = api.expire(days=3, now="2026-03-05T00:00:00Z", dry_run=True)
    assert len(preview.expired) == 8 and preview.reason == "expired: no response in 3 days"
    assert dump(db_path) == before
    result = api.expire(now="2026-03-15T00:00:00Z")
    assert result.ids == list(range(1, 9)) and result.ranges() == "1-8"
    assert {e.pairing.status for e in result.expired} == {"declined"}
    assert api.show_pairing(1).history[-1].at == "2026-03-15T00:00:00Z"
    with pytest.raises(errors.InvalidInput):
        api.expire(days=0)


# --- terms and stale ----------------------------------------------------------------------------


def test_terms_long_pauses_in_stale_and_report(program, isolated, monkeypatch):
    (isolated / "mentorctl.yaml").write_text("rules:\n  term_weeks: 4\n", encoding="utf-8")
    program("pairing", "introduce", "1-3")
    program("pairing", "start", "1-3")  # day 0
    monkeypatch.setenv("MENTORCTL_NOW", day(5))
    program("pairing", "pause", 2)
    monkeypatch.setenv("MENTORCTL_NOW", day(20))
    program("pairing", "checkin", 1)
    shown = program.json("pairing", "show", 1, "--json")
    assert shown["expected_end"] == day(28)
    listed = {p["id"]: p for p in program.json("pairing", "list", "--format", "json")}
    assert listed[1]["expected_end"] == day(28) and listed[4]["expected_end"] is None
    assert "expected_end" in program("pairing", "show", 1).stdout

    monkeypatch.setenv("MENTORCTL_NOW", day(30))
    stale = {s["id"]: s for s in program.json("pairing", "stale", "--json")}
    # 4-8 proposed 30 days ago; 1 checked in 10 days ago but past its term; 3 both.
    assert stale[1]["reasons"] == ["past_term"] and stale[1]["days_idle"] == 10
    assert stale[1]["why"] == f"past its term (due {day(28)[:10]})"
    assert stale[1]["next_action"] == "complete or end it"
    assert stale[3]["reasons"] == ["idle", "past_term"]
    assert stale[3]["why"].startswith("no check-in for 30 days; past its term")
    assert stale[2]["reasons"] == ["past_term"]  # paused 25 days: not yet too long (42)
    assert stale[5]["reasons"] == ["idle"] and stale[5]["expected_end"] is None
    report = program.json("report", "--json")
    assert report["past_term"] == {"weeks": 4, "count": 3}
    assert report["paused_idle"] == {"days": 42, "count": 0}
    assert report["stale"]["count"] == len(stale) == 8
    text = program("report").stdout
    assert "past their term" in text and "more than 4 weeks after starting" in text

    monkeypatch.setenv("MENTORCTL_NOW", day(50))  # paused 45 days
    stale = {s["id"]: s for s in program.json("pairing", "stale", "--json")}
    assert stale[2]["reasons"] == ["paused_idle", "past_term"]
    assert stale[2]["why"].startswith("paused for 45 days")
    assert program.json("report", "--json")["paused_idle"]["count"] == 1
    table = program("pairing", "stale").stdout
    assert "paused for 45 days" in table and "why" in table

    # No term: nothing is past it, and no expected end is shown.
    (isolated / "mentorctl.yaml").write_text(
        "rules:\n  term_weeks: 0\n  paused_idle_days: 60\n", encoding="utf-8")
    stale = {s["id"]: s for s in program.json("pairing", "stale", "--json")}
    assert 2 not in stale and stale[1]["reasons"] == ["idle"]
    assert program.json("pairing", "show", 1, "--json")["expected_end"] is None
    assert [s["id"] for s in program.json("pairing", "stale", "--json", "--paused-days", "45")
            ].count(2) == 1
    assert program.json("report", "--json")["past_term"] == {"weeks": 0, "count": 0}


def test_the_new_settings_are_shown_and_written(run, isolated):
    rules = run.json("config", "show", "--json")["settings"]["rules"]
    assert (rules["expire_days"], rules["term_weeks"], rules["paused_idle_days"]) == (14, 26, 42)
    run("config", "init")
    text = (isolated / "mentorctl.yaml").read_text(encoding="utf-8")
    for key in ("expire_days: 14", "term_weeks: 26", "paused_idle_days: 42"):
        assert key in text
    settings = api.load_settings()
    assert settings.rules.term_weeks == 26
