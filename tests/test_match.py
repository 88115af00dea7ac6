"""Suggestions, shared points, intros and settings: through the CLI and on the core."""

from __future__ import annotations

import numpy as np
import pytest

from mentorctl.config import load_settings
from mentorctl.intro import sentence
from mentorctl.model import SharedPoint
from mentorctl.shared import plural
from tests.conftest import Loaded

HEADER = "id,name,email,role,occupation,schools,location,interests,languages,friends,capacity," \
         "available,organization,goals\n"
ROWS = [
    # mentees
    "alice,Alice Ng,alice@example.org,mentee,Registered Nurse,University of Washington,"
    "\"Seattle, WA\",\"grant writing, chess, hiking\",English,bea;carl,,,Mercy,"
    "Move into health informatics",
    "wendy,Wendy Ortiz,wendy@example.org,mentee,Junior Software Engineer,WashU,"
    "\"Portland, ME\",hiking,English,,,,,",
    "pat,Pat Roy,pat@example.org,mentee,Accountant,,Boston,,French,,,,,",
    "quinn,Quinn Ba,quinn@example.org,mentee,Registered Nurse,,Boston,chess,French,,,,,",
    # friends (mentees, not mentors)
    "bea,Bea Lund,bea@example.org,mentee,,,,,,,,,,",
    "carl,Carl Diaz,carl@example.org,mentee,,,,,,,,,,",
    "pop,Popular Pam,pop@example.org,mentee,,,,,,,,,,",
    # mentors
    "nora,Nora Field,nora@example.org,mentor,\"Nurse, Registered\",UW,\"Seattle, WA\","
    "\"grant writing, chess\",English,bea;carl,2,,Mercy,Ten years on the wards",
    "sam,Sam Park,sam@example.org,mentor,Sr. Software Engineer,University of Washington,"
    "\"Portland, OR\",hiking,English,pop,1,,,",
    "cam,Cam Boyd,cam@example.org,mentor,RN,Carnegie Mellon University,\"Cambridge, MA\","
    "chess,English,,1,,,",
    "full,Full Fran,fran@example.org,mentor,Registered Nurse,University of Washington,"
    "\"Seattle, WA\",chess,English,,0,,,",
    "away,Away Al,away@example.org,mentor,Registered Nurse,University of Washington,"
    "\"Seattle, WA\",chess,English,,2,no,,",
    "both1,Bo Both,bo@example.org,both,Registered Nurse,,\"Seattle, WA\",,English,,1,,,",
    "cpa,Cy Acct,cy@example.org,mentor,CPA,Carnegie Mellon University,Boston,,French,,1,,,",
]


@pytest.fixture
def program_csv(tmp_path, run):
    path = tmp_path / "program.csv"
    # Everyone popular: pop is friends with many mentees, so a friendship through pop is weak.
    rows = list(ROWS)
    rows += [f"fan{i},Fan {i},fan{i}@example.org,mentee,,,,,,pop,,,," for i in range(8)]
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    run("import", path)
    return path


@pytest.fixture
def program(program_csv, store):
    return Loaded(store, load_settings(None))


def by_mentor(result):
    return {s.mentor: s for s in result.suggestions}


def test_suggest_lists_true_shared_points_best_first(program):
    result = program.suggest("alice", limit=10)
    found = by_mentor(result)
    assert result.suggestions[0].mentor == "nora"
    texts = {p.kind: p.text for p in found["nora"].shared}
    assert texts["friends"] == "2 mutual friends: Bea Lund and Carl Diaz"
    assert texts["school"] == "both studied at University of Washington"
    assert texts["location"].startswith("both in Seattle")
    assert texts["occupation"] == "both registered nurses"
    assert texts["interests"] in ("grant writing, chess", "chess, grant writing")
    assert texts["languages"] == "both speak English"
    scores = [s.score for s in result.suggestions]
    assert scores == sorted(scores, reverse=True)


def test_capacity_availability_and_self_are_hard_rules(program):
    found = by_mentor(program.suggest("alice", limit=50))
    assert "full" not in found and "away" not in found
    both_view = by_mentor(program.suggest("both1", limit=50))
    assert "both1" not in both_view


def test_school_trap_washu_is_not_university_of_washington(program):
    wendy_sam = program.score("wendy", "sam")
    assert wendy_sam.features["school"] == 0
    assert not [p for p in wendy_sam.shared if p.kind == "school"]


