"""`resolve`, `unresolved`, program aliases and re-resolution of stored members, through the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from mentorctl.normalize import resolve_texts

ROOT = Path(__file__).resolve().parent.parent


def test_resolve_json_contract(run):
    data = run.json("resolve", "location", "SF", "Portland, ME", "Nowhereville Xq", "--json")
    assert [set(d) >= {"input", "canonical", "score", "method"} for d in data] == [True] * 3
    assert data[0]["canonical"] == "San Francisco, California, United States"
    assert data[1]["canonical"].startswith("Portland, Maine")
    assert data[2]["canonical"] is None and data[2]["method"] == "unresolved"


def test_resolve_each_kind_in_text(run):
    assert "Massachusetts Institute of Technology" in run("resolve", "school", "MIT").stdout
    assert "Software Developer" in run("resolve", "occupation", "Sr. SWE").stdout
    assert "(unresolved)" in run("resolve", "school", "Qwxz Academy of Nothing").stdout


def test_unknown_kind_is_a_usage_error(run):
    run("resolve", "hobby", "chess", code=2)


def test_program_aliases_win_and_stored_members_are_re_resolved(run, tmp_path, isolated, store):
    path = tmp_path / "m.csv"
    path.write_text("name,role,University,Job title\nAna,mentee,Acme Coding School,Code Ninja\n"
                    "Ben,mentor,Acme Academy,Developer\n")
    run("import", path)
    unresolved = run.json("unresolved", "--json")
    assert {"kind": "school", "text": "Acme Coding School", "members": 1,
            "alternatives": [], "closest": []} in unresolved
    assert any(u["text"] == "Code Ninja" for u in unresolved)
    (isolated / "mentorctl.yaml").write_text(yaml.safe_dump({"aliases": {
        "school": {"Acme Coding School": "Acme Academy"},
        "occupation": {"Code Ninja": "Software Developer"}}}))
    assert run.json("resolve", "occupation", "code ninja", "--json")[0]["canonical"] == \
        "Software Developer"
    assert run.json("unresolved", "--json") == []
    shown = run.json("member", "show", "ana", "--json")
    assert shown["resolved"]["school"][0]["canonical"] == "Acme Academy"
    assert shown["resolved"]["school"][0]["method"] == "program-alias"
    suggestion = run.json("suggest", "--mentee", "ana", "--json")[0]
    assert {"kind": "school", "text": "both studied at Acme Academy"} in suggestion["shared"]


def test_an_occupation_guess_says_so_and_is_listed_for_review(run, tmp_path, isolated):
    # "Content Manager" is filed under two codes: resolved to the first as a guess, with the
    # other as an alternative, and listed by `unresolved` until an alias settles it.
    data = run.json("resolve", "occupation", "Content Manager", "Teacher", "--json")
    assert [(d["code"], d["score"], d["attrs"]["ambiguous"]) for d in data] == \
        [("15-1255", 70.0, True), ("25-2021", 70.0, True)]
    assert data[0]["attrs"]["alternatives"] == ["Computer Occupations, All Other"]
    assert "alternatives: Computer Occupations, All Other" in \
        run("resolve", "occupation", "Content Manager").stdout
    path = tmp_path / "m.csv"
    path.write_text("name,role,Job title\nAna,mentee,Content Manager\nBen,mentor,Teacher\n"
                    "Cy,mentor,Teacher\n")
    run("import", path)
    assert run.json("unresolved", "--json") == [
        {"kind": "occupation", "text": "Teacher", "members": 2, "alternatives": [
            "Elementary School Teacher", "Middle School Teacher", "High School Teacher"],
         "closest": []},
        {"kind": "occupation", "text": "Content Manager", "members": 1, "alternatives": [
            "Web Designer", "Computer Occupations, All Other"], "closest": []}]
    (shown,) = run.json("member", "show", "ana", "--json")["resolved"]["occupation"]
    assert shown["code"] == "15-1255" and shown["attrs"]["ambiguous"]
    assert shown["attrs"]["family"] == {"broad": None, "minor": "15-1200", "major": "15-0000"}
    assert "Content Manager → Content Manager [exact] (a guess among: Web Designer; Computer " \
        "Occupations, All Other)" in " ".join(run("member", "show", "ana").stdout.split())
    (isolated / "mentorctl.yaml").write_text(yaml.safe_dump({"aliases": {
        "occupation": {"Teacher": "High School Teacher", "Content Manager": "Web Designer"}}}))
    assert run.json("unresolved", "--json") == []  # the reviewer's decision
    assert run.json("resolve", "occupation", "Teacher", "--json")[0]["code"] == "25-2031"


def test_a_database_resolved_with_older_data_is_resolved_again(run, tmp_path, db_path):
    # Issue 12, upgrades: what an older version stored (another key, no code) is replaced as soon
    # as the shipped data differ; reads show the new resolution at once, the next write stores it.
    import sqlite3

    path = tmp_path / "m.csv"
    path.write_text("name,role,Job title\nAna,mentee,RN\nBen,mentor,Registered Nurse\n")
    run("import", path)
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE resolutions SET key = 'occ:nurse', canonical = 'Nurse (old)', "
                     "attrs = '{}' WHERE kind = 'occupation'")
        conn.execute("UPDATE meta SET value = 'older-data' WHERE key = 'resolver_signature'")
    (shown,) = run.json("member", "show", "ana", "--json")["resolved"]["occupation"]
    assert (shown["canonical"], shown["code"]) == ("Registered Nurse", "29-1141")
    run("import", path)  # a write: the table is brought up to date
    with sqlite3.connect(db_path) as conn:
        stored = conn.execute("SELECT DISTINCT key, canonical FROM resolutions "
                              "WHERE kind = 'occupation'").fetchall()
    assert stored == [("occ:29-1141", "Registered Nurse")]


def test_twenty_thousand_distinct_strings_resolve():
    texts = [f"Software Engineer {i}" if i % 3 else f"Springfield {i}" for i in range(20_000)]
    for kind in ("occupation", "school", "location"):
        results = resolve_texts(kind, texts)
        assert len(results) == 20_000 and results[5].input == texts[5]


def test_evaluation_command_prints_figures_and_meets_targets():
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "evaluate_resolvers.py")],
                            capture_output=True, text=True, timeout=120)
    assert "| location |" in result.stdout and "| school |" in result.stdout
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_typo_of_a_guess_and_a_dashed_employer_through_the_cli(run):
    typo, dashed = run.json("resolve", "occupation", "Teahcer", "Registered Nurse - Mercy",
                            "--json")
    assert (typo["code"], typo["score"], typo["attrs"]["ambiguous"]) == ("25-2021", 70.0, True)
    assert (dashed["code"], dashed["canonical"]) == ("29-1141", "Registered Nurse")
    assert "alternatives: Middle School Teacher; High School Teacher" in \
        run("resolve", "occupation", "Teahcer").stdout
