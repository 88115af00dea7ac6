"""The pairing lifecycle through the CLI and on the core: every state x every step, creating
pairings under the hard rules (also from processes at once), history, stale pairings, promotion."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
import typer.testing

from mentorctl import lifecycle
from mentorctl.config import Rules
from mentorctl.errors import Conflict, InvalidInput, NotFound
from mentorctl.store import Store
from tests.conftest import Run, cached_command

ONE = Rules(max_open_pairings_per_mentee=1)
TWO = Rules(max_open_pairings_per_mentee=2)

STATES = ("proposed", "introduced", "active", "paused", "completed", "declined", "ended")
VERBS = ("introduce", "start", "pause", "resume", "complete", "checkin", "decline", "end")
OPEN = ("proposed", "introduced", "active", "paused")

# The contract, spelled out independently of the implementation: (state, verb) -> new state.
LEGAL = {
    ("proposed", "introduce"): "introduced",
    ("introduced", "start"): "active",
    ("active", "pause"): "paused",
    ("paused", "resume"): "active",
    ("active", "complete"): "completed",
    ("paused", "complete"): "completed",
    ("proposed", "decline"): "declined",
    ("introduced", "decline"): "declined",
    **{(state, "end"): "ended" for state in OPEN},
    ("active", "checkin"): "active",
}

# How to bring pairing number i (mentee e<i>, mentor m<i>) into each state.
PATHS = {
    "proposed": [],
    "introduced": [("introduce",)],
    "active": [("introduce",), ("start",)],
    "paused": [("introduce",), ("start",), ("pause",)],
    "completed": [("introduce",), ("start",), ("complete",)],
    "declined": [("decline", "--reason", "not a fit")],
    "ended": [("introduce",), ("start",), ("end", "--reason", "moved away")],
}

HEADER = "id,name,role,occupation,city,capacity,available,languages\n"
MEMBERS = HEADER + "".join(
    [f"m{i},Mentor {i},mentor,Software Engineer,Boston,1,yes,English\n" for i in range(1, 9)]
    + [f"e{i},Mentee {i},mentee,Student,Boston,,yes,English\n" for i in range(1, 11)]
    + [
        "wide,Wanda Wide,mentor,Product Manager,Boston,2,yes,English\n",
        "zero,Zed Zero,mentor,Product Manager,Boston,0,yes,English\n",
        "off.mentor,Olga Offline,mentor,Software Engineer,Boston,2,no,English\n",
        "off.mentee,Otto Away,mentee,Student,Boston,,no,English\n",
        "bea,Bea Both,both,Data Scientist,Boston,1,yes,English\n",
    ]
)


def day(n: float) -> str:
    return (datetime(2026, 3, 1, tzinfo=UTC) + timedelta(days=n)).strftime("%Y-%m-%dT%H:%M:%SZ")


def snapshot(db_path) -> tuple[list[dict], list[dict], list[dict]]:
    with Store(db_path) as store:
        return (store.query("SELECT * FROM pairings ORDER BY id"),
                store.query("SELECT * FROM events ORDER BY id"),
                store.query("SELECT * FROM members ORDER BY id"))


@pytest.fixture
def members(run, tmp_path):
    """The test program, imported for real."""
    path = tmp_path / "members.csv"
    path.write_text(MEMBERS, encoding="utf-8")
    run("import", path)
    return run


@pytest.fixture(scope="module")
def states_template(tmp_path_factory):
    """A program with pairing i (e<i> with m<i>) in STATES[i-1], built once through the CLI."""
    folder = tmp_path_factory.mktemp("states")
    (folder / "members.csv").write_text(MEMBERS, encoding="utf-8")
    db = folder / "program.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MENTORCTL_CONFIG", str(folder / "mentorctl.yaml"))
        mp.delenv("MENTORCTL_NOW", raising=False)
        mp.setattr(typer.testing, "_get_command", cached_command)
        run = Run()
        run("--db", db, "import", folder / "members.csv")
        for i, state in enumerate(STATES, 1):
            run("--db", db, "pair", f"e{i}", f"m{i}")
            for step in PATHS[state]:
                run("--db", db, "pairing", step[0], i, *step[1:])
    with Store(db) as store:
        assert [r["status"] for r in store.query("SELECT status FROM pairings ORDER BY id")] == \
            list(STATES)
        copy = store.backup(folder / "template.db")  # one self-contained file, no WAL beside it
    return copy


@pytest.fixture
def states(states_template, db_path, run):
    shutil.copyfile(states_template, db_path)
    return run


# --- every state x every step -----------------------------------------------------------------


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("verb", VERBS)
def test_every_state_and_step(states, db_path, state, verb):
    pairing_id = STATES.index(state) + 1
    extra = ["--reason", "it did not work out"] if verb in ("decline", "end") else \
        ["--note", "a note"]
    before = snapshot(db_path)
    result = states("pairing", verb, pairing_id, *extra, code=None)
    if (state, verb) in LEGAL:
        new_state = LEGAL[(state, verb)]
        assert result.exit_code == 0, result.stderr
        assert f"pairing {pairing_id}" in result.stderr.lower()
        shown = states.json("pairing", "show", pairing_id, "--json")
        assert shown["status"] == new_state
        last = shown["history"][-1]
        assert (last["kind"], last["old_state"], last["new_state"]) == (
            "checkin" if verb == "checkin" else "transition", state, new_state)
        assert last["note"] == extra[1]
        assert len(shown["history"]) == len(before[1]) - sum(
            1 for e in before[1] if e["pairing_id"] != pairing_id) + 1
        stamp = {"introduce": "introduced_at", "start": "started_at",
                 "checkin": "last_checkin_at"}.get(verb)
        if new_state in ("completed", "declined", "ended"):
            stamp = "ended_at"
        if stamp:
            assert shown[stamp] == last["at"] == shown["updated_at"]
        # Nothing else changed: the other pairings and their events are as they were.
        after = snapshot(db_path)
        assert [p for p in after[0] if p["id"] != pairing_id] == \
            [p for p in before[0] if p["id"] != pairing_id]
        assert after[1][:-1] == before[1]
    else:
        assert result.exit_code == 1, result.stderr
        line = result.stderr.strip()
        assert "\n" not in line
        assert f"pairing {pairing_id} is {state}" in line
        allowed = [v for v in VERBS if (state, v) in LEGAL]
        if allowed:
            assert "allowed next steps are " + ", ".join(allowed) in line
        else:
            assert "(final): no further steps" in line
        if verb == "checkin" and allowed:
            assert "active pairings only" in line
        assert snapshot(db_path) == before


def test_decline_and_end_need_a_reason(states, db_path):
    before = snapshot(db_path)
    for verb in ("decline", "end"):
        states("pairing", verb, 1, code=2)  # --reason missing: a usage error
        blank = states("pairing", verb, 1, "--reason", "  ", code=1)
        assert "reason is required" in blank.stderr
    assert snapshot(db_path) == before
    with Store(db_path) as store, pytest.raises(InvalidInput):
        lifecycle.transition(store, 1, "decline")
    states("pairing", "end", 1, "--reason", "mentor changed jobs")
    assert states.json("pairing", "show", 1, "--json")["history"][-1]["note"] == \
        "mentor changed jobs"


def test_unknown_pairing_and_core_errors(states, db_path):
    before = snapshot(db_path)
    assert "no pairing 99" in states("pairing", "start", 99, code=1).stderr
    states("pairing", "show", 99, code=1)
    with Store(db_path) as store:
        with pytest.raises(NotFound):
            lifecycle.transition(store, 99, "start")
        with pytest.raises(InvalidInput):
            lifecycle.transition(store, 1, "teleport")
        with pytest.raises(Conflict, match="pairing 5 is completed \\(final\\): no further steps"):
            lifecycle.transition(store, 5, "resume")
        with pytest.raises(Conflict, match="pairing 1 is proposed: allowed next steps are "
                                           "introduce, decline, end"):
            lifecycle.start(store, 1)
    assert snapshot(db_path) == before


def test_core_transitions_return_the_pairing_and_event(states, db_path, monkeypatch):
    monkeypatch.setenv("MENTORCTL_NOW", "2030-01-02T03:04:05Z")
    with Store(db_path) as store:
        result = lifecycle.introduce(store, 1, note="intro sent")
        assert result.pairing.status == "introduced" and result.old_state == "proposed"
        assert result.pairing.introduced_at == "2030-01-02T03:04:05Z"
        assert (result.event.kind, result.event.old_state, result.event.new_state,
                result.event.note, result.event.pairing_id) == (
            "transition", "proposed", "introduced", "intro sent", 1)
        assert lifecycle.pairing_history(store, 1)[-1] == result.event
        checked = lifecycle.checkin(store, 3, note="monthly call")
        assert checked.pairing.status == "active"
        assert checked.pairing.last_checkin_at == "2030-01-02T03:04:05Z"
        assert checked.event.kind == "checkin"
        done = lifecycle.complete(store, 4)  # from paused
        assert done.pairing.status == "completed" and done.promotion_eligible
        assert [p.id for p in lifecycle.list_pairings(store, ["completed"])] == [4, 5]
        with pytest.raises(InvalidInput):
            lifecycle.list_pairings(store, ["open"])


# --- show, list ------------------------------------------------------------------------------


def test_pairing_show_json_has_the_full_history(states):
    shown = states.json("pairing", "show", 7, "--json")  # ended after introduce and start
    assert shown["id"] == 7 and shown["mentee"] == "e7" and shown["mentor"] == "m7"
    assert shown["status"] == "ended" and shown["next_steps"] == []
    assert isinstance(shown["score"], float)
    assert {"kind": "languages", "text": "both speak English"} in shown["shared"]
    assert [(e["old_state"], e["new_state"]) for e in shown["history"]] == [
        (None, "proposed"), ("proposed", "introduced"), ("introduced", "active"),
        ("active", "ended")]
    assert shown["history"][-1]["note"] == "moved away"
    assert shown["ended_at"] == shown["history"][-1]["at"]
    text = states("pairing", "show", 7)
    assert "Mentee 7" in text.stdout and "moved away" in text.stdout


def test_pairing_list_formats(run, states):
    listed = states.json("pairing", "list", "--format", "json")
    assert [(p["id"], p["mentee"], p["mentor"], p["status"]) for p in listed] == [
        (i, f"e{i}", f"m{i}", state) for i, state in enumerate(STATES, 1)]
    assert all(isinstance(p["id"], int) for p in listed)
    some = states.json("pairing", "list", "--status", "active", "--status", "paused",
                       "--format", "json")
    assert [p["status"] for p in some] == ["active", "paused"]
    assert states.json("pairing", "list", "--status", "ended", "-f", "json")[0]["id"] == 7
    states("pairing", "list", "--status", "open", code=2)
    csv_text = states("pairing", "list", "--format", "csv").stdout
    assert csv_text.splitlines()[0].startswith("id,mentee,")
    assert len(csv_text.splitlines()) == 8
    assert "Mentor 3" in states("pairing", "list").stdout


def test_pairing_list_empty(members):
    assert members.json("pairing", "list", "--format", "json") == []
    assert members("pairing", "list").stdout == ""


# --- pair: by hand and its refusals -------------------------------------------------------------


def test_pair_by_hand(members, db_path):
    made = members("pair", "Mentee 1", "m1", "--note", "met at the fair")
    assert "#1" in made.stdout
    assert "mentorctl send intros --pairing 1" in made.stderr
    shown = members.json("pairing", "show", 1, "--json")
    assert (shown["mentee"], shown["mentor"], shown["status"], shown["note"]) == (
        "e1", "m1", "proposed", "met at the fair")
    assert shown["score"] > 0 and shown["shared"]
    assert shown["history"] == [{**shown["history"][0], "kind": "transition",
                                 "old_state": None, "new_state": "proposed",
                                 "note": "met at the fair"}]
    before = snapshot(db_path)
    members("pair", "e2", "wide", "--dry-run")
    assert snapshot(db_path) == before


REFUSALS = [
    ("e8", "m1", "mentor m1 has no capacity left (1 of 1 open pairings)"),
    ("e1", "m8", "mentee e1 already has 1 open pairing (#1 with m1)"),
    ("e8", "off.mentor", "mentor off.mentor is unavailable"),
    ("off.mentee", "m8", "mentee off.mentee is unavailable"),
    ("m8", "wide", "m8 is a mentor, not a mentee"),
    ("e8", "e9", "e9 is a mentee, not a mentor"),
    ("bea", "bea", "bea cannot mentor themself"),
    ("e8", "zero", "mentor zero is not taking mentees (capacity 0"),
    ("e1", "m1", "e1 and m1 already have an open pairing (#1, proposed)"),
    ("e6", "m6", "e6 and m6 were paired before and it was declined (#6)"),
    ("e7", "m7", "e7 and m7 were paired before and it was ended (#7)"),
]


@pytest.mark.parametrize(("mentee", "mentor", "message"), REFUSALS)
def test_pair_refuses(states, db_path, mentee, mentor, message):
    before = snapshot(db_path)
    refused = states("pair", mentee, mentor, code=1)
    assert message in refused.stderr, refused.stderr
    assert refused.stderr.count("\n") == 1
    assert snapshot(db_path) == before
    with Store(db_path) as store:
        assert message in (lifecycle.check_pair_allowed(store, mentee, mentor, ONE) or "")
        with pytest.raises(Conflict, match="cannot pair"):
            lifecycle.create_pairings(store, [{"mentee_id": mentee, "mentor_id": mentor,
                                               "score": None, "shared": []}], ONE)
    assert snapshot(db_path) == before


def test_rules_read_the_same_facts_for_a_few_members_or_a_whole_program(states, db_path,
                                                                         monkeypatch):
    from mentorctl import rules

    with Store(db_path) as store:
        few = [lifecycle.check_pair_allowed(store, e, m, ONE) for e, m, _ in REFUSALS]
        monkeypatch.setattr(rules, "FEW_MEMBERS", 0)  # the path of a whole-program batch
        whole = [lifecycle.check_pair_allowed(store, e, m, ONE) for e, m, _ in REFUSALS]
    assert few == whole
    assert all(message in found for (_, _, message), found in zip(REFUSALS, whole, strict=True))


def test_create_pairings_is_all_or_nothing(members, db_path):
    pair = {"score": 50.0, "shared": [{"kind": "location", "text": "both in Boston"}]}
    with Store(db_path) as store:
        # The second pair only breaks a rule because of the first: checked in the transaction.
        with pytest.raises(Conflict, match="mentor m1 has no capacity left"):
            lifecycle.create_pairings(store, [{**pair, "mentee_id": "e1", "mentor_id": "m1"},
                                              {**pair, "mentee_id": "e2", "mentor_id": "m1"}], ONE)
        assert store.scalar("SELECT count(*) FROM pairings") == 0
        assert store.scalar("SELECT count(*) FROM events") == 0
        made = lifecycle.create_pairings(
            store, [{**pair, "mentee_id": "e1", "mentor_id": "wide"},
                    {**pair, "mentee_id": "e2", "mentor_id": "wide"},
                    {**pair, "mentee_id": "e1", "mentor_id": "m1"}], TWO, note="batch")
        assert [(p.mentee_id, p.mentor_id, p.status, p.score) for p in made] == [
            ("e1", "wide", "proposed", 50.0), ("e2", "wide", "proposed", 50.0),
            ("e1", "m1", "proposed", 50.0)]
        assert made[0].shared == ({"kind": "location", "text": "both in Boston"},)
        assert [(e.kind, e.old_state, e.new_state, e.note)
                for e in lifecycle.pairing_history(store, made[0].id)] == [
            ("transition", None, "proposed", "batch")]
        assert "no capacity left (2 of 2" in lifecycle.check_pair_allowed(store, "e3", "wide", ONE)


def test_pair_usage_errors(members):
    members("pair", code=2)
    members("pair", "e1", code=2)
    members("pair", "--auto", "e1", code=2)
    members("pair", "e1", "m1", "--min-score", "10", code=2)
    members("pair", "e1", "m1", "--certify", code=2)
    members("pair", "nobody", "m1", code=1)


def test_pair_auto(members, db_path):
    members("member", "set", "wide", "--unavailable")
    members("member", "set", "bea", "--unavailable")
    before = snapshot(db_path)
    planned = members.json("pair", "--auto", "--dry-run", "--json")
    assert snapshot(db_path) == before
    assert len(planned["pairs"]) == 8  # ten mentees, eight mentors of capacity 1
    assert {p["mentee"] for p in planned["unmatched"]} | {p["mentee"] for p in planned["pairs"]} \
        == {f"e{i}" for i in range(1, 11)}
    assert all(isinstance(u["reason"], str) and u["reason"] for u in planned["unmatched"])
    assert planned["total_score"] == pytest.approx(sum(p["score"] for p in planned["pairs"]))
    # Proven optimal: the bound is the plan's own total.
    assert planned["optimality"] == {"bound": planned["total_score"], "gap": 0.0,
                                     "certified": True}
    assert all(u["reason"].startswith("every eligible mentor is full")
               for u in planned["unmatched"])  # eight mentors, all taken
    certified = members.json("pair", "--auto", "--dry-run", "--json", "--certify")
    assert certified["optimality"]["certified"] and certified["pairs"] == planned["pairs"]
    shown = members("pair", "--auto", "--dry-run", "--certify")
    assert "optimal (certified)" in shown.stdout
    made = members("pair", "--auto")
    assert "Created 8 pairings (proposed, ids 1-8)" in made.stderr
    assert "Mentee 1" in made.stdout
    listed = members.json("pairing", "list", "-f", "json")
    assert len(listed) == 8 and {p["status"] for p in listed} == {"proposed"}
    again = members.json("pair", "--auto", "--json")
    assert again["pairs"] == [] and again["created"] == 0


# --- stale ------------------------------------------------------------------------------------


def test_stale_follows_the_clock(members, monkeypatch, isolated):
    monkeypatch.setenv("MENTORCTL_NOW", day(0))
    for i in range(1, 6):
        members("pair", f"e{i}", f"m{i}")
    monkeypatch.setenv("MENTORCTL_NOW", day(2))
    for i in (2, 3, 4, 5):
        members("pairing", "introduce", i)
    monkeypatch.setenv("MENTORCTL_NOW", day(5))
    for i in (3, 4, 5):
        members("pairing", "start", i)
    monkeypatch.setenv("MENTORCTL_NOW", day(10))
    members("pairing", "checkin", 4)
    members("pairing", "pause", 5)  # paused on purpose: stale only after paused_idle_days

    monkeypatch.setenv("MENTORCTL_NOW", day(20))
    assert members.json("pairing", "stale", "--format", "json") == []  # default 21 days
    assert "No stale pairings" in members("pairing", "stale").stderr

    monkeypatch.setenv("MENTORCTL_NOW", day(26))
    stale = members.json("pairing", "stale", "-f", "json")
    assert [(s["id"], s["status"], s["days_idle"], s["next_action"]) for s in stale] == [
        (1, "proposed", 26, "introduce them"),
        (2, "introduced", 24, "start or decline"),
        (3, "active", 21, "check in"),
    ]
    assert stale[0]["last_activity"] == day(0) and stale[2]["last_activity"] == day(5)
    assert [s["id"] for s in members.json("pairing", "stale", "--days", "16", "-f", "json")] == \
        [1, 2, 3, 4]
    table = members("pairing", "stale").stdout
    assert table.index("introduce them") < table.index("check in")
    csv_rows = members("pairing", "stale", "-f", "csv").stdout.splitlines()
    assert csv_rows[0] == ("id,mentee,mentor,status,days_idle,last_activity,next_action,"
                           "reasons,why,expected_end")

    members("pairing", "checkin", 3)
    members("pairing", "resume", 5)
    assert [s["id"] for s in members.json("pairing", "stale", "-f", "json")] == [1, 2]
    (isolated / "mentorctl.yaml").write_text("rules:\n  stale_days: 30\n", encoding="utf-8")
    assert members.json("pairing", "stale", "-f", "json") == []
    members("pairing", "stale", "--days", "-1", code=2)


# --- completion and promotion -----------------------------------------------------------------


def test_complete_then_promote_keeps_the_history(members, db_path):
    members("pair", "e1", "m1")
    members("pairing", "introduce", 1)
    members("pairing", "start", 1)
    members("pairing", "checkin", 1, "--note", "goals agreed")
    done = members("pairing", "complete", 1, "--note", "goals met")
    assert "completed" in done.stderr
    assert "mentorctl member promote e1" in done.stderr
    members("member", "promote", "e1")
    assert members.json("member", "show", "e1", "--json")["role"] == "both"
    shown = members.json("pairing", "show", 1, "--json")
    assert shown["status"] == "completed" and shown["mentee"] == "e1"
    assert [e["new_state"] for e in shown["history"]] == [
        "proposed", "introduced", "active", "active", "completed"]
    with Store(db_path) as store:
        assert [(e["kind"], e["new_state"]) for e in store.query(
            "SELECT kind, new_state FROM events WHERE member_id = 'e1'")] == [("promote", "both")]
    # A promoted member can now mentor, and a `both` mentee gets no promotion hint.
    members("pair", "e2", "e1")
    members("pair", "bea", "m2")
    for step in ("introduce", "start"):
        members("pairing", step, 3)
    assert "member promote" not in members("pairing", "complete", 3).stderr


# --- two processes at once ------------------------------------------------------------------


def _spawn(db_path, *args):
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.Popen([sys.executable, "-m", "mentorctl", "--db", str(db_path), *args],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(proc) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=60)
    return proc.returncode, out, err


def _assert_within_limits(db_path):
    with Store(db_path) as store:
        over = store.query(
            "SELECT mentor_id, open_pairings, capacity FROM mentor_load "
            "WHERE open_pairings > capacity")
        assert over == []
        doubled = store.query("SELECT mentee_id, count(*) AS n FROM open_pairings "
                              "GROUP BY mentee_id HAVING n > 1")
        assert doubled == []


def test_concurrent_pairs_never_overfill(members, db_path):
    # Mentors of capacity 1, one mentee wanting two of them and two mentees wanting one, at once.
    procs = [_spawn(db_path, "pair", mentee, mentor)
             for mentee, mentor in (("e1", "m1"), ("e2", "m1"), ("e1", "m2"))]
    results = [_finish(p) for p in procs]
    for code, _out, err in results:
        assert code in (0, 1), err
        if code:
            assert err.startswith("Error: cannot pair") and err.count("\n") == 1, err
    # Either e1-m1 alone, or e2-m1 and e1-m2: never e1 twice nor m1 twice.
    made = [code == 0 for code, _, _ in results]
    assert made in ([True, False, False], [False, True, True])
    _assert_within_limits(db_path)
    # The whole program at once, twice at the same time: the second sees the first's pairings.
    procs = [_spawn(db_path, "pair", "--auto", "--json") for _ in range(2)]
    results = [_finish(p) for p in procs]
    assert [code for code, _, _ in results] == [0, 0], results
    _assert_within_limits(db_path)
    created = sorted(json.loads(out)["created"] for _, out, _ in results)
    assert created[0] == 0 and created[1] > 0
    with Store(db_path) as store:
        assert store.scalar("SELECT count(*) FROM open_pairings") == sum(made) + created[1]