def test_location_trap_portland_or_is_not_portland_me(program):
    pair = program.score("wendy", "sam")
    location = [p.text for p in pair.shared if p.kind == "location"]
    assert location == ["both in the United States"]
    assert pair.features["location"] == pytest.approx(0.2)


def test_nearby_places_are_graded_with_distance(program):
    pair = program.score("pat", "cam")  # Boston and Cambridge, MA
    text = next(p.text for p in pair.shared if p.kind == "location")
    assert text.startswith("Boston and Cambridge, ") and text.endswith(" km apart")
    assert 0.5 <= pair.features["location"] < 1


def test_seniority_a_more_senior_mentor_fits_better(program):
    pair = program.score("wendy", "sam")
    occupation = next(p.text for p in pair.shared if p.kind == "occupation")
    assert "more senior" in occupation
    assert pair.features["occupation"] == pytest.approx(1.0)


def test_adamic_adar_a_popular_friend_counts_for_less(program):
    strong = program.score("alice", "nora").features["friends"]
    weak_pair = program.score("fan0", "sam")  # both friends with pop, who has 10 friends
    assert 0 < weak_pair.features["friends"] < strong / 2


def test_rare_interest_counts_more_than_common(program):
    # chess is held by many, grant writing only by alice and nora.
    codes = program.interest_codes
    assert program.interest_idf[codes["grant writing"]] > program.interest_idf[codes["chess"]]
    assert program.score("alice", "nora").features["interests"] > \
        program.score("alice", "cam").features["interests"]


def test_languages_rule_and_organization_rule(program_csv, store, tmp_path, monkeypatch):
    settings_file = tmp_path / "rules.yaml"
    settings_file.write_text("rules:\n  require_shared_language: true\n"
                             "  different_organization: true\n")
    strict = Loaded(store, load_settings(settings_file))
    found = by_mentor(strict.suggest("alice", limit=50))
    assert "nora" not in found  # same organization (Mercy)
    assert "cpa" not in found  # speaks only French
    assert "cpa" in by_mentor(strict.suggest("pat", limit=50))


def test_weights_change_the_ranking(run, program_csv, isolated):
    # quinn: cam is a nurse nearby who plays chess; cpa only shares Boston and French.
    first = run.json("suggest", "--mentee", "quinn", "--json", "--limit", "10")
    assert first[0]["mentor"] == "cam"
    (isolated / "mentorctl.yaml").write_text(
        "weights:\n  occupation: 0\n  location: 0\n  school: 0\n  languages: 0\n"
        "  interests: 0\n  friends: 0\n")
    flat = run.json("suggest", "--mentee", "quinn", "--json", "--limit", "10")
    assert {s["score"] for s in flat} == {0}
    (isolated / "mentorctl.yaml").write_text(
        "weights:\n  occupation: 0\n  interests: 0\n  languages: 100\n")
    moved = run.json("suggest", "--mentee", "quinn", "--json", "--limit", "10")
    assert moved[0]["mentor"] == "cpa"


def test_suggest_json_contract_and_table(run, program_csv):
    data = run.json("suggest", "--mentee", "alice@example.org", "--json")
    assert set(data[0]) >= {"mentor", "name", "score", "shared"}
    assert {p["kind"] for p in data[0]["shared"]} <= {
        "friends", "school", "location", "occupation", "interests", "languages", "organization"}
    table = run("suggest", "--mentee", "Alice Ng").stdout
    assert "Nora Field" in table and "2 mutual friends" in table


