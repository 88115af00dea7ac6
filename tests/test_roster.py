"""A living roster: re-imports keep the coordinator's edits, duplicates are found and merged,
people can leave, and a command that changed many rows can be undone."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from mentorctl import api
from mentorctl.store import Store

from .conftest import SAMPLE_CSV, Loaded, count_members

HEADER = "Name,Email,Role,Occupation,School,City,Friends,Capacity\n"
ROWS = {
    "maya": "Maya Lindqvist,maya@example.org,Mentor,Software Engineer,MIT,Boston,,2\n",
    "omar": "Omar Haddad,omar@example.org,Mentor,Registered Nurse,,Chicago,,1\n",
    "zeb": "Zebediah Quillfeather,zeb.quill@example.org,Mentee,Falconer,Quillshire Academy,"
           "Quillshire,maya@example.org,\n",
    "lena": "Lena Brandt,lena@example.org,Mentee,Web Developer,MIT,Boston,zeb.quill@example.org,\n",
}


def sheet(tmp_path: Path, *names: str, name: str = "signups.csv", edit=None) -> Path:
    text = HEADER + "".join(ROWS[n] for n in names)
    if edit:
        text = edit(text)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def dump(db_path: Path) -> list:
    with sqlite3.connect(db_path) as conn:
        return list(conn.iterdump())


# --- re-imports keep edits ------------------------------------------------------------------


def test_a_reimport_keeps_capacity_and_promotion_set_by_hand(run, tmp_path, db_path):
    signups = sheet(tmp_path, "maya", "omar", "zeb", "lena")
    run("import", signups)
    run("member", "set", "maya", "--capacity", "0")
    run("member", "promote", "lena")
    again = run.json("import", signups, "--json")
    assert again["updated"] == 0 and again["unchanged"] == 4
    assert {(e["member"], e["field"]) for e in again["edits_kept"]} == {("maya", "capacity"),
                                                                       ("lena", "role")}
    shown = {m["id"]: m for m in run.json("member", "list", "--json")}
    assert shown["maya"]["capacity"] == 0 and shown["lena"]["role"] == "both"
    # A field the coordinator never touched still follows the sheet.
    moved = sheet(tmp_path, "maya", "omar", "zeb", "lena",
                  edit=lambda t: t.replace("Omar Haddad,omar@example.org,Mentor,Registered "
                                           "Nurse,,Chicago", "Omar Haddad,omar@example.org,"
                                           "Mentor,Registered Nurse,,Denver"))
    result = run("import", moved)
    assert "1 updated" in result.stdout and "Kept 2 value(s) changed by hand" in result.stderr
    assert api.show_member("omar").member.location == "Denver"


def test_overwrite_edits_takes_the_files_values_and_forgets_the_edit(run, tmp_path):
    signups = sheet(tmp_path, "maya", "omar")
    run("import", signups)
    run("member", "set", "maya", "--capacity", "0")
    result = api.import_members([signups], overwrite_edits=True)
    assert result.updated == ("maya",) and result.edits_kept == ()
    assert api.show_member("maya").member.capacity == 2
    # The edit is gone: the sheet rules that field again.
    changed = sheet(tmp_path, "maya", "omar", edit=lambda t: t.replace("Boston,,2", "Boston,,3"))
    assert api.import_members([changed]).updated == ("maya",)
    assert api.show_member("maya").member.capacity == 3


# --- duplicates and merge -------------------------------------------------------------------


def test_import_reports_a_person_whose_email_changed(run, tmp_path):
    run("import", sheet(tmp_path, "maya", "zeb"))
    newer = sheet(tmp_path, "maya", "zeb", name="later.csv",
                  edit=lambda t: t.replace("Zebediah Quillfeather,zeb.quill@example.org",
                                           "zebediah  QUILLFEATHER,zq@newmail.example"))
    result = run("import", newer)
    assert "zeb.quill and zq (the same name and occupation)" in result.stderr
    listed = run.json("member", "duplicates", "--json")
    assert listed == [{"members": ["zeb.quill", "zq"], "reason": "the same name and occupation"}]
    # Two people who only share a common name are not reported.
    namesake = sheet(tmp_path, "maya", name="namesake.csv",
                     edit=lambda t: t.replace("maya@example.org,Mentor,Software Engineer,MIT,Boston",
                                              "maya.l@elsewhere.example,Mentee,Chef,,Oslo"))
    assert "Likely the same person" not in run("import", namesake).stderr
    # One mailbox written two ways counts too.
    run("import", sheet(tmp_path, "omar", name="omar.csv"))
    run("import", sheet(tmp_path, "omar", name="o.csv",
                        edit=lambda t: t.replace("Omar Haddad,omar@", "O. Haddad,omar+mentoring@")))
    reasons = {tuple(d["members"]): d["reason"] for d in run.json("member", "duplicates",
                                                                  "--json")}
    assert reasons[("omar", "omar.mentoring")] == "the same mailbox written two ways"


def test_merge_moves_pairings_events_and_friendships_onto_the_kept_record(run, tmp_path,
                                                                         db_path):
    old_sheet = sheet(tmp_path, "maya", "omar", "zeb", "lena")
    run("import", old_sheet)
    run("pair", "zeb.quill", "maya")
    run("pairing", "introduce", "1")
    run("import", sheet(tmp_path, "zeb", name="new.csv",
                        edit=lambda t: t.replace("zeb.quill@example.org", "zq@newmail.example")
                        .replace("Falconer", "")))
    refused = run("member", "merge", "zq", "zeb.quill", code=2)  # not a terminal, no --yes
    assert "add --yes" in refused.stderr
    merged = run.json("member", "merge", "zq", "zeb.quill", "--yes", "--json")
    assert merged["kept"] == "zq" and merged["pairings_moved"] == 1
    assert "occupation" in merged["filled"]
    assert count_members(db_path) == 4
    pairing = run.json("pairing", "list", "--json")[0]
    assert (pairing["mentee"], pairing["mentor"], pairing["status"]) == ("zq", "maya",
                                                                         "introduced")
    history = api.show_pairing(1).history
    assert {e.new_state for e in history} >= {"proposed", "introduced"}
    # Lena named Zeb by his old email: she now names the kept record.
    assert api.show_member("lena").member.friends == ("zq",)
    assert api.show_member("zq").member.occupation == "Falconer"
    # The old sheet, imported again, updates no one and re-creates no one.
    again = api.import_members([old_sheet])
    assert again.created == () and count_members(db_path) == 4
    # Lena's row still names his old email: the friendship still leads to the kept record.
    assert api.show_member("lena").member.friends == ("zeb.quill@example.org",)
    with Store(db_path) as store:
        loaded = Loaded(store)
        lena, zq = loaded.ids.index("lena"), loaded.ids.index("zq")
        assert zq in loaded.friends.row(lena)[0]
    # Each undo goes one command back: before that import, then before the merge.
    run("db", "undo")
    assert count_members(db_path) == 4
    run("db", "undo")
    assert count_members(db_path) == 5
    assert api.show_pairing(1).pairing.mentee_id == "zeb.quill"


def test_merge_refuses_two_open_pairings_as_mentee_and_changes_nothing(run, tmp_path, db_path):
    run("import", sheet(tmp_path, "maya", "omar", "zeb"))
    run("import", sheet(tmp_path, "zeb", name="again.csv",
                        edit=lambda t: t.replace("zeb.quill@", "zeb2@")))
    run("pair", "zeb.quill", "maya")
    run("pair", "zeb2", "omar")
    before = dump(db_path)
    result = run("member", "merge", "zeb.quill", "zeb2", "--yes", code=1)
    assert "2 open pairings as mentee (#1, #2)" in result.stderr
    assert dump(db_path) == before


# --- remove ---------------------------------------------------------------------------------


def _raw_bytes(db_path: Path) -> bytes:
    data = db_path.read_bytes()
    for suffix in ("-wal", "-snapshot"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            data += side.read_bytes()
    return data


def test_remove_erases_the_person_and_keeps_the_history_true(run, tmp_path, db_path):
    run("import", sheet(tmp_path, "maya", "omar", "zeb", "lena"))
    run("pair", "zeb.quill", "maya", "--note", "Zebediah asked for a falconry mentor")
    for step in ("introduce", "start"):
        run("pairing", step, "1")
    run("pairing", "checkin", "1", "--note", "Zebediah met Maya at the Quillshire mews")
    run("suggest", "--mentee", "lena")  # builds the scoring cache beside the database
    report_before = run.json("report", "--json")
    assert b"Quillfeather" in _raw_bytes(db_path)

    refused = run("member", "remove", "zeb.quill", code=2)
    assert "add --yes" in refused.stderr
    result = run("member", "remove", "zeb.quill", "--yes")
    assert "Removed zeb.quill" in result.stderr and "removed-1" in result.stderr
    assert "ended pairing(s) #1" in result.stderr
    assert "still hold their data" in result.stderr

    raw = _raw_bytes(db_path)
    for trace in (b"Quillfeather", b"Zebediah", b"zeb.quill", b"Quillshire", b"Falconer"):
        assert trace not in raw, trace
    pairing = api.show_pairing(1)
    assert pairing.pairing.mentee_id == "removed-1" and pairing.pairing.status == "ended"
    assert pairing.history[-1].note == "member removed from the program"
    assert api.show_member("lena").member.friends == ()
    report = run.json("report", "--json")
    assert report["pairings"]["by_state"]["ended"] == 1
    assert report != report_before  # the pairing ended; the report still runs on the history
    assert "zeb.quill" not in [m["id"] for m in run.json("member", "list", "--json")]
    # A removed member cannot be paired again.
    assert "removed" in run("pair", "removed-1", "omar", code=1).stderr


def test_remove_through_the_api_names_the_backups_holding_the_data(run, tmp_path, db_path):
    run("import", sheet(tmp_path, "maya", "zeb"))
    run("import", sheet(tmp_path, "maya", "zeb", "omar", name="more.csv"))  # takes a backup
    removed = api.remove_member("zeb.quill@example.org")
    assert removed.anonymous_id == "removed-1" and removed.pairings_ended == ()
    assert len(removed.backups) == 2  # before the second import, and before the removal
    assert all(b"Quillfeather" in path.read_bytes() for path in removed.backups)
    api.prune_backups(0)
    assert api.backups() == []


# --- backups and undo -----------------------------------------------------------------------


def test_undo_restores_the_state_before_pair_auto_and_restore_brings_it_back(sample, run,
                                                                            db_path):
    before = dump(db_path)
    planned = run.json("pair", "--auto", "--json")
    assert planned["pairs"]
    listed = run.json("db", "backups", "--json")
    assert [b["before"] for b in listed] == ["pair-auto"]
    folder = Path(listed[0]["path"]).parent
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(listed[0]["path"]).st_mode) == 0o600

    undone = run("db", "undo")
    assert "Undid" in undone.stderr and "db restore" in undone.stderr
    assert run.json("pairing", "list", "--json") == []
    assert dump(db_path) == before
    listed = run.json("db", "backups", "--json")
    assert [b["before"] for b in listed] == ["before-undo"]
    assert "nothing to undo" in run("db", "undo", code=1).stderr

    run("db", "restore", listed[0]["path"])  # a redo
    assert len(run.json("pairing", "list", "--json")) == len(planned["pairs"])


def test_restore_refuses_a_file_that_is_not_a_mentorctl_backup(sample, run, tmp_path, db_path):
    before = dump(db_path)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    assert "nothing was restored" in run("db", "restore", junk, code=1).stderr
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    assert "not a mentorctl database" in run("db", "restore", other, code=1).stderr
    assert "the database itself" in run("db", "restore", db_path, code=1).stderr
    assert "not a regular file" in run("db", "restore", tmp_path, code=1).stderr
    assert "no such backup file" in run("db", "restore", tmp_path / "nope.db", code=1).stderr
    assert dump(db_path) == before


def test_old_backups_are_pruned_to_the_setting(sample, run, tmp_path):
    (tmp_path / "mentorctl.yaml").write_text("backups:\n  keep: 2\n", encoding="utf-8")
    for _ in range(4):
        run("import", SAMPLE_CSV)  # each takes a backup first
    assert [b.before for b in api.backups()] == ["import", "import"]
    assert run.json("config", "show", "--json")["settings"]["backups"]["keep"] == 2


def test_bulk_steps_and_expire_can_be_undone_and_a_refused_step_leaves_no_backup(sample, run,
                                                                               db_path):
    created = run.json("pair", "--auto", "--json")["pairs"]
    before = dump(db_path)
    run("pairing", "introduce", "--status", "proposed")
    assert run.json("pairing", "list", "--status", "introduced", "--json")
    run("db", "undo")
    assert dump(db_path) == before
    backups = len(api.backups())
    run("pairing", "start", "1-3", code=1)  # proposed pairings cannot start: nothing written
    assert len(api.backups()) == backups and dump(db_path) == before
    run("pairing", "introduce", "1")  # one pairing: no backup for a single step
    assert len(api.backups()) == backups
    expired = api.expire(days=1, now="2099-01-01T00:00:00Z")
    assert len(expired.expired) == len(created)
    assert api.backups()[0].before == "pairing-expire"
    run("db", "undo")
    assert {p["status"] for p in run.json("pairing", "list", "--json")} == {"proposed",
                                                                            "introduced"}


def test_the_roster_through_the_api(tmp_path, db_path):
    api.import_members([sheet(tmp_path, "maya", "omar", "zeb")])
    api.import_members([sheet(tmp_path, "zeb", name="again.csv",
                              edit=lambda t: t.replace("zeb.quill@", "zq@"))])
    assert [(d.first, d.second) for d in api.duplicates()] == [("zeb.quill", "zq")]
    merged = api.merge_members("zeb.quill", "zq")
    assert merged.kept == "zeb.quill" and merged.merged == "zq" and count_members(db_path) == 3
    assert [b.before for b in api.backups()] == ["member-merge", "import"]
    restored = api.undo()
    assert restored.before == "member-merge" and count_members(db_path) == 4
    assert api.restore(restored.safety_copy).source == restored.safety_copy
    assert count_members(db_path) == 3
