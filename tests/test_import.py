"""Import through the CLI and on the core: real CSV and YAML as spreadsheets and forms write them."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from mentorctl.errors import InvalidInput
from mentorctl.ingest import ImportRejected, import_members, slug, split_list
from mentorctl.members import find_member
from mentorctl.store import Store

from .conftest import SAMPLE_CSV, SAMPLE_YAML, count_members

HEADER = "Full name,Email Address,Role,Job title,University,City,Skills,Max mentees\n"


def write(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def big_csv(tmp_path, rows: int, bad_line: int | None = None, name="big.csv"):
    lines = [HEADER]
    for i in range(rows):
        role = "mentor" if i % 3 == 0 else "mentee"
        capacity = "2" if role == "mentor" else ""
        if bad_line is not None and i + 2 == bad_line:
            capacity = "-3"
        lines.append(f"Person {i},person{i}@example.org,{role},Software Engineer,MIT,Boston,"
                     f"\"python, chess\",{capacity}\n")
    return write(tmp_path, name, "".join(lines))


# --- the sample program ------------------------------------------------------------------------


def test_sample_import_then_reimport_changes_nothing(run, db_path):
    first = run.json("import", SAMPLE_CSV, SAMPLE_YAML, "--json")
    assert first["created"] == count_members(db_path) >= 70
    assert first["rejected"] == 0 and first["errors"] == []
    listed = run.json("member", "list", "--format", "json")
    assert len(listed) == first["created"]
    assert set(listed[0]) >= {"id", "name", "role"}
    again = run.json("import", SAMPLE_CSV, SAMPLE_YAML, "--json")
    columns = again.pop("columns")  # how each column was read: a key added to the contract
    assert again == {"created": 0, "updated": 0, "unchanged": first["created"], "rejected": 0,
                     "errors": [], "dry_run": False, "edits_kept": [], "duplicates": []}
    assert {c["column"]: c["field"] for c in columns if c["file"].endswith(".csv")} == {
        "Timestamp": None, "Full name": "name", "Email Address": "email", "Role": "role",
        "Job title": "occupation", "University": "schools", "City": "location",
        "Skills": "interests", "Languages": "languages", "Friends": "friends",
        "Max mentees": "capacity", "Goals": "goals", "Bio": "bio",
        "Organization": "organization", "Pronouns": None}
    shown = run.json("member", "show", "priya.shah@example.org", "--json")
    assert shown["id"] == "priya.shah" and shown["name"] == "Priya Shah"
    # Unknown columns are kept as extra data, not dropped.
    assert shown["extra"]["Pronouns"] and shown["extra"]["Timestamp"]


def test_member_list_shows_everyone_in_text(sample, run):
    out = run("member", "list").stdout
    assert "Priya Shah" in out and "José" in out


def test_summary_line_and_dry_run(run, tmp_path, db_path):
    result = run("import", SAMPLE_CSV, "--dry-run")
    assert "created" in result.stdout and "dry run" in result.stdout
    assert count_members(db_path) == 0


# --- CSV as it really comes ------------------------------------------------------------------


def test_bom_crlf_multiline_spaces_mixed_case_and_unknown_columns(run, tmp_path, store):
    content = (
        "\ufeffTimestamp,Full name , Email Address,Role,Job title,Bio,Shoe size\r\n"
        "3/14/2026 9:02:11,  Ana Lima ,ANA@Example.org,  MENTOR ,Sr. SWE,\"Line one\r\nline two\",42\r\n"
        "3/14/2026 9:03:00,Bo Chen,bo@example.org,Mentee,RN,,\r\n"
    )
    path = write(tmp_path, "form.csv", content)
    run("import", path)
    ana = find_member(store, "ana@example.org")
    assert (ana.id, ana.name, ana.role, ana.email) == ("ana", "Ana Lima", "mentor", "ana@example.org")
    assert ana.bio == "Line one\r\nline two" or ana.bio == "Line one\nline two"
    assert ana.extra == {"Timestamp": "3/14/2026 9:02:11", "Shoe size": "42"}
    assert find_member(store, "BO CHEN").role == "mentee"


def test_header_synonyms_and_map(run, tmp_path, store):
    path = write(tmp_path, "s.csv", "Your name,E-mail,I want to be a,Current position,College,"
                 "Where are you based,Skills,Max mentees,Pet\n"
                 "Cy Diaz,cy@example.org,mentor,Nurse,Howard University,DC,chess,3,cat\n")
    run("import", path, "--map", "Pet=interests")
    cy = find_member(store, "cy")
    assert (cy.occupation, cy.schools, cy.location, cy.capacity) == (
        "Nurse", ("Howard University",), "DC", 3)
    assert cy.interests == ("cat",)  # --map wins over keeping the column as extra


def test_list_cells_split_but_schools_keep_commas(run, tmp_path, store):
    path = write(tmp_path, "l.csv", "name,role,schools,interests,languages\n"
                 '"Di Evans",mentee,"University of California, Berkeley; MIT",'
                 '"grant writing, chess|python","English, Spanish"\n')
    run("import", path)
    di = find_member(store, "di.evans")
    assert di.schools == ("University of California, Berkeley", "MIT")
    assert di.interests == ("grant writing", "chess", "python")
    assert di.languages == ("English", "Spanish")


def test_split_list_core():
    assert split_list("friends", "a; b\nc|d, e") == ["a", "b", "c", "d", "e"]
    assert split_list("schools", "X, Y; Z") == ["X, Y", "Z"]
    assert split_list("interests", ["chess", "Chess", " go "]) == ["chess", "go"]


def test_semicolon_delimited_export_from_european_excel(run, tmp_path, store):
    path = write(tmp_path, "eu.csv", "Name;Email;Role\nEva Roth;eva@example.org;mentee\n")
    run("import", path)
    assert find_member(store, "eva").name == "Eva Roth"


def test_first_and_last_name_columns_combine(run, tmp_path, store):
    path = write(tmp_path, "fl.csv", "First name,Last name,Role\nGil,Moreno,mentor\n")
    run("import", path)
    assert find_member(store, "gil.moreno").name == "Gil Moreno"


def test_role_option_fills_blank_and_missing_roles(run, tmp_path, store):
    path = write(tmp_path, "mentors.csv", "name,email\nHal Ito,hal@example.org\n")
    run("import", path, "--role", "mentor")
    assert find_member(store, "hal").role == "mentor"


def test_stdin_csv_and_yaml(run, store):
    run("import", "-", input="name,role\nIda Park,mentee\n")
    run("import", "-", input="members:\n  - name: Jo Wu\n    role: mentor\n")
    assert find_member(store, "ida.park").role == "mentee"
    assert find_member(store, "jo.wu").role == "mentor"


def test_encoding_option_and_clear_error(run, tmp_path, store):
    path = write(tmp_path, "latin.csv", "name,role\nJosé Núñez,mentee\n".encode("cp1252"))
    result = run("import", path, code=1)
    assert "latin.csv:2" in result.stderr and "--encoding" in result.stderr
    assert result.stderr.count("\n") == 1
    run("import", path, "--encoding", "cp1252")
    assert find_member(store, "José Núñez").id == "jose.nunez"


# --- ids and upserts ---------------------------------------------------------------------------


def test_ids_given_derived_from_email_or_name_and_stable(run, tmp_path, store):
    path = write(tmp_path, "ids.csv", "id,name,email,role\n"
                 "kay,Kay One,k1@example.org,mentor\n"
                 ",Kay Two,kay@example.org,mentee\n"
                 ",Zoë Müller,,mentee\n"
                 ",李明,,mentee\n")
    run("import", path)
    ids = {m["name"]: m["id"] for m in run.json("member", "list", "--format", "json")}
    assert ids == {"Kay One": "kay", "Kay Two": "kay-2", "Zoë Müller": "zoe.muller", "李明": "李明"}
    again = run.json("import", path, "--json")
    assert again["created"] == 0 and again["unchanged"] == 4


def test_changed_row_updates_that_member_only(run, tmp_path, store):
    path = write(tmp_path, "a.csv", "name,email,role,Max mentees\nLea Vo,lea@example.org,mentor,1\n"
                 "Max Ro,max@example.org,mentee,\n")
    run("import", path)
    write(tmp_path, "a.csv", "name,email,role,Max mentees\nLea Vo,lea@example.org,mentor,3\n"
          "Max Ro,max@example.org,mentee,\n")
    summary = run.json("import", path, "--json")
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (0, 1, 1)
    assert find_member(store, "lea").capacity == 3


def test_friends_may_name_members_imported_later(run, tmp_path, store):
    run("import", write(tmp_path, "1.csv", "name,email,role,friends\nAl,al@example.org,mentee,"
                        "bea@example.org\n"))
    run("import", write(tmp_path, "2.csv", "name,email,role\nBea,bea@example.org,mentor\n"))
    assert find_member(store, "al").friends == ("bea@example.org",)


# --- validation: all or nothing -----------------------------------------------------------------


def test_one_bad_row_among_thousands_writes_nothing_then_skip_invalid(run, tmp_path, db_path):
    path = big_csv(tmp_path, 3000, bad_line=1777)
    result = run("import", path, code=1)
    assert "big.csv:1777: capacity:" in result.stderr
    assert count_members(db_path) == 0
    summary = run.json("import", path, "--skip-invalid", "--json")
    assert (summary["created"], summary["rejected"]) == (2999, 1)
    assert summary["errors"][0]["line"] == 1777
    assert count_members(db_path) == 2999


def test_every_problem_is_listed_with_file_line_and_field(run, tmp_path, db_path):
    path = write(tmp_path, "bad.csv", "id,name,email,role,capacity,friends\n"
                 "a,Ann,ann@example.org,mentor,2,\n"
                 "b,,bee@example,teacher,abc,\n"
                 "a,Dup,dup@example.org,mentee,,\n"
                 "c,Cat,ann@example.org,mentee,,\n"
                 "d,Dan,dan@example.org,mentee,,d\n")
    result = run("import", path, "--json", code=1)
    errors = {(e["line"], e["message"].split(":")[0]) for e in run.json(
        "import", path, "--json", code=1)["errors"]}
    assert {(3, "name"), (3, "email"), (3, "role"), (3, "capacity"), (4, "id"), (5, "email"),
            (6, "friends")} <= errors
    assert result.stderr.count("bad.csv:") >= 7
    assert count_members(db_path) == 0


@pytest.mark.parametrize("capacity", ["-1", "lots", "1.5"])
def test_bad_capacity(run, tmp_path, db_path, capacity):
    path = write(tmp_path, "c.csv", f"name,role,capacity\nEd,mentor,{capacity}\n")
    result = run("import", path, code=1)
    assert "c.csv:2: capacity:" in result.stderr
    assert count_members(db_path) == 0


def test_core_validates_before_writing(store):
    data = b"name,role\nOk,mentor\nBad,boss\n"
    with pytest.raises(ImportRejected) as caught:
        import_members(store, [("x.csv", data)])
    assert str(caught.value.result.errors[0]) == (
        "x.csv:3: role: 'boss' is not a role: use mentor, mentee or both")
    assert store.scalar("SELECT count(*) FROM members") == 0



def test_the_collector_is_paused_during_an_import_and_restored_after(store):
    import gc

    seen = []
    import_members(store, [("x.csv", b"name,role\nOk,mentor\n")],
                   after_write=lambda _: seen.append(gc.isenabled()))
    assert seen == [False] and gc.isenabled()
    with pytest.raises(ImportRejected):
        import_members(store, [("x.csv", b"name,role\nBad,boss\n")])
    assert gc.isenabled()
    gc.disable()  # a caller's choice is kept
    try:
        import_members(store, [("x.csv", b"name,role\nOk,mentor\n")])
        assert not gc.isenabled()
    finally:
        gc.enable()

# --- hostile input --------------------------------------------------------------------------------

HOSTILE = {
    "unsafe.yaml": ("- name: !!python/object/apply:os.system ['touch PWNED']\n  role: mentor\n",
                    "unsafe.yaml:1"),
    "bomb.yaml": ('a: &a ["x","x","x","x","x","x","x","x","x"]\n'
                  + "".join(f'{chr(98 + i)}: &{chr(98 + i)} [' + ",".join([f"*{chr(97 + i)}"] * 9)
                            + "]\n" for i in range(12))
                  + "members: [{name: *m, role: mentor}]\n", "expands to more than"),
    "binary.csv": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    "undecodable.csv": (b"name,role\nAb\xff\xfe,mentor\n", "undecodable.csv:2"),
    "empty.csv": ("", "empty"),
    "header_only.csv": ("name,role\n", "no members"),
    "big_cell.csv": ("name,role,bio\nHuge,mentor,\"" + "x" * 10_000_000 + "\"\n", "big_cell.csv:2"),
    "unbalanced.csv": ('name,role,bio\nQ,mentor,"never closed\nR,mentee,x\n', "unbalanced.csv:2"),
    "no_role_column.csv": ("name,email\nS,s@example.org\n", "role"),
    "unknown_role.csv": ("name,role\nT,guru\n", "unknown_role.csv:2: role"),
    "negative.csv": ("name,role,capacity\nU,mentor,-2\n", "negative.csv:2: capacity"),
    "nonnumeric.csv": ("name,role,capacity\nV,mentor,many\n", "nonnumeric.csv:2: capacity"),
    "dup_ids.csv": ("id,name,role\nw,W,mentor\nw,W2,mentee\n", "dup_ids.csv:3: id"),
    "self_friend.csv": ("name,email,role,friends\nX,x@example.org,mentee,x@example.org\n",
                        "self_friend.csv:2: friends"),
    "not_members.yaml": ("just: a mapping\n", "not_members.yaml"),
    "scalar.yaml": ("42\n", "scalar.yaml"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_is_refused_cleanly(run, tmp_path, db_path, name):
    run("import", write(tmp_path, "seed.csv", "name,role\nSeed,mentor\n"))
    content, expected = HOSTILE[name]
    path = write(tmp_path, name, content)
    result = run("import", path, code=1)
    assert expected in result.stderr, result.stderr
    assert name in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("Error:")
    assert count_members(db_path) == 1
    assert not (tmp_path / "PWNED").exists() and not os.path.exists("PWNED")


def test_unmappable_required_field_shows_the_columns_and_map(run, tmp_path):
    path = write(tmp_path, "h.csv", "Persona,Role\nA,mentor\n")
    result = run("import", path, code=1)
    assert "'name'" in result.stderr and "Persona" in result.stderr
    assert "(kept as extra)" in result.stderr  # the mapping table comes before the error
    assert "--map 'COLUMN=name'" in result.stderr


def test_usage_errors_exit_2(run, tmp_path):
    path = write(tmp_path, "u.csv", "name,role\nA,mentor\n")
    assert run("import", path, "--map", "Nope", code=2).exit_code == 2
    assert "unknown field" in run("import", path, "--map", "X=shoe", code=2).stderr
    run("import", path, "--role", "guru", code=2)
    run("import", code=2)


def test_missing_file(run):
    assert "nope.csv: no such file" in run("import", "nope.csv", code=1).stderr


# --- crash safety ----------------------------------------------------------------------------------


def test_sigkill_mid_import_leaves_none_or_all(tmp_path):
    """Killed while its write transaction is open (the write-ahead log is growing), an import
    leaves nothing; killed at any other moment, nothing or everything. Never half."""
    path = big_csv(tmp_path, 40_000)
    db = tmp_path / "killed.db"
    wal = tmp_path / "killed.db-wal"
    env = {**os.environ, "MENTORCTL_DB": str(db)}
    inside = 0
    for _attempt in range(4):
        proc = subprocess.Popen([sys.executable, "-m", "mentorctl", "import", str(path)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        # The members' pages reach the log only inside the import's transaction.
        while proc.poll() is None and time.monotonic() < deadline and not (
                wal.exists() and wal.stat().st_size > 1_000_000):
            time.sleep(0.002)
        landed = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        conn = sqlite3.connect(db)
        count = conn.execute("SELECT count(*) FROM members").fetchone()[0] if conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'members'").fetchone() else 0
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        assert count in (0, 40_000)
        if landed:
            assert count == 0
            inside += 1
            break
        db.unlink()  # it finished first: start again on a new database
    assert inside, "no kill landed inside the import's write transaction"


def test_slug():
    assert slug("José Álvarez") == "jose.alvarez"
    assert slug("priya.shah+mentors") == "priya.shah.mentors"


def test_reader_rejects_directory(run, tmp_path):
    assert "is a directory" in run("import", tmp_path, code=1).stderr


def test_invalid_input_is_a_mentorctl_error():
    assert issubclass(ImportRejected, InvalidInput)


def test_store_roundtrip_direct(db_path):
    with Store(db_path) as store:
        result = import_members(store, [("y.yaml", SAMPLE_YAML.read_bytes())])
        assert len(result.created) >= 10
