"""The api on its own (no command line): every unit of work on real SQLite files in tmp_path."""

from __future__ import annotations

import contextlib
import csv
import io
import sqlite3
import stat
from pathlib import Path

import pytest

from mentorctl import api, errors
from mentorctl.config import Settings
from mentorctl.model import AUDIENCES, FEATURES, ImportResult, MemberProfile, PairResult
from mentorctl.rules import SUMMARIES, Rule

SMALL = """\
Full name,Email,Role,Job title,University,City,Skills,Languages,Max mentees
Mona Mentor,mona@example.org,mentor,Software Engineer,MIT,"Boston, MA","python; chess",English,1
Max Mentor,max@example.org,mentor,Registered Nurse,Boston College,"Boston, MA",nursing,English,2
Eve Mentee,eve@example.org,mentee,Junior Software Engineer,MIT,"Cambridge, MA",python,English,
Ed Mentee,ed@example.org,mentee,Code Ninja,Boston College,"Boston, MA",nursing,English,
"""
NINJA_ALIAS = 'aliases:\n  occupation:\n    "Code Ninja": "Software Developer"\n'


def dump(db: Path) -> dict[str, list[str]]:
    """Every row of every table (after a checkpoint), to compare a database's content."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"'))) for t in tables}


@pytest.fixture
def small(tmp_path) -> Path:
    """A four-member program: mentors mona (capacity 1) and max (2), mentees eve and ed."""
    path = tmp_path / "small.csv"
    path.write_text(SMALL, encoding="utf-8")
    result = api.import_members([path])
    assert sorted(result.created) == ["ed", "eve", "max", "mona"]
    return path


def test_paths_guidelines_and_sample_files(tmp_path, monkeypatch):
    assert api.database_path() == tmp_path / "program.db"
    assert api.database_path(tmp_path / "x.db") == tmp_path / "x.db"
    assert api.settings_file() == tmp_path / "mentorctl.yaml"
    monkeypatch.delenv("MENTORCTL_CONFIG")
    assert api.settings_file(tmp_path / "p" / "x.db") == tmp_path / "p" / "mentorctl.yaml"
    assert set(api.guidelines()) == set(AUDIENCES)
    assert api.guideline("mentor").strip()
    with pytest.raises(errors.NotFound):
        api.guideline("nobody")
    files = api.sample_files()
    assert [f.name for f in files] == ["members.csv", "members.yaml"] and all(f.is_file() for f in files)


def test_import_sample_counts_dry_run_and_reimport(db_path):
    dry = api.import_members(api.sample_files(), dry_run=True)
    assert isinstance(dry, ImportResult) and dry.dry_run
    assert len(dry.created) == 78 and not dry.updated and not dry.errors
    assert api.list_members() == [] and dump(db_path)["members"] == []

    first = api.import_members(api.sample_files())
    assert (len(first.created), len(first.updated), len(first.unchanged)) == (78, 0, 0)
    assert len(api.list_members()) == 78
    before = dump(db_path)
    again = api.import_members(api.sample_files())
    assert (len(again.created), len(again.updated), len(again.unchanged)) == (0, 0, 78)
    assert dump(db_path) == before


def test_import_update_counts_and_dry_run_on_a_program(small, db_path):
    small.write_text(SMALL.replace("English,2", "English,3"), encoding="utf-8")  # max's capacity
    before = dump(db_path)
    dry = api.import_members([small], dry_run=True)
    assert dry.updated == ("max",) and dump(db_path) == before
    result = api.import_members([small])
    assert result.updated == ("max",) and sorted(result.unchanged) == ["ed", "eve", "mona"]
    assert not result.created and api.show_member("max").member.capacity == 3


def test_invalid_rows_are_rejected_and_nothing_is_written(small, tmp_path, db_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Full name,Email,Role,Max mentees\n"
                   "New Person,new@example.org,mentee,\n"
                   "Bad Capacity,cap@example.org,mentor,-3\n"
                   "Bad Email,not-an-email,mentee,\n", encoding="utf-8")
    before = dump(db_path)
    with pytest.raises(errors.ImportRejected) as caught:
        api.import_members([bad])
    result = caught.value.result
    assert isinstance(caught.value, errors.InvalidInput)
    assert result.rejected_rows == 2
    assert {(e.file, e.line, e.field) for e in result.errors} == {
        (str(bad), 3, "capacity"), (str(bad), 4, "email")}
    assert all(e.message for e in result.errors)
    assert dump(db_path) == before
    assert "new" not in {m.id for m in api.list_members()}
    # skip_invalid imports the valid row only.
    skipped = api.import_members([bad], skip_invalid=True)
    assert skipped.created == ("new",) and skipped.rejected_rows == 2


def test_mapping_as_dict_and_as_strings(tmp_path):
    source = ("form.csv", b'Full name,Role,Home base\nPat Doe,mentee,"Portland, OR"\n')
    plain = api.import_members([source])
    assert plain.created == ("pat.doe",)
    member = api.show_member("Pat Doe").member
    assert member.location is None and member.extra == {"Home base": "Portland, OR"}
    # The same row with the column mapped updates the member (matched by name).
    mapped = api.import_members([source], mapping={"Home base": "location"})
    assert mapped.updated == ("pat.doe",)
    assert api.show_member("pat.doe").member.location == "Portland, OR"
    assert [(c.column, c.field, c.how) for c in mapped.columns] == [
        ("Full name", "name", "known header"), ("Role", "role", "known header"),
        ("Home base", "location", "--map")]
    other = tmp_path / "other.db"
    api.import_members([source], mapping=["Home base=location"], db=other)
    assert api.show_member("pat.doe", db=other).member.location == "Portland, OR"
    # `extra` keeps a column that would map by itself as extra data.
    kept = ("kept.csv", b'Full name,Role,City\nLee Poe,mentee,Austin\n')
    api.import_members([kept], mapping={"City": "extra"}, db=other)
    assert api.show_member("Lee Poe", db=other).member.extra == {"City": "Austin"}


def test_list_members_by_role():
    api.import_members(api.sample_files())
    everyone = api.list_members()
    mentors, mentees, both = (api.list_members(role=r) for r in ("mentor", "mentee", "both"))
    assert len(everyone) == 78 and [m.id for m in everyone] == sorted(m.id for m in everyone)
    assert {m.role for m in mentors} == {"mentor", "both"}
    assert {m.role for m in mentees} == {"mentee", "both"}
    assert both and {m.role for m in both} == {"both"}
    ids = {r: {m.id for m in ms} for r, ms in (("mentor", mentors), ("mentee", mentees), ("both", both))}
    assert ids["both"] == ids["mentor"] & ids["mentee"]
    assert len(mentors) + len(mentees) - len(both) == 78
    with pytest.raises(errors.InvalidInput):
        api.list_members(role="boss")


def test_show_set_and_promote_member(small):
    api.pair("eve", "mona")
    profile = api.show_member("eve@example.org")
    assert isinstance(profile, MemberProfile) and profile.member.id == "eve"
    assert profile.resolved["occupation"][0]["canonical"] == "Software Developer"
    assert profile.resolved["school"][0]["canonical"] == "Massachusetts Institute of Technology"
    assert profile.resolved["location"][0]["canonical"].startswith("Cambridge, Massachusetts")
    assert [(p["mentee"], p["mentor"], p["status"]) for p in profile.pairings] == [
        ("eve", "mona", "proposed")]
    with pytest.raises(errors.NotFound):
        api.show_member("nobody")

    changed = api.set_member("max", capacity=3, available=False)
    assert (changed.capacity, changed.available) == (3, False)
    assert api.show_member("max").member.capacity == 3
    with pytest.raises(errors.UsageError):
        api.set_member("max")
    with pytest.raises(errors.InvalidInput):
        api.set_member("max", capacity=-1)

    promoted = api.promote_member("eve")
    assert promoted.role == "both" and promoted.promoted_at
    assert "eve" in {m.id for m in api.list_members(role="mentor")}
    with pytest.raises(errors.Conflict):
        api.promote_member("mona")


def test_resolve_unresolved_and_resolutions(small):
    [occupation] = api.resolve("occupation", ["Software Engineer"])
    assert occupation.canonical == "Software Developer" and occupation.resolved
    [school] = api.resolve("school", ["MIT"])
    assert school.canonical == "Massachusetts Institute of Technology"
    [place] = api.resolve("location", ["Boston, MA"])
    assert place.canonical.startswith("Boston, Massachusetts")
    with pytest.raises(errors.UsageError, match="text 2 is 301 characters"):
        api.resolve("occupation", ["Nurse", "n" * 301])
    for call in (lambda: api.resolve("planet", ["Mars"]), lambda: api.unresolved("planet"),
                 lambda: api.resolutions("planet")):
        with pytest.raises(errors.UsageError):
            call()
    assert ("occupation", "Code Ninja", 1) in [(u.kind, u.text, u.members) for u in api.unresolved()]
    assert [u.text for u in api.unresolved("occupation")] == ["Code Ninja"]
    assert api.unresolved("school") == []
    stored = {r.text: r for r in api.resolutions("occupation")}
    assert stored["Software Engineer"].canonical == "Software Developer"
    assert stored["Code Ninja"].canonical is None and stored["Code Ninja"].members == 1
    assert {r.kind for r in api.resolutions()} == {"occupation", "school", "location"}


def test_suggest_best_first_with_shared_points(small):
    result = api.suggest("eve")
    assert result.reason is None and result.mentee == "eve"
    scores = [s.score for s in result.suggestions]
    assert scores == sorted(scores, reverse=True) and len(scores) == 2
    best = result.suggestions[0]
    assert best.mentor == "mona" and best.score > result.suggestions[1].score
    kinds = {p.kind for p in best.shared}
    assert {"school", "interests"} <= kinds <= set(FEATURES)
    assert any("python" in p.text for p in best.shared)
    assert api.suggest("ed").suggestions[0].mentor == "max"
    assert len(api.suggest("eve", limit=1).suggestions) == 1
    with pytest.raises(errors.Conflict):
        api.suggest("mona")  # a mentor, not a mentee
    for mentor in api.list_members(role="mentor"):
        api.set_member(mentor.id, capacity=0)
    empty = api.suggest("eve")
    assert empty.suggestions == () and "capacity 0" in empty.reason


def test_suggest_all_with_and_without_unmatched(small):
    everyone = api.suggest_all()
    assert [r.mentee for r in everyone] == ["ed", "eve"]
    assert all(r.suggestions for r in everyone)
    api.pair("eve", "mona")
    assert [r.mentee for r in api.suggest_all(unmatched=True)] == ["ed"]
    after = {r.mentee: r for r in api.suggest_all()}
    assert set(after) == {"ed", "eve"} and after["eve"].at_limit and after["eve"].open_pairings == 1
    assert "mona" not in [s.mentor for s in after["eve"].suggestions]


def test_intro(small):
    intro = api.intro("eve", "mona")
    assert intro.to == ("eve@example.org", "mona@example.org")
    assert "Eve Mentee" in intro.subject and "Mona Mentor" in intro.subject
    assert "Eve" in intro.body and "Mona" in intro.body and "python" in intro.body


def test_pair_dry_run_real_and_refusals(small):
    dry = api.pair("eve", "mona", dry_run=True)
    assert isinstance(dry, PairResult) and dry.pairing is None and dry.score > 0
    assert api.list_pairings() == []
    real = api.pair("eve", "mona", note="by hand")
    assert real.pairing is not None and real.pairing.status == "proposed"
    assert (real.pairing.mentee_id, real.pairing.mentor_id, real.pairing.note) == ("eve", "mona", "by hand")
    assert real.pairing.score == dry.score and len(api.list_pairings()) == 1
    with pytest.raises(errors.Conflict, match="already have an open pairing"):
        api.pair("eve", "mona")
    with pytest.raises(errors.Conflict, match="no capacity left"):
        api.pair("ed", "mona")
    with pytest.raises(errors.Conflict, match="no capacity left"):
        api.pair("ed", "mona", dry_run=True)
    with pytest.raises(errors.Conflict, match="not a mentor"):
        api.pair("ed", "eve")
    assert len(api.list_pairings()) == 1


def _every_mentor(**changes):
    for mentor in api.list_members(role="mentor"):
        api.set_member(mentor.id, **changes)


def _declined_then_rest_full():
    api.step("decline", api.pair("eve", "mona").pairing.id, reason="no chemistry")
    api.set_member("max", capacity=0)


@pytest.mark.parametrize("setup, rule", [
    (lambda: _every_mentor(capacity=0), Rule.NOT_TAKING_MENTEES),
    (lambda: _every_mentor(available=False), Rule.MENTOR_UNAVAILABLE),
    (_declined_then_rest_full, Rule.ENDED_BEFORE),
], ids=["capacity-0", "unavailable", "declined-before"])
def test_the_rules_agree_everywhere(small, setup, rule):
    setup()
    summary = SUMMARIES[rule]
    assert api.suggest("eve").reason == summary
    unmatched = {u.mentee: u.reason for u in api.plan().unmatched}
    assert unmatched["eve"] == f"no eligible mentor: {summary}"
    rows = {row["mentee_id"]: row for row in api.export_table("unmatched").to_dicts()}
    assert rows["eve"]["reason"] == f"no eligible mentor: {summary}"
    assert "eve" not in {p.mentee_id for p in api.pair_auto().created}


def test_plan_and_pair_auto_on_the_sample(db_path):
    api.import_members(api.sample_files())
    before = dump(db_path)
    plan = api.plan()
    assert plan.pairs and dump(db_path) == before and api.list_pairings() == []
    assert {"pairs", "total_score", "unmatched"} <= set(plan.to_dict())
    assert plan.total_score == pytest.approx(sum(p.score for p in plan.pairs), abs=0.1)
    assert plan.optimality.certified and plan.optimality.bound == plan.total_score
    assert plan.to_dict()["optimality"] == {"bound": plan.total_score, "gap": 0.0,
                                            "certified": True}
    stages: list[str] = []
    certified = api.plan(certify=True, on_stage=stages.append)
    assert certified.pairs == plan.pairs and stages[:2] == ["scoring", "solving"]
    dry = api.pair_auto(dry_run=True)
    assert dry.dry_run and dry.created == () and dry.plan.pairs == plan.pairs
    assert dump(db_path) == before

    result = api.pair_auto(note="spring round")
    planned = {(p.mentee, p.mentor): p.score for p in plan.pairs}
    assert {(p.mentee_id, p.mentor_id): p.score for p in result.created} == planned
    stored = api.list_pairings()
    assert {(p.mentee_id, p.mentor_id) for p in stored} == set(planned)
    assert {p.status for p in stored} == {"proposed"} and {p.note for p in stored} == {"spring round"}
    as_dict = result.to_dict()
    assert as_dict["created"] == len(plan.pairs) and all(p["pairing"] for p in as_dict["pairs"])
    assert api.plan().pairs == ()  # everyone who could be paired was


def test_pairing_lifecycle(small):
    pairing = api.pair("eve", "mona").pairing
    assert [p.id for p in api.list_pairings(statuses=["proposed"])] == [pairing.id]
    assert api.list_pairings(statuses=["active", "completed"]) == []
    detail = api.show_pairing(pairing.id)
    assert detail.pairing.status == "proposed"
    assert [(e.old_state, e.new_state) for e in detail.history] == [(None, "proposed")]
    assert detail.next_steps == ("introduce", "decline", "end")

    for verb, status in (("introduce", "introduced"), ("start", "active"), ("checkin", "active")):
        step = api.step(verb, pairing.id, note=f"{verb} note")
        assert step.pairing.status == status and step.verb == verb and not step.promotion_eligible
    assert step.event.kind == "checkin" and step.pairing.last_checkin_at
    assert api.list_pairings(statuses=["active"])[0].id == pairing.id
    done = api.step("complete", pairing.id)
    assert done.old_state == "active" and done.pairing.status == "completed" and done.pairing.ended_at
    assert done.promotion_eligible  # eve is a plain mentee
    history = api.show_pairing(pairing.id)
    assert [e.new_state for e in history.history] == ["proposed", "introduced", "active", "active",
                                                       "completed"]
    assert history.next_steps == ()
    with pytest.raises(errors.Conflict, match="final"):
        api.step("start", pairing.id)

    api.promote_member("ed")  # a mentee who is already `both` is not eligible again
    other = api.pair("ed", "max").pairing
    with pytest.raises(errors.Conflict, match="cannot start"):
        api.step("start", other.id)
    with pytest.raises(errors.InvalidInput, match="reason"):
        api.step("decline", other.id)
    with pytest.raises(errors.UsageError):
        api.step("frobnicate", other.id)
    with pytest.raises(errors.NotFound):
        api.show_pairing(999)
    for verb in ("introduce", "start", "pause", "resume"):
        api.step(verb, other.id)
    assert not api.step("complete", other.id).promotion_eligible
    declined = api.step("decline", api.pair("eve", "max").pairing.id, reason="  moved away ")
    assert declined.pairing.status == "declined" and declined.event.note == "moved away"


def test_stale(small, monkeypatch):
    monkeypatch.setenv("MENTORCTL_NOW", "2026-12-06T10:00:00Z")
    proposed = api.pair("eve", "mona").pairing
    assert proposed.created_at == "2026-12-06T10:00:00Z"
    monkeypatch.setenv("MENTORCTL_NOW", "2026-12-08T10:00:00Z")
    active = api.pair("ed", "max").pairing.id
    api.step("introduce", active)
    api.step("start", active)
    monkeypatch.setenv("MENTORCTL_NOW", "2026-12-20T10:00:00Z")
    assert api.stale() == []  # 14 and 12 days idle < the default 21
    assert [s.pairing.id for s in api.stale(days=13)] == [proposed.id]
    monkeypatch.setenv("MENTORCTL_NOW", "2027-01-10T10:00:00Z")
    stale = api.stale()  # the longest idle first
    assert [(s.pairing.id, s.days_idle, s.next_action) for s in stale] == [
        (proposed.id, 35, "introduce them"), (active, 33, "check in")]
    assert api.report()["stale"] == {"days": 21, "count": 2}
    assert api.stale(days=34) == stale[:1]
    api.step("checkin", active)
    assert [s.pairing.id for s in api.stale()] == [proposed.id]
    with pytest.raises(errors.InvalidInput):
        api.stale(days=-1)


def test_report(small):
    api.pair("eve", "mona")
    report = api.report()
    assert set(report) == {"members", "pairings", "match_rate", "mentor_utilization", "median_days",
                           "stale", "completions", "promoted", "generated_at", "past_term",
                           "paused_idle", "expired"}
    assert report["past_term"] == {"weeks": 26, "count": 0}
    assert report["paused_idle"] == {"days": 42, "count": 0} and report["expired"] == 0
    assert report["members"]["total"] == 4
    assert report["pairings"]["total"] == 1 and report["pairings"]["by_state"]["proposed"] == 1
    assert report["match_rate"] == {"matched": 1, "mentees": 2, "rate": 0.5}
    assert report["stale"]["days"] == 21


def test_exports(small, tmp_path):
    api.pair("eve", "mona")
    target = tmp_path / "members.csv"
    assert api.export("members", target) == 4
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert sorted(r["id"] for r in rows) == ["ed", "eve", "max", "mona"]
    assert {r["id"]: r["capacity"] for r in rows}["max"] == "2"

    stream = io.StringIO()
    assert api.export("pairings", stream) == 1
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("id,mentee_id") and len(lines) == 2 and ",eve," in lines[1]

    table = api.export_table("mentor-load")
    load = {row["mentor_id"]: row for row in table.to_dicts()}
    assert load["mona"]["open_pairings"] == 1 and load["mona"]["room_left"] == 0
    intros = api.export_table("intros").to_dicts()
    assert [r["to"] for r in intros] == ["eve@example.org;mona@example.org"]
    unmatched = api.export_table("unmatched").to_dicts()
    assert [r["mentee_id"] for r in unmatched] == ["ed"] and "not yet paired" in unmatched[0]["reason"]
    with pytest.raises(errors.UsageError):
        api.export_table("bogus")
    with pytest.raises(errors.UsageError):
        api.export("bogus", io.StringIO())


def test_settings(tmp_path):
    written = api.init_settings()
    assert written == api.settings_file() == tmp_path / "mentorctl.yaml" and written.is_file()
    with pytest.raises(errors.InvalidInput, match="already exists"):
        api.init_settings()
    settings = api.load_settings()
    assert isinstance(settings, Settings)
    assert isinstance(settings.rules.stale_days, int) and settings.rules.stale_days == 21
    written.write_text("rules:\n  stale_days: 5\n", encoding="utf-8")
    assert api.load_settings().rules.stale_days == 5
    assert api.report()["stale"]["days"] == 5
    assert api.init_settings(force=True) == written
    assert api.load_settings().rules.stale_days == 21
    defaults = api.default_settings()
    assert defaults == Settings() and defaults.rules.stale_days == 21 and defaults.path is None


def test_backup(small, tmp_path):
    api.pair("eve", "mona")
    with pytest.raises(errors.InvalidInput, match="no such folder"):
        api.backup(tmp_path / "backups" / "copy.db")
    assert not (tmp_path / "backups").exists()
    (tmp_path / "backups").mkdir()
    copy = api.backup(tmp_path / "backups" / "copy.db")
    assert sorted(p.name for p in (tmp_path / "backups").iterdir()) == ["copy.db"]
    assert copy.is_file() and stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert [m.id for m in api.list_members(db=copy)] == [m.id for m in api.list_members()]
    assert len(api.list_pairings(db=copy)) == 1
    with pytest.raises(errors.InvalidInput, match="already exists"):
        api.backup(copy)


def _read_everything():
    for read in (lambda: api.suggest("ed"), api.suggest_all, lambda: api.suggest_all(unmatched=True),
                 lambda: api.intro("ed", "max"), api.plan, lambda: api.pair_auto(dry_run=True),
                 lambda: api.pair("ed", "max", dry_run=True), api.unresolved, api.resolutions,
                 lambda: api.show_member("ed"), lambda: api.export_table("unmatched"),
                 lambda: api.export("intros", io.StringIO()), api.report, api.list_pairings, api.stale):
        read()


def test_read_functions_write_nothing(small, db_path, tmp_path):
    api.pair("eve", "max")

    def occupation_fit() -> float:  # ed's "Code Ninja" beside mona's "Software Engineer"
        return {s.mentor: s for s in api.suggest("ed").suggestions}["mona"].features["occupation"]

    assert occupation_fit() == 0
    before = dump(db_path)
    _read_everything()
    assert dump(db_path) == before

    # New aliases: reads resolve them in memory and still write nothing.
    (tmp_path / "mentorctl.yaml").write_text(NINJA_ALIAS, encoding="utf-8")
    [ninja] = api.resolve("occupation", ["Code Ninja"])
    assert ninja.canonical == "Software Developer"
    _read_everything()
    assert dump(db_path) == before
    assert occupation_fit() > 0
    assert api.unresolved("occupation") == []
    stored = {r.text: r for r in api.resolutions("occupation")}
    assert stored["Code Ninja"].canonical == "Software Developer"
    assert api.show_member("ed").resolved["occupation"][0]["canonical"] == "Software Developer"
    assert dump(db_path) == before

    # The next write stores what the aliases say.
    api.pair("ed", "max")
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("SELECT canonical, method FROM resolutions WHERE kind = 'occupation' "
                            "AND text = 'Code Ninja'").fetchone() == ("Software Developer", "program-alias")
