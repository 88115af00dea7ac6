"""School resolution: the labelled eval set, traps, cleaning, aliases, scale."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mentorctl.resolution import METHODS
from mentorctl.schools import resolve_schools

EVAL = Path(__file__).parent / "eval" / "schools.yaml"


@pytest.fixture(scope="module")
def spec():
    return yaml.safe_load(EVAL.read_text(encoding="utf-8"))


def test_eval_groups_resolve_to_canonical(spec):
    variants = [(g["canonical"], v) for g in spec["groups"] for v in g["variants"]]
    assert len(variants) >= 160
    got = resolve_schools([v for _, v in variants])
    misses = [(c, r.input, r.canonical) for (c, _), r in zip(variants, got, strict=True)
              if r.canonical != c]
    assert 1 - len(misses) / len(variants) >= 0.97, misses


def test_eval_canonicals_are_display_names(spec):
    got = resolve_schools([g["canonical"] for g in spec["groups"]])
    assert [r.canonical for r in got] == [g["canonical"] for g in spec["groups"]]
    assert all(r.method == "exact" for r in got)


def test_eval_traps_stay_distinct(spec):
    assert len(spec["traps"]) >= 45
    for a, b in spec["traps"]:
        ra, rb = resolve_schools([a, b])
        assert ra.key is None or ra.key != rb.key, (a, b, ra.canonical)


def test_shipped_aliases_all_resolve():
    aliases = yaml.safe_load(
        (Path(__file__).parent.parent / "mentorctl" / "data" / "school_aliases.yaml").read_text(
            encoding="utf-8"
        )
    )["aliases"]
    assert len(aliases) >= 120
    got = resolve_schools(list(aliases))
    assert [r.canonical for r in got] == list(aliases.values())
    assert {r.method for r in got} <= {"alias", "exact"}


def test_berkeley_comma_and_campus_variants_are_one_school():
    texts = ["University of California, Berkeley", "University of California - Berkeley",
             "UC-Berkeley", "University of California at Berkeley", "UC Berkeley"]
    keys = {r.key for r in resolve_schools(texts)}
    assert keys == {"school:berkeley.edu"}
    ucla, ucsd = resolve_schools(["UCLA", "UCSD"])
    assert len({ucla.key, ucsd.key, "school:berkeley.edu"}) == 3


def test_accents_and_transliterations():
    got = resolve_schools(["ETH Zürich", "ETH Zurich", "ETH Zuerich", "Universität Wien",
                           "Universitaet Wien", "Université de Montréal",
                           "Universite de Montreal", "Technische Universität München", "TUM"])
    assert got[0].key == got[1].key == got[2].key
    assert got[3].canonical == got[4].canonical == "University of Vienna"
    assert got[5].key == got[6].key
    assert got[7].key == got[8].key and got[7].canonical == "Technical University of Munich"
    assert got[0].attrs["country"] == "Switzerland"


def test_noise_is_dropped():
    got = resolve_schools(["BS in CS from MIT", "B.Sc. Computer Science, University of Toronto",
                           "MBA, Wharton", "Class of 2015, Boston College", "Stanford '09",
                           "Princeton University (PhD)", "Yale University 2008-2012"])
    assert [r.canonical for r in got] == [
        "Massachusetts Institute of Technology", "University of Toronto",
        "University of Pennsylvania", "Boston College", "Stanford University",
        "Princeton University", "Yale University",
    ]


def test_methods_and_fields():
    exact, alias, rule, fuzzy = resolve_schools(
        ["Stanford University", "MIT", "Univ. of Washington",
         "Massachusets Institute of Technology"]
    )
    assert (exact.method, alias.method, rule.method, fuzzy.method) == (
        "exact", "alias", "rule", "fuzzy")
    assert alias.key == fuzzy.key == "school:mit.edu"
    assert rule.canonical == "University of Washington"
    assert exact.score >= rule.score >= fuzzy.score > 0
    assert all(r.method in METHODS for r in (exact, alias, rule, fuzzy))


def test_fuzzy_never_crosses_to_a_different_school():
    # a typo halfway between two real schools, and near spellings of different structures
    got = resolve_schools(["Northestern University", "Univeristy of Miami", "Miami Universty",
                           "Ohio Universty", "Indiana Stat University"])
    assert got[0].key is None
    assert got[1].canonical == "University of Miami"
    assert got[2].canonical == "Miami University"
    assert got[3].canonical != "Ohio State University"
    assert got[4].canonical in (None, "Indiana State University")


def test_ambiguous_acronym_is_unresolved():
    (osu,) = resolve_schools(["OSU"])
    assert osu.canonical is None and osu.method == "unresolved"


@pytest.mark.parametrize("junk", ["", "   ", "asdfgh qwerty", "n/a", "---", "12345"])
def test_junk_is_unresolved(junk):
    (r,) = resolve_schools([junk])
    assert r.canonical is None and r.key is None and r.method == "unresolved"
    assert r.input == junk


def test_program_alias_wins_and_may_define_entries():
    aliases = {"Cal": "Cal Poly", "The U": "University of Miami", "Hogwarts": "Hogwarts School"}
    got = resolve_schools(["cal", "Cal", "the u", "Hogwarts", "MIT"], aliases=aliases)
    assert got[0].canonical == got[1].canonical == "California Polytechnic State University"
    assert got[0].method == "program-alias"
    assert got[2].canonical == "University of Miami" and got[2].key == "school:miami.edu"
    assert got[3].key == "school:program:hogwarts-school"
    assert got[3].canonical == "Hogwarts School" and got[3].method == "program-alias"
    assert got[4].method == "alias"


def test_order_preserved_with_duplicates():
    texts = ["MIT", "UCLA", "MIT", "", "UCLA", "Harvard"]
    got = resolve_schools(texts)
    assert [r.input for r in got] == texts
    assert got[0] == got[2] and got[1] == got[4]
    assert [r.canonical for r in got][-1] == "Harvard University"


def test_twenty_thousand_distinct_strings():
    base = ["Stanford University", "Univ of Michigan", "MIT", "Boston College", "unknown place"]
    texts = [f"{base[i % 5]} {i}" if i % 2 else f"{base[i % 5]}x{i}" for i in range(20_000)]
    got = resolve_schools(texts)
    assert len(got) == 20_000
    assert got[1].canonical == "University of Michigan"
