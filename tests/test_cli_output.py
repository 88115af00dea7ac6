"""The command line as a whole: every read command offers the same output options, user text never
reaches the terminal raw, read commands write nothing, and the README documents the real tree."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest
import typer.main

from mentorctl import store as store_module
from mentorctl.cli import app
from mentorctl.cli.output import Format

from .conftest import SAMPLE_CSV, SAMPLE_YAML

ROOT = Path(__file__).resolve().parent.parent

# Every read command, with arguments that give it something to show on the sample program.
READ_COMMANDS = {
    "member list": ["member", "list"],
    "member show": ["member", "show", "jasmine.wright"],
    "resolve": ["resolve", "occupation", "Sr. SWE", "RN"],
    "unresolved": ["unresolved"],
    "suggest": ["suggest", "--mentee", "jasmine.wright"],
    "pairing list": ["pairing", "list"],
    "pairing show": ["pairing", "show", "1"],
    "pairing stale": ["pairing", "stale", "--days", "0"],
    "report": ["report"],
    "config show": ["config", "show"],
    "db path": ["db", "path"],
    "export": ["export", "pairings"],
}
LIST_RESULTS = {"member list", "resolve", "unresolved", "suggest", "pairing list", "pairing stale",
                "export"}


@pytest.fixture
def paired(sample):
    sample("pair", "--auto")
    return sample


def test_every_read_command_takes_format_and_json(paired):
    tree = typer.main.get_command(app)
    for name, args in READ_COMMANDS.items():
        command = _leaf(tree, name.split())
        flags = {opt for param in command.params for opt in param.opts}
        assert {"--format", "--json"} <= flags, name
        as_json = paired(*args, "--json")
        assert as_json.exception is None, (name, as_json.exception)
        data = json.loads(as_json.stdout)
        again = json.loads(paired(*args, "--format", "json").stdout)
        if name == "report":  # its time stamp has seconds: two runs may straddle one
            data.pop("generated_at"), again.pop("generated_at")
        assert data == again, name
        assert data, name
        as_csv = paired(*args, "--format", "csv").stdout
        rows = list(csv.reader(io.StringIO(as_csv)))
        assert len(rows) >= 2, name
        if name in LIST_RESULTS:
            assert len(rows) == len(data) + 1, name
        table = paired(*args, "--format", "table")
        assert table.exception is None and table.stdout.strip(), name
        assert paired(*args, "--json", "--format", "csv", code=2).exit_code == 2


def test_contract_json_shapes(paired):
    members = paired.json("member", "list", "--json")
    assert set(members[0]) >= {"id", "name", "role", "capacity", "available"}
    suggestions = paired.json("suggest", "--mentee", "jasmine.wright", "--json")
    assert set(suggestions[0]) >= {"mentor", "name", "score", "shared"}
    # The contract's six kinds, and "organization" (issue 15: a shared employer is shown).
    assert {p["kind"] for s in suggestions for p in s["shared"]} <= {
        "friends", "school", "location", "occupation", "interests", "languages", "organization"}
    pairings = paired.json("pairing", "list", "--json")
    assert set(pairings[0]) >= {"id", "mentee", "mentor", "status"}
    resolved = paired.json("resolve", "school", "MIT", "--json")
    assert set(resolved[0]) >= {"input", "canonical", "score", "method"}
    every = paired.json("suggest", "--all", "--limit", "2", "--json")
    assert every and set(every[0]) >= {"mentee", "suggestions"}
    assert all(len(item["suggestions"]) <= 2 for item in every)
    # --limit 0: every eligible mentor, as for a limit above their number.
    whole = paired.json("suggest", "--all", "--limit", "0", "--json")
    assert whole == paired.json("suggest", "--all", "--limit", "10000", "--json")
    assert max(len(item["suggestions"]) for item in whole) > 5
    rows = paired("suggest", "--all", "--limit", "0", "--format", "csv").stdout.splitlines()
    assert len(rows) == 1 + sum(len(item["suggestions"]) for item in whole)


def test_export_formats(paired, tmp_path):
    rows = paired.json("export", "mentor-load", "--json")
    assert rows and set(rows[0]) >= {"mentor_id", "capacity", "open_pairings"}
    text = paired("export", "mentor-load").stdout  # csv stays the default
    assert text.splitlines()[0].startswith("mentor_id,")
    refused = paired("export", "members", "--json", "-o", tmp_path / "m.json", code=2)
    assert "-o writes CSV" in refused.stderr


HOSTILE_NAMES = {
    "bob": "Bob [/]",
    "evil": "\x1b[31mRed\x1b]8;;https://evil.example\x07link\x1b]8;;\x07",
    "linky": "[link=https://evil.example]Click[/link]",
    "bidi": "Ali\u202egnp.exe",
}
HOSTILE_CSV = (
    "id,name,role,occupation,location,capacity,organization\n"
    "bob,Bob,mentee,Software Engineer,Boston,,[bold]Acme\n"
    "evil,Evil,mentor,Software Engineer,Boston,2,\n"
    "linky,Linky,mentor,Registered Nurse,Boston,1,\n"
    "bidi,Bidi,mentee,Registered Nurse,Boston,,\n"
)


@pytest.fixture
def hostile(run, tmp_path, db_path):
    """Names no import accepts today (control characters are refused), as a database written
    by an older version, or by another tool, may hold them."""
    path = tmp_path / "hostile.csv"
    path.write_text(HOSTILE_CSV, encoding="utf-8")
    run("import", path)
    with sqlite3.connect(db_path) as conn:
        conn.executemany("UPDATE members SET name = ? WHERE id = ?",
                         [(name, member_id) for member_id, name in HOSTILE_NAMES.items()])
        conn.execute("UPDATE meta SET value = 'changed' WHERE key = 'data_version'")
    run("pair", "--auto")
    return run


@pytest.mark.parametrize("args", [
    ["member", "list"], ["member", "show", "bob"], ["member", "show", "evil"],
    ["member", "show", "linky"], ["suggest", "--mentee", "bob"], ["suggest", "--all"],
    ["intro", "bob", "evil"], ["intro", "bob", "evil", "--format", "markdown"],
    ["pairing", "list"], ["pairing", "show", "1"], ["pairing", "introduce", "1"],
    ["pair", "--auto", "--dry-run"], ["export", "members", "--format", "table"],
    ["unresolved"], ["member", "show", "nobody [/]"],
])
def test_user_text_never_reaches_the_terminal_raw(hostile, args):
    result = hostile(*args, code=None)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1)
    for stream in (result.stdout, result.stderr):
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202e]", stream), (args, stream)
    shown = result.stdout + result.stderr
    if args[:3] == ["member", "show", "bob"]:
        assert "Bob [/]" in shown and "[bold]Acme" in shown
    if args[:3] == ["member", "show", "evil"]:
        assert "\\x1b[31mRed\\x1b]8;;https://evil.example\\x07link" in shown
    if args[:3] == ["member", "show", "linky"]:
        assert "[link=https://evil.example]Click[/link]" in shown


def test_hostile_text_is_kept_exactly_in_json(hostile):
    shown = hostile.json("member", "show", "evil", "--json")
    assert shown["name"] == HOSTILE_NAMES["evil"]


def test_control_characters_are_refused_at_import(run, tmp_path, db_path):
    path = tmp_path / "names.csv"
    path.write_text("name,role\nFine,mentor\n\x1b[31mRed,mentee\n", encoding="utf-8")
    refused = run("import", path, code=1)
    assert f"{path}:3: name: a control character (U+001B) at position 1" in refused.stderr
    assert run.json("member", "list", "--json") == []


# --- read commands write nothing -------------------------------------------------------------

_WRITES = {getattr(sqlite3, name) for name in dir(sqlite3) if name.startswith((
    "SQLITE_INSERT", "SQLITE_UPDATE", "SQLITE_DELETE", "SQLITE_CREATE_", "SQLITE_DROP_",
    "SQLITE_ALTER_TABLE"))}


@pytest.fixture
def no_writes(monkeypatch):
    """Every connection mentorctl opens refuses any write, as a read-only database would."""
    real_connect = sqlite3.connect

    def connect(*args, **kwargs):
        conn = real_connect(*args, **kwargs)
        conn.set_authorizer(lambda action, *_: sqlite3.SQLITE_DENY if action in _WRITES
                            else sqlite3.SQLITE_OK)
        return conn

    monkeypatch.setattr(store_module.sqlite3, "connect", connect)


@pytest.mark.parametrize("alias_change", [False, True])
def test_read_commands_write_nothing(paired, isolated, monkeypatch, request, alias_change):
    if alias_change:  # the stored resolutions are now behind: reads resolve in memory
        (isolated / "mentorctl.yaml").write_text(
            'aliases:\n  occupation:\n    "Code Ninja": "Software Developer"\n')
    request.getfixturevalue("no_writes")
    commands = [*READ_COMMANDS.values(), ["suggest", "--all", "--unmatched"],
                ["intro", "jasmine.wright", "karen.whitfield"], ["pair", "--auto", "--dry-run"],
                ["pair", "jasmine.wright", "karen.whitfield", "--dry-run"],
                ["export", "unmatched"], ["export", "intros"], ["guidelines"]]
    for args in commands:
        result = paired(*args, code=None)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            args, result.exception)
        assert result.exit_code in (0, 1), (args, result.stderr)
        assert "not authorized" not in result.stderr, args
    # The authorizer really bites: a write command is refused, in one plain line.
    refused = paired("member", "set", "karen.whitfield", "--capacity", "3", code=1)
    assert refused.exception is None or isinstance(refused.exception, SystemExit)
    assert "database error: not authorized" in refused.stderr


def test_scoring_cache_is_a_private_file_beside_the_database(paired, db_path):
    cache = db_path.with_name(db_path.name + "-snapshot")
    paired("suggest", "--mentee", "jasmine.wright")
    assert cache.exists() and cache.stat().st_mode & 0o777 == 0o600
    cache.write_bytes(b"garbage")  # a damaged cache is rebuilt, never trusted
    assert paired.json("suggest", "--mentee", "jasmine.wright", "--json")


# --- the README --------------------------------------------------------------------------------


def _leaf(group, path: list[str]):
    for name in path:
        group = group.commands[name]
    return group


def _command_paths(command, prefix: tuple[str, ...] = ()):
    if hasattr(command, "commands"):  # a group (typer carries its own click)
        for name, sub in command.commands.items():
            yield from _command_paths(sub, (*prefix, name))
    else:
        yield prefix


def test_readme_documents_every_command_of_the_real_tree():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paths = list(_command_paths(typer.main.get_command(app)))
    assert len(paths) > 20
    for path in paths:
        # A group's steps may be documented together: `mentorctl pairing introduce|start ...`.
        pattern = r"mentorctl " + r" ".join(
            rf"(?:[\w-]+\\?\|)*{re.escape(word)}(?:\\?\|[\w-]+)*" for word in path) + r"\b"
        assert re.search(pattern, readme), " ".join(path)


def test_readme_python_api_example_runs(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    example = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    monkeypatch.chdir(tmp_path)
    for sample in (SAMPLE_CSV, SAMPLE_YAML):
        (tmp_path / sample.name).write_bytes(sample.read_bytes())
    exec(compile(example, "README.md (Python API)", "exec"), {"__name__": "readme_example"})
    assert (tmp_path / "program.db").exists()


@pytest.mark.parametrize("value", [
    None, True, 0, -1.5, "x", [], {}, {"a": []}, [{}], [[[[]]]], (1, (2, 3)),
    {"pairs": [{"mentee": "é\n\x01\"\\\u2028", "score": 33.5, "shared": [{"kind": "k", "text": "t"}],
                "pairing": None}], "total": 10**30, "ok": False},
    [float("nan"), float("inf"), -float("inf"), 1e300, -0.0, 0.1],
    {1: "int key"}, {"enum": Format.json},
])
def test_dumps_indented_is_json_dumps_byte_for_byte(value):
    from mentorctl.cli.output import dumps_indented

    assert dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_dumps_indented_refuses_what_json_refuses():
    from mentorctl.cli.output import dumps_indented

    with pytest.raises(TypeError):
        dumps_indented({"a": {1, 2}})
    loop: list = []
    loop.append(loop)
    with pytest.raises(ValueError):
        dumps_indented(loop)


def test_a_csv_cell_of_objects_is_json_never_a_python_repr():
    from mentorctl.cli.output import _cell

    assert _cell([{"code": "19-4042", "name": "Environmental Technician"}, {"text": "both"}]) == \
        '{"code": "19-4042", "name": "Environmental Technician"}; both'
