"""`unresolved` suggests the closest standard occupations for a title that resolves to nothing, and
an occupation's alias may name a SOC code: through the CLI, the api and the core."""

from __future__ import annotations

import csv
import io

import pytest
import yaml

from mentorctl import api
from mentorctl.errors import InvalidInput
from mentorctl.occupation_closest import closest_occupations
from mentorctl.occupation_data import vocabulary
from mentorctl.occupations import closest_to_unresolved, resolve_occupations

UNKNOWN_TITLE = "Asbestos laboratory analyst"  # no standard list files it under any wording


def test_closest_ranks_codes_of_the_vocabulary_best_first():
    voc = vocabulary()
    (nurse, unknown, none) = closest_occupations(["Registered Nurse", UNKNOWN_TITLE, "Qwxz Zzyq"])
    assert nurse[0].code == "29-1141" and nurse[0].name == "Registered Nurse"
    assert len(unknown) == 3 and len({c.code for c in unknown}) == 3
    assert all(voc.soc[c.code][0] == 3 and c.name for c in unknown)
    assert "19-4042" in [c.code for c in unknown]  # environmental science technicians
    assert none == ()  # no word of it is a word of any title
    assert [len(found) for found in closest_occupations([UNKNOWN_TITLE], limit=10)] == [10]


def test_no_suggestion_for_text_no_alias_should_settle():
    assert resolve_occupations([UNKNOWN_TITLE])[0].code is None
    assert closest_to_unresolved(["Manager", "Student", "N/A", "", UNKNOWN_TITLE, "Manager"]) == \
        [(), (), (), (), closest_occupations([UNKNOWN_TITLE])[0], ()]


def _import(run, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(f"name,role,Job title\nAna,mentee,{UNKNOWN_TITLE}\nBen,mentor,Student\n"
                    "Cy,mentor,Teacher\n")
    run("import", path)


def test_unresolved_lists_the_closest_occupations(run, tmp_path, isolated):
    _import(run, tmp_path)
    found = {u["text"]: u for u in run.json("unresolved", "--json")}
    assert found["Student"]["closest"] == [] and found["Teacher"]["closest"] == []
    assert found["Teacher"]["alternatives"]  # a best guess lists its alternatives instead
    closest = found[UNKNOWN_TITLE]["closest"]
    assert [set(c) for c in closest] == [{"code", "name"}] * 3
    assert closest == [{"code": c.code, "name": c.name}
                       for c in closest_occupations([UNKNOWN_TITLE])[0]]
    result = run("unresolved")
    line = next(row for row in result.stdout.splitlines() if UNKNOWN_TITLE in row)
    assert f"closest: {closest[0]['name']} ({closest[0]['code']})" in line
    assert "may name a SOC code" in result.stderr
    rows = list(csv.DictReader(io.StringIO(run("unresolved", "--format", "csv").stdout)))
    (row,) = [r for r in rows if r["text"] == UNKNOWN_TITLE]
    assert row["closest"] == "; ".join(f"{c['name']} ({c['code']})" for c in closest)
    # the api gives the same, as plain values
    (item,) = [u for u in api.unresolved("occupation", db=isolated / "program.db")
               if u.text == UNKNOWN_TITLE]
    assert item.closest == tuple((c["code"], c["name"]) for c in closest)


def test_an_alias_to_a_soc_code_settles_a_title(run, tmp_path, isolated):
    _import(run, tmp_path)
    (isolated / "mentorctl.yaml").write_text(yaml.safe_dump(
        {"aliases": {"occupation": {UNKNOWN_TITLE: "19-4042"}}}))
    (resolved,) = run.json("resolve", "occupation", "asbestos LABORATORY analyst", "--json")
    assert (resolved["code"], resolved["method"], resolved["score"]) == \
        ("19-4042", "program-alias", 100.0)
    assert resolved["attrs"]["family"]["minor"] == "19-4000"
    assert UNKNOWN_TITLE not in [u["text"] for u in run.json("unresolved", "--json")]
    (shown,) = run.json("member", "show", "ana", "--json")["resolved"]["occupation"]
    assert shown["code"] == "19-4042"
    # O*NET's form of the code, and the member's seniority is the member's own
    (senior,) = resolve_occupations(["Senior " + UNKNOWN_TITLE],
                                    {"Senior " + UNKNOWN_TITLE: " 19-4042.00 "})
    assert (senior.code, senior.attrs["seniority_label"]) == ("19-4042", "senior")


def test_an_alias_to_no_soc_code_is_refused(run, tmp_path, isolated):
    (isolated / "mentorctl.yaml").write_text(yaml.safe_dump(
        {"aliases": {"occupation": {UNKNOWN_TITLE: "19-9999"}}}))
    result = run("resolve", "occupation", UNKNOWN_TITLE, code=1)
    assert "'19-9999', which is no SOC 2018 detailed occupation" in result.stderr
    with pytest.raises(InvalidInput, match="no SOC 2018 detailed occupation"):
        resolve_occupations([UNKNOWN_TITLE], {UNKNOWN_TITLE: "19-4000"})  # a minor group
