"""The one door into mentorctl: a function per unit of work a coordinator does.

Each function opens the program's database, does its work in one transaction of its own (reads
write nothing), closes it, and returns frozen dataclasses from `mentorctl.model`. Problems are
raised as `mentorctl.errors.MentorctlError` subclasses. The command line is a thin layer over
this module, and a script can do everything the command line does:

    from mentorctl import api

    api.import_members(["signups.csv"], db="program.db")
    for s in api.suggest("alice@example.org", db="program.db").suggestions:
        print(s.score, s.name, [p.text for p in s.shared])
    result = api.pair_auto(db="program.db")
    print(len(result.created), "pairings proposed")

Every function takes `db` (a path; default `$MENTORCTL_DB`, else the app directory) and the
ones that score or match take `settings` (default: the settings file beside the database, or
`$MENTORCTL_CONFIG`). Heavy modules are imported inside the functions, so importing this module
stays cheap.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from mentorctl.errors import NotFound, UsageError
from mentorctl.model import AUDIENCES, EXPORT_KINDS, KINDS, VERBS, allowed_verbs

if TYPE_CHECKING:  # the dataclasses load on first use: `mentorctl --help` never builds them
    from mentorctl.config import Settings
    from mentorctl.model import (
        AutoPairResult,
        ExportTable,
        ImportResult,
        Intro,
        Member,
        MemberProfile,
        Pairing,
        PairingDetail,
        PairResult,
        Plan,
        Resolution,
        StalePairing,
        StoredResolution,
        SuggestResult,
        TransitionResult,
        Unresolved,
    )

PathLike = str | os.PathLike
Progress = Callable[[int, int], None] | None


# --- where things are -----------------------------------------------------------------------


def database_path(db: PathLike | None = None) -> Path:
    """The database in use: `db`, else $MENTORCTL_DB, else the app directory."""
    from mentorctl.store import resolve_db_path

    return resolve_db_path(db)


def settings_file(db: PathLike | None = None) -> Path:
    """The settings file for a database: $MENTORCTL_CONFIG, else `mentorctl.yaml` beside it."""
    from mentorctl.config import settings_path

    return settings_path(database_path(db))


def load_settings(db: PathLike | None = None) -> Settings:
    """The settings in force for a database, validated (defaults where the file is silent)."""
    from mentorctl.config import load_settings as load

    return load(settings_file(db))


def default_settings() -> Settings:
    """The settings with every default and no file (what `demo` uses)."""
    from mentorctl.config import Settings

    return Settings()


def init_settings(*, db: PathLike | None = None, force: bool = False) -> Path:
    """Write a commented starting settings file; refuses to overwrite one unless `force`."""
    from mentorctl.config import write_starter

    return write_starter(settings_file(db), force=force)


@contextlib.contextmanager
def _opened(db: PathLike | None) -> Iterator[Any]:
    """The program's store for one unit of work; SQLite's own errors become one plain line."""
    from mentorctl.store import Store, database_problem

    path = database_path(db)
    with Store(path) as store:
        try:
            yield store
        except sqlite3.DatabaseError as exc:
            raise database_problem(path, exc) from None


def _settings(db: PathLike | None, settings: Settings | None) -> Settings:
    return settings if settings is not None else load_settings(db)


def backup(dest: PathLike, *, db: PathLike | None = None) -> Path:
    """A consistent, private copy of the database at `dest` (a new file, or into a folder)."""
    with _opened(db) as store:
        return store.backup(dest)


# --- import and members -----------------------------------------------------------------------


def read_sources(names: Iterable[PathLike]) -> list[tuple[str, bytes]]:
    """(name, bytes) for each file to import; '-' reads standard input."""
    from mentorctl.readers import read_files

    return read_files(names)


def import_members(files: Sequence[PathLike | tuple[str, bytes]], *, db: PathLike | None = None,
                   settings: Settings | None = None,
                   mapping: Mapping[str, str] | Iterable[str] | None = None,
                   role: str | None = None, encoding: str | None = None,
                   skip_invalid: bool = False, dry_run: bool = False,
                   on_progress: Progress = None) -> ImportResult:
    """Import members from CSV or YAML files (paths, or (name, bytes) pairs).

    `mapping` maps column headers to fields: {"Your city": "location"}, or the command line's
    "Your city=location" strings.

    The whole input is validated first; nothing is written when a row is invalid (unless
    `skip_invalid`), and then `mentorctl.ingest.ImportRejected` carries the row errors. Every new
    text is resolved in the same transaction.
    """
    from mentorctl.ingest import import_members as run_import
    from mentorctl.normalize import refresh_resolutions
    from mentorctl.readers import parse_mapping

    if isinstance(mapping, Mapping):
        mapping = [f"{header}={field}" for header, field in mapping.items()]
    mapping = parse_mapping(list(mapping or []))
    sources = [f if isinstance(f, tuple) else read_sources([f])[0] for f in files]
    program = _settings(db, settings)
    with _opened(db) as store:
        return run_import(store, sources, mapping=mapping, role=role, encoding=encoding,
                          skip_invalid=skip_invalid, dry_run=dry_run, on_progress=on_progress,
                          after_write=lambda s: refresh_resolutions(s, program.aliases))


def list_members(*, role: str | None = None, db: PathLike | None = None) -> list[Member]:
    """Every member by id; `role="mentor"` includes members who are both, likewise mentee."""
    from mentorctl.members import list_members as members

    with _opened(db) as store:
        return members(store, role)


def show_member(ref: str, *, db: PathLike | None = None,
                settings: Settings | None = None) -> MemberProfile:
    """One member (by id, email or exact name) with what their text resolved to and pairings."""
    from mentorctl.members import find_member, member_profile
    from mentorctl.normalize import resolutions_in_force

    program = _settings(db, settings)
    with _opened(db) as store:
        member = find_member(store, ref)
        return member_profile(store, member, resolutions_in_force(store, program.aliases))


def set_member(ref: str, *, capacity: int | None = None, available: bool | None = None,
               role: str | None = None, db: PathLike | None = None) -> Member:
    """Change a member's capacity, availability or role."""
    from mentorctl.members import update_member

    if capacity is None and available is None and role is None:
        raise UsageError("nothing to change: give --capacity, --available/--unavailable or --role")
    with _opened(db) as store:
        return update_member(store, ref, capacity=capacity, available=available, role=role)


