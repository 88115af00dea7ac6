"""Every test gets its own program: a database and settings file in a temp folder, never the
user's real ones."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
import typer.main
import typer.testing
from typer.testing import CliRunner

from mentorctl.cli import app
from mentorctl.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CSV = ROOT / "sample_data" / "members.csv"
SAMPLE_YAML = ROOT / "sample_data" / "members.yaml"


@functools.cache
def cached_command(typer_app):
    return typer.main.get_command(typer_app)


@pytest.fixture(autouse=True)
def build_cli_once(monkeypatch):
    """Build the click command from the typer app once, not on every CliRunner.invoke (most of
    its cost); the command, its options and its error handling are unchanged."""
    monkeypatch.setattr(typer.testing, "_get_command", cached_command)


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("MENTORCTL_DB", str(tmp_path / "program.db"))
    monkeypatch.setenv("MENTORCTL_CONFIG", str(tmp_path / "mentorctl.yaml"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("MENTORCTL_NOW", raising=False)
    return tmp_path


@pytest.fixture
def db_path(isolated) -> Path:
    return isolated / "program.db"


@pytest.fixture
def store(db_path):
    with Store(db_path) as opened:
        yield opened


class Run:
    def __init__(self):
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | bytes | None = None, code: int | None = 0):
        """Run the CLI in-process. An exception that escaped the command (a crash, which
        CliRunner would report as exit code 1 with an empty stderr) always fails the test."""
        result = self.runner.invoke(app, [str(a) for a in args], input=input)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"mentorctl {' '.join(map(str, args))} crashed: "
                                 f"{result.exception!r}\nstderr: {result.stderr}") \
                from result.exception
        if code is not None:
            assert result.exit_code == code, (
                f"exit {result.exit_code}, expected {code}\nstdout: {result.stdout}\n"
                f"stderr: {result.stderr}\n{result.exception!r}"
            )
        return result

    def json(self, *args: str, **kwargs):
        return json.loads(self(*args, **kwargs).stdout)


@pytest.fixture
def run() -> Run:
    return Run()


@pytest.fixture
def sample(run):
    """The sample program imported (both cohorts)."""
    run("import", SAMPLE_CSV, SAMPLE_YAML)
    return run


def count_members(db_path: Path) -> int:
    with Store(db_path) as opened:
        return opened.scalar("SELECT count(*) FROM members")


class Loaded:
    """The program's arrays and wording lookups read through an open store, for tests of the
    core below the api (scoring, suggestions, plans). Other attributes are the Program's."""

    def __init__(self, store: Store, settings=None):
        from mentorctl.config import Settings
        from mentorctl.normalize import resolutions_in_force
        from mentorctl.program import MemberTexts, load_program

        settings = settings or Settings()
        lookup = resolutions_in_force(store, settings.aliases)
        self.program = load_program(store, settings, lookup)
        self.texts = MemberTexts(store, self.program.ids, lookup)

    def __getattr__(self, name):
        return getattr(self.program, name)

    def suggest(self, mentee: str, limit: int = 5):
        from mentorctl.match import suggest

        return suggest(self.program, self.texts, mentee, limit)

    def score(self, mentee: str, mentor: str):
        from mentorctl.match import score_pair

        return score_pair(self.program, self.texts, mentee, mentor)

    def intro(self, mentee: str, mentor: str):
        from mentorctl.intro import build_intro

        return build_intro(self.program, self.texts, mentee, mentor)

    def plan(self, **options):
        from mentorctl.assign import plan_assignment

        return plan_assignment(self.program, self.texts, **options)