def test_no_eligible_mentor_gives_empty_list_and_reason(run, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("name,role,capacity\nMo,mentee,\nZed,mentor,0\n")
    run("import", path)
    result = run("suggest", "--mentee", "mo", "--json")
    assert result.stdout.strip() == "[]"
    assert "capacity 0" in result.stderr


def test_suggest_for_a_mentor_or_unknown_is_an_error(run, program_csv):
    assert "not a mentee" in run("suggest", "--mentee", "nora", code=1).stderr
    assert "did you mean" in run("suggest", "--mentee", "alise", code=1).stderr


def test_intro_content_and_formats(run, program_csv):
    text = run("intro", "alice", "nora").stdout
    assert "Hi Alice and Nora" in text
    assert "You have 2 mutual friends: Bea Lund and Carl Diaz." in text
    assert "You are both registered nurses." in text
    assert "You both work at Mercy." in text  # a shared organization is a shared point
    assert "Move into health informatics" in text and "Ten years on the wards" in text
    # Written for its readers: no command of the tool, the guides are attached when it is sent.
    assert "mentorctl" not in text and "guide for your role" in text
    assert "To: alice@example.org, nora@example.org" in text
    md = run("intro", "alice", "nora", "--format", "markdown").stdout
    assert md.startswith("## Introduction: Alice Ng")
    data = run.json("intro", "alice", "nora", "--format", "json")
    assert data["to"] == ["alice@example.org", "nora@example.org"] and data["shared"]


def test_intro_template_override_and_bad_placeholder(run, program_csv, isolated):
    (isolated / "mentorctl.yaml").write_text(
        "intro:\n  subject: 'Meet {mentor_first}'\n  template: 'Hello {mentee_first}! "
        "{shared_sentences}'\n")
    data = run.json("intro", "alice", "nora", "--format", "json")
    assert data["subject"] == "Meet Nora" and data["body"].startswith("Hello Alice!")
    (isolated / "mentorctl.yaml").write_text("intro:\n  template: 'Hi {nickname}'\n")
    result = run("intro", "alice", "nora", code=1)
    assert "{nickname}" in result.stderr and "intro.template" in result.stderr


def test_sentences_and_plurals():
    assert sentence(SharedPoint("school", "both studied at MIT")) == "You both studied at MIT."
    assert sentence(SharedPoint("occupation", "both attorneys")) == "You are both attorneys."
    assert plural("Registered Nurse") == "registered nurses"
    assert plural("Attorney") == "attorneys"
    assert plural("Data Analyst") == "data analysts"
    assert plural("UX Designer") == "UX designers"


def test_intro_core(program):
    intro = program.intro("alice", "nora")
    assert intro.to == ("alice@example.org", "nora@example.org")
    assert "Alice" in intro.body and intro.score > 50


# --- settings -------------------------------------------------------------------------------


def test_config_init_and_show(run, isolated):
    assert run.json("config", "show", "--json")["sources"]["weights.occupation"] == "default"
    run("config", "init")
    assert (isolated / "mentorctl.yaml").exists()
    run("config", "init", code=1)
    shown = run.json("config", "show", "--json")
    assert shown["settings"]["weights"]["occupation"] == 30
    assert shown["sources"]["weights.occupation"].endswith("mentorctl.yaml")
    assert shown["sources"]["rules.stale_days"].endswith("mentorctl.yaml")
    (isolated / "mentorctl.yaml").write_text("weights:\n  school: 40\n")
    shown = run.json("config", "show", "--json")
    assert shown["sources"]["weights.school"].endswith("mentorctl.yaml")
    assert "weights.school" in run("config", "show").stdout


@pytest.mark.parametrize("content, expected", [
    ("weights:\n  shoe: 3\n", "weights.shoe"),
    ("weight:\n  school: 3\n", "'weight'"),
    ("weights:\n  school: -1\n", "weights.school"),
    ("rules:\n  require_shared_language: maybe\n", "rules.require_shared_language"),
    ("weights: [1, 2\n", "malformed YAML"),
    ("aliases:\n  school: [a]\n", "aliases.school"),
])
def test_bad_settings_name_the_key(run, isolated, content, expected):
    (isolated / "mentorctl.yaml").write_text(content)
    result = run("config", "show", code=1)
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_scores_are_vectorized_over_all_mentors(program):
    from mentorctl.match import pair_scores

    e = np.full(program.size, program.index["alice"])
    m = np.arange(program.size)
    scores, features = pair_scores(program, e, m)
    assert scores.shape == (program.size,) and set(features) == {
        "friends", "school", "location", "occupation", "interests", "languages"}


def test_manual_pair_obeys_the_program_rules(run, program_csv, isolated):
    (isolated / "mentorctl.yaml").write_text("rules:\n  require_shared_language: true\n"
                                             "  different_organization: true\n")
    assert "same organization" in run("pair", "alice", "nora", code=1).stderr
    assert "share no language" in run("pair", "alice", "cpa", code=1).stderr
    run("pair", "alice", "cam")


def _occupation_points(run, tmp_path, members: str):
    """Import `members` (id,name,role,occupation,capacity rows); the occupation point of a pair."""
    from mentorctl import api

    path = tmp_path / "jobs.csv"
    path.write_text("id,name,role,occupation,capacity\n" + members, encoding="utf-8")
    run("import", path)

    def occupation_point(mentee: str, mentor: str) -> str | None:
        shared = api.intro(mentee, mentor).shared
        return next((p.text for p in shared if p.kind == "occupation"), None)

    return occupation_point


def test_occupation_points_name_the_level_two_people_share(run, tmp_path):
    occupation_point = _occupation_points(run, tmp_path, (
        "nurse,Nia Nurse,mentee,Registered Nurse,\n"
        "pm,Pat PM,mentee,Product Manager,\n"
        "web,Wes Web,mentee,Web Developer,\n"
        "doc,Dee Doctor,mentor,Physician,1\n"
        "chef,Cy Chef,mentor,Restaurant Manager,1\n"
        "dev,Dev Dev,mentor,Software Engineer,1\n"))
    assert occupation_point("nurse", "doc") == (
        "both healthcare diagnosing or treating practitioners (physician and registered nurse)")
    # Product manager and restaurant manager share only "management": no point at all.
    assert occupation_point("pm", "chef") is None
    assert occupation_point("web", "dev") == (
        "both software and web developers, programmers, and testers (software developer and "
        "web developer)")


def test_an_all_other_code_is_one_occupation_only_for_one_title(run, tmp_path):
    # "Managers, All Other" holds compliance managers and program managers alike: sharing the
    # code is sharing nothing, and its "Miscellaneous" broad group is no kind of work either.
    from mentorctl import api

    occupation_point = _occupation_points(run, tmp_path, (
        "comp,Cy Comp,mentee,Compliance Manager,\n"
        "nd,Nat Naturo,mentee,Naturopathic Physician,\n"
        "ped,Pia Ped,mentee,Pediatrician,\n"
        "prog,Pam Prog,mentor,Program Manager,1\n"
        "comp2,Co Comp,mentor,Compliance Manager,1\n"
        "acu,Ace Acu,mentor,Acupuncturist,1\n"
        "fam,Fay Fam,mentor,Family Physician,1\n"))
    assert {r.code for r in api.resolve("occupation", ["Compliance Manager", "Program Manager"])} \
        == {"11-9199"}
    assert occupation_point("comp", "prog") is None
    assert occupation_point("comp", "comp2") == "both compliance managers"
    # 29-1299 and 29-1291 share the miscellaneous broad group; only the profession is real.
    assert occupation_point("nd", "acu") == (
        "both healthcare diagnosing or treating practitioners (acupuncturist and naturopathic "
        "physician)")
    # Physicians run past their ten (29-1221 and 29-1215 are both in 29-1210).
    assert occupation_point("ped", "fam") == "both physicians (family physician and pediatrician)"


def test_a_best_guess_is_one_occupation_only_for_one_title(run, tmp_path):
    # "Teacher" is a guess among three school levels, "Content Manager" between web designers
    # and a catch-all: two people share the occupation only when they typed one title, and
    # otherwise only the level all the guessed codes share.
    occupation_point = _occupation_points(run, tmp_path, (
        "t1,Tia T,mentee,Teacher,\n"
        "c1,Cam C,mentee,Content Manager,\n"
        "h1,Hal H,mentee,High School Teacher,\n"
        "t2,Tom T,mentor,Lead Teacher,1\n"
        "c2,Cor C,mentor,Content Manager,1\n"
        "el,Eli L,mentor,Elementary School Teacher,1\n"
        "wd,Wen D,mentor,Web Designer,1\n"))
    assert occupation_point("t1", "t2") == "both teachers"  # one title, with or without "Lead"
    assert occupation_point("c1", "c2") == "both content managers"
    # the guessed code is no shared occupation: not "both elementary school teachers"
    assert occupation_point("t1", "el") == (
        "both preschool, elementary, middle, secondary, and special education teachers "
        "(elementary school teacher and teacher)")
    assert occupation_point("c1", "wd") == \
        "both computer occupations (web designer and content manager)"


def test_intro_titles_are_clean_for_their_readers(run, tmp_path):
    # Issue 15: the canonical title with the member's level, else their own words cased.
    path = tmp_path / "titles.csv"
    path.write_text("id,name,email,role,occupation,capacity\n"
                    "w,Wendy Ortiz,w@example.org,mentee,junior software engineer,\n"
                    "s,Sam Park,s@example.org,mentor,Sr. SWE,1\n"
                    "h,Hal Ode,h@example.org,mentor,HEAD OF GROWTH HACKING,1\n", encoding="utf-8")
    run("import", path)
    text = run("intro", "w", "s").stdout
    assert "Sam Park (Senior Software Developer)" in text
    assert "Wendy Ortiz (Junior Software Developer)" in text
    assert "You are both software developers; Sam has more experience." in text
    assert "the mentor" not in text and "Sr. SWE" not in text
    assert "Hal Ode (Head of Growth Hacking)" in run("intro", "w", "h").stdout