def promote_member(ref: str, *, db: PathLike | None = None) -> Member:
    """A mentee becomes a mentor too (role `both`), keeping their history."""
    from mentorctl.members import promote_member as promote

    with _opened(db) as store:
        return promote(store, ref)


# --- resolving text ---------------------------------------------------------------------------


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise UsageError(f"unknown kind {kind!r}: use {', '.join(KINDS)}")


def resolve(kind: str, texts: Sequence[str], *, db: PathLike | None = None,
            settings: Settings | None = None) -> list[Resolution]:
    """What each text resolves to (the program's aliases included); touches no database."""
    from mentorctl.normalize import resolve_texts

    _check_kind(kind)
    return resolve_texts(kind, list(texts), _settings(db, settings).aliases.for_kind(kind))


def unresolved(kind: str | None = None, *, db: PathLike | None = None,
               settings: Settings | None = None) -> list[Unresolved]:
    """The program's text that resolved to nothing, the most frequent first."""
    from mentorctl.normalize import resolutions_in_force, unresolved_texts

    if kind is not None:
        _check_kind(kind)
    program = _settings(db, settings)
    with _opened(db) as store:
        return unresolved_texts(store, resolutions_in_force(store, program.aliases), kind)


def resolutions(kind: str | None = None, *, db: PathLike | None = None,
                settings: Settings | None = None) -> list[StoredResolution]:
    """Every distinct text of the program beside what it resolves to, most frequent first."""
    from mentorctl.normalize import resolutions_in_force, stored_resolutions

    if kind is not None:
        _check_kind(kind)
    program = _settings(db, settings)
    with _opened(db) as store:
        return stored_resolutions(store, resolutions_in_force(store, program.aliases), kind)


# --- matching ---------------------------------------------------------------------------------


def _program(store, settings: Settings):
    """The program's arrays and the lookups that word shared points, read through `store`."""
    from mentorctl.normalize import resolutions_in_force
    from mentorctl.program import MemberTexts, load_program

    lookup = resolutions_in_force(store, settings.aliases)
    program = load_program(store, settings, lookup)
    return program, MemberTexts(store, program.ids, lookup)


def suggest(mentee: str, *, limit: int = 5, db: PathLike | None = None,
            settings: Settings | None = None) -> SuggestResult:
    """The best mentors for a mentee, best first, with what they share; writes nothing."""
    from mentorctl.match import suggest as rank
    from mentorctl.members import find_member

    program_settings = _settings(db, settings)
    with _opened(db) as store:
        member = find_member(store, mentee)
        program, texts = _program(store, program_settings)
        return rank(program, texts, member.id, limit)


def suggest_all(*, limit: int = 5, unmatched: bool = False, db: PathLike | None = None,
                settings: Settings | None = None) -> list[SuggestResult]:
    """Suggestions for every mentee (with `unmatched`, only those `pair --auto` would pair)."""
    from mentorctl.assign import mentees_to_match
    from mentorctl.match import suggest as rank

    program_settings = _settings(db, settings)
    with _opened(db) as store:
        program, texts = _program(store, program_settings)
        chosen = mentees_to_match(program) if unmatched else \
            [i for i in range(program.size) if program.role_mentee[i]]
        return [rank(program, texts, program.ids[i], limit) for i in chosen]


def intro(mentee: str, mentor: str, *, db: PathLike | None = None,
          settings: Settings | None = None) -> Intro:
    """The introduction email for a mentee and a mentor, from the program's template."""
    from mentorctl.intro import build_intro
    from mentorctl.members import find_member

    program_settings = _settings(db, settings)
    with _opened(db) as store:
        mentee_id, mentor_id = find_member(store, mentee).id, find_member(store, mentor).id
        program, texts = _program(store, program_settings)
        return build_intro(program, texts, mentee_id, mentor_id)


def pair(mentee: str, mentor: str, *, note: str | None = None, dry_run: bool = False,
         db: PathLike | None = None, settings: Settings | None = None) -> PairResult:
    """Propose one pairing by hand, every rule checked inside its write transaction."""
    from mentorctl.errors import Conflict
    from mentorctl.lifecycle import check_pair_allowed, create_pairings
    from mentorctl.match import score_pair
    from mentorctl.members import find_member
    from mentorctl.model import PairResult
    from mentorctl.normalize import refresh_resolutions

    program_settings = _settings(db, settings)
    with _opened(db) as store:
        transaction = store.read() if dry_run else store.write()
        with transaction:
            mentee_member, mentor_member = find_member(store, mentee), find_member(store, mentor)
            reason = check_pair_allowed(store, mentee_member.id, mentor_member.id,
                                        program_settings.rules)
            if reason:  # refused before the scoring work
                raise Conflict(f"cannot pair {mentee_member.id} with {mentor_member.id}: {reason}")
            if not dry_run:
                refresh_resolutions(store, program_settings.aliases)
            program, texts = _program(store, program_settings)
            scored = score_pair(program, texts, mentee_member.id, mentor_member.id)
            pairing = None
            if not dry_run:
                [pairing] = create_pairings(
                    store, [{"mentee_id": mentee_member.id, "mentor_id": mentor_member.id,
                             "score": scored.score, "shared": scored.shared}],
                    program_settings.rules, note=note, by_hand=True)
        return PairResult(mentee_member, mentor_member, scored.score, scored.shared, pairing)


def plan(*, min_score: float = 0.0, db: PathLike | None = None,
         settings: Settings | None = None, on_progress: Progress = None) -> Plan:
    """The whole-program assignment that `pair_auto` would write; writes nothing."""
    return pair_auto(min_score=min_score, dry_run=True, db=db, settings=settings,
                     on_progress=on_progress).plan


def pair_auto(*, min_score: float = 0.0, note: str | None = None, dry_run: bool = False,
              db: PathLike | None = None, settings: Settings | None = None,
              on_progress: Progress = None) -> AutoPairResult:
    """Pair the whole program at once: the best total score within every mentor's capacity.

    Planned and written in one write transaction, so a concurrent `pair` waits and then sees
    these pairings; with `dry_run`, planned from a consistent read and nothing is written.
    """
    from mentorctl.assign import plan_assignment
    from mentorctl.lifecycle import create_pairings
    from mentorctl.model import AutoPairResult
    from mentorctl.normalize import refresh_resolutions

    if not 0 <= min_score <= 100:  # also refuses nan
        raise UsageError(f"--min-score {min_score}: give a score from 0 to 100")
    program_settings = _settings(db, settings)
    with _opened(db) as store:
        transaction = store.read() if dry_run else store.write()
        with transaction:
            if not dry_run:
                refresh_resolutions(store, program_settings.aliases)
            program, texts = _program(store, program_settings)
            planned = plan_assignment(program, texts, min_score=min_score,
                                      on_progress=on_progress)
            created = [] if dry_run or not planned.pairs else create_pairings(
                store, planned.pairs, program_settings.rules, note=note)
    return AutoPairResult(planned, tuple(created), dry_run)


# --- the lifecycle ------------------------------------------------------------------------------


def list_pairings(*, statuses: Iterable[str] = (), db: PathLike | None = None) -> list[Pairing]:
    """Every pairing (or those in `statuses`), by id."""
    from mentorctl.lifecycle import list_pairings as pairings

    with _opened(db) as store:
        return pairings(store, list(statuses))


def show_pairing(pairing_id: int, *, db: PathLike | None = None) -> PairingDetail:
    """One pairing with its full history and the steps it may take next."""
    from mentorctl.lifecycle import get_pairing, pairing_history
    from mentorctl.model import PairingDetail

    with _opened(db) as store, store.read():
        pairing = get_pairing(store, pairing_id)
        history = pairing_history(store, pairing_id)
    return PairingDetail(pairing, tuple(history), tuple(allowed_verbs(pairing.status)))


def step(verb: str, pairing_id: int, *, note: str | None = None, reason: str | None = None,
         db: PathLike | None = None) -> TransitionResult:
    """One lifecycle step (introduce, start, pause, resume, complete, decline, end, checkin),
    recorded in the pairing's history; decline and end need a reason."""
    from mentorctl.lifecycle import transition

    if verb not in VERBS:
        raise UsageError(f"unknown step {verb!r}: use one of {', '.join(VERBS)}")
    with _opened(db) as store:
        return transition(store, pairing_id, verb, note=note, reason=reason)


def stale(*, days: int | None = None, db: PathLike | None = None,
          settings: Settings | None = None) -> list[StalePairing]:
    """Pairings gone quiet for `days` (default: rules.stale_days), the longest idle first."""
    from mentorctl.lifecycle import stale_pairings

    if days is None:
        days = _settings(db, settings).rules.stale_days
    with _opened(db) as store:
        return stale_pairings(store, days)


# --- reports and exports ----------------------------------------------------------------------


def report(*, db: PathLike | None = None, settings: Settings | None = None) -> dict[str, Any]:
    """Every number of the dashboard (see `mentorctl.report.program_report` for the keys)."""
    from mentorctl.report import program_report

    days = _settings(db, settings).rules.stale_days
    with _opened(db) as store, store.read():
        return program_report(store, stale_days=days)


@contextlib.contextmanager
def _export_rows(kind: str, db: PathLike | None, settings: Settings | None):
    from mentorctl import export as exports

    if kind not in EXPORT_KINDS:
        raise UsageError(f"unknown export {kind!r}: use {', '.join(EXPORT_KINDS)}")
    program_settings = _settings(db, settings) if kind in ("unmatched", "intros") else None
    with _opened(db) as store, store.read():
        if kind == "unmatched":
            program, texts = _program(store, program_settings)
            yield exports.unmatched(store, program, texts)
        elif kind == "intros":
            yield exports.intros(store, program_settings.intro)
        else:
            yield getattr(exports, kind.replace("-", "_"))(store)


def export(kind: str, output: PathLike | TextIO, *, bom: bool = False,
           db: PathLike | None = None, settings: Settings | None = None) -> int:
    """Write an export as CSV (spreadsheet-safe) to a file path or a text stream; returns the
    number of rows. A file is written private beside its target and renamed when complete."""
    from mentorctl.csvfile import write_csv, write_csv_file

    with _export_rows(kind, db, settings) as (header, rows):
        if isinstance(output, (str, os.PathLike)):
            return write_csv_file(Path(output).expanduser(), header, rows, bom=bom)
        return write_csv(output, header, rows, bom=bom)


def export_table(kind: str, *, db: PathLike | None = None,
                 settings: Settings | None = None) -> ExportTable:
    """An export's header and rows in memory (for JSON, or a script)."""
    from mentorctl.model import ExportTable

    with _export_rows(kind, db, settings) as (header, rows):
        return ExportTable(kind, tuple(header), tuple(tuple(row) for row in rows))


def write_csv(stream: TextIO, header: Sequence[Any], rows: Iterable[Sequence[Any]], *,
              bom: bool = False) -> int:
    """CSV with every cell a spreadsheet would run as a formula neutralized."""
    from mentorctl.csvfile import write_csv as write

    return write(stream, header, rows, bom=bom)


def guidelines() -> dict[str, str]:
    """The shipped guidelines: audience -> what they cover."""
    from mentorctl.report import GUIDELINES

    return {audience: GUIDELINES[audience] for audience in AUDIENCES}


def guideline(audience: str) -> str:
    """The Markdown text of the guidelines for `mentor`, `mentee` or `coordinator`."""
    from mentorctl.report import guideline as text

    return text(audience)


def sample_files() -> list[Path]:
    """The sample program shipped with mentorctl (a form export and a YAML list)."""
    from mentorctl.report import shipped_path

    folder = shipped_path("sample_data")
    files = [folder / name for name in ("members.csv", "members.yaml")]
    missing = [f for f in files if not f.is_file()]
    if missing:
        raise NotFound(f"{missing[0]}: missing from this installation; reinstall mentorctl")
    return files
