"""The lifecycle of pairings, the report, the exports, and the emails that introduce pairs and
remind them to check in."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from mentorctl.api.common import PathLike, Progress, opened_store, settings_in_force
from mentorctl.api.matching import program_and_texts
from mentorctl.api.roster import backup_before
from mentorctl.errors import UsageError
from mentorctl.model import EXPORT_KINDS, VERBS, allowed_verbs

if TYPE_CHECKING:
    from mentorctl.config import Settings
    from mentorctl.model import (
        EmlExport,
        ExpireResult,
        ExportTable,
        Pairing,
        PairingDetail,
        SendReport,
        StalePairing,
        StepsResult,
        TransitionResult,
    )


def list_pairings(*, statuses: Iterable[str] = (), db: PathLike | None = None,
                  settings: Settings | None = None) -> list[Pairing]:
    """Every pairing (or those in `statuses`), by id, each with its expected end."""
    from mentorctl.lifecycle import list_pairings as pairings
    from mentorctl.lifecycle import with_term

    weeks = settings_in_force(db, settings).rules.term_weeks
    with opened_store(db) as store:
        return [with_term(p, weeks) for p in pairings(store, list(statuses))]


def show_pairing(pairing_id: int, *, db: PathLike | None = None,
                 settings: Settings | None = None) -> PairingDetail:
    """One pairing with its full history and the steps it may take next."""
    from mentorctl.lifecycle import get_pairing, pairing_history, with_term
    from mentorctl.model import PairingDetail

    weeks = settings_in_force(db, settings).rules.term_weeks
    with opened_store(db) as store, store.read():
        pairing = with_term(get_pairing(store, pairing_id), weeks)
        history = pairing_history(store, pairing_id)
    return PairingDetail(pairing, tuple(history), tuple(allowed_verbs(pairing.status)))


def step(verb: str, pairing_id: int, *, note: str | None = None, reason: str | None = None,
         db: PathLike | None = None) -> TransitionResult:
    """One lifecycle step (introduce, start, pause, resume, complete, decline, end, checkin),
    recorded in the pairing's history; decline and end need a reason."""
    from mentorctl.lifecycle import transition

    if verb not in VERBS:
        raise UsageError(f"unknown step {verb!r}: use one of {', '.join(VERBS)}")
    with opened_store(db) as store:
        return transition(store, pairing_id, verb, note=note, reason=reason)


def steps(verb: str, *, ids: Iterable[int | str] = (), statuses: str | Iterable[str] = (),
          note: str | None = None, reason: str | None = None, now: str | None = None,
          db: PathLike | None = None, settings: Settings | None = None) -> StepsResult:
    """One lifecycle step applied to many pairings in one transaction, all or none.

    `ids` holds pairing ids and ranges as typed (`[3, "7", "10-50"]`, or `"3 7 10-50"`);
    `statuses` chooses every pairing in those states; given both, the ids in those states. If
    any pairing chosen cannot take the step, Conflict names them and nothing is written. A bad
    id or range is a UsageError; an id that names no pairing, NotFound. `now` (ISO 8601) is the
    time recorded (default: the clock, or $MENTORCTL_NOW). A step on more than one pairing (or
    on a state) takes a private backup first (`undo`).
    """
    from mentorctl.idranges import parse_ids
    from mentorctl.lifecycle import apply_steps
    from mentorctl.model import StepsResult

    if verb not in VERBS:
        raise UsageError(f"unknown step {verb!r}: use one of {', '.join(VERBS)}")
    chosen = parse_ids([ids] if isinstance(ids, (str, int)) else ids)
    wanted = [statuses] if isinstance(statuses, str) else list(statuses)
    if not chosen and not wanted:
        raise UsageError("choose pairings: give their ids (e.g. 3 7 10-50) or --status STATE")
    program = settings_in_force(db, settings)
    at = _instant(now)
    many = bool(wanted) or len(chosen) > 1
    with opened_store(db) as store, (backup_before(store, f"pairing {verb}", program) if many
                                     else contextlib.nullcontext()):
        return StepsResult(verb, tuple(apply_steps(
            store, verb, chosen, _states(wanted) if wanted else (), note=note, reason=reason,
            at=at, term_weeks=program.rules.term_weeks)))


def _instant(now: str | None) -> str | None:
    from mentorctl.store import parse_time

    if now is None:
        return None
    try:
        return parse_time(now).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (ValueError, TypeError, OverflowError):
        raise UsageError(f"now={str(now)[:40]!r}: not a time; use ISO 8601, e.g. "
                         "2026-11-28T10:00:00Z") from None


def stale(*, days: int | None = None, paused_days: int | None = None, now: str | None = None,
          db: PathLike | None = None, settings: Settings | None = None) -> list[StalePairing]:
    """Pairings gone quiet for `days` (default rules.stale_days), paused for `paused_days`
    (default rules.paused_idle_days), or past their term (rules.term_weeks); the longest idle
    first. `now` (ISO 8601): the moment to measure from (default: the clock)."""
    from mentorctl.terms import stale_pairings

    rules = settings_in_force(db, settings).rules
    with opened_store(db) as store:
        return stale_pairings(
            store, rules.stale_days if days is None else days, _instant(now),
            term_weeks=rules.term_weeks,
            paused_days=rules.paused_idle_days if paused_days is None else paused_days)


def expire(*, days: int | None = None, dry_run: bool = False, now: str | None = None,
           db: PathLike | None = None, settings: Settings | None = None) -> ExpireResult:
    """Decline every proposed or introduced pairing idle for `days` (default rules.expire_days)
    or more, in one transaction, with the reason "expired: no response in N days", so that
    their mentees can be matched again; on a dry run, only list them. `now` (ISO 8601): the
    moment to measure from and record (default: the clock). A backup is taken first (`undo`)."""
    from mentorctl.terms import expire as expire_proposals

    program = settings_in_force(db, settings)
    if days is None:
        days = program.rules.expire_days
    with opened_store(db) as store, (contextlib.nullcontext() if dry_run
                                     else backup_before(store, "pairing expire", program)):
        return expire_proposals(store, days, now=_instant(now), dry_run=dry_run)


def report(*, db: PathLike | None = None, settings: Settings | None = None) -> dict[str, Any]:
    """Every number of the dashboard (see `mentorctl.report.program_report` for the keys)."""
    from mentorctl.report import program_report

    rules = settings_in_force(db, settings).rules
    with opened_store(db) as store, store.read():
        return program_report(store, stale_days=rules.stale_days, term_weeks=rules.term_weeks,
                              paused_days=rules.paused_idle_days)


@contextlib.contextmanager
def _export_rows(kind: str, db: PathLike | None, settings: Settings | None,
                 statuses: Sequence[str] = ("proposed",)):
    from mentorctl import export as exports

    if kind not in EXPORT_KINDS:
        raise UsageError(f"unknown export {kind!r}: use {', '.join(EXPORT_KINDS)}")
    program_settings = settings_in_force(db, settings) if kind in ("unmatched", "intros") else None
    with opened_store(db) as store, store.read():
        if kind == "unmatched":
            program, texts = program_and_texts(store, program_settings)
            yield exports.unmatched(store, program, texts)
        elif kind == "intros":
            yield exports.intros(store, program_settings.intro, _states(statuses))
        else:
            yield getattr(exports, kind.replace("-", "_"))(store)


def _states(statuses: Sequence[str]) -> tuple[str, ...]:
    from mentorctl.model import STATES

    unknown = [s for s in statuses if s not in STATES]
    if unknown or not statuses:
        raise UsageError(f"--status {unknown[0] if unknown else ''!r}: use {', '.join(STATES)}")
    return tuple(statuses)


def export(kind: str, output: PathLike | TextIO, *, bom: bool = False,
           statuses: Sequence[str] = ("proposed",), db: PathLike | None = None,
           settings: Settings | None = None) -> int:
    """Write an export as CSV (spreadsheet-safe) to a file path or a text stream; returns the
    number of rows. A file is written private beside its target and renamed when complete.
    `statuses` chooses the pairings of `intros` (default: proposed, the ones still to send)."""
    from mentorctl.csvfile import write_csv, write_csv_file

    with _export_rows(kind, db, settings, statuses) as (header, rows):
        if isinstance(output, (str, os.PathLike)):
            return write_csv_file(Path(output).expanduser(), header, rows, bom=bom)
        return write_csv(output, header, rows, bom=bom)


def export_table(kind: str, *, statuses: Sequence[str] = ("proposed",),
                 db: PathLike | None = None, settings: Settings | None = None) -> ExportTable:
    """An export's header and rows in memory (for JSON, or a script)."""
    from mentorctl.model import ExportTable

    with _export_rows(kind, db, settings, statuses) as (header, rows):
        return ExportTable(kind, tuple(header), tuple(tuple(row) for row in rows))


def export_eml(folder: PathLike, *, statuses: Sequence[str] = ("proposed",),
               sender: str | None = None, db: PathLike | None = None,
               settings: Settings | None = None) -> EmlExport:
    """Write each intro as an .eml file (ready to open in any mail client, the guides
    attached) into a new or empty folder; the files written and the pairs left out."""
    from mentorctl.sending import write_eml

    program_settings = settings_in_force(db, settings)
    with opened_store(db) as store, store.read():
        return write_eml(store, program_settings, Path(folder).expanduser(), _states(statuses),
                         sender)


def send_intros(*, smtp: str | None = None, sender: str | None = None, dry_run: bool = False,
                limit: int | None = None, pairing_ids: Sequence[int] = (),
                db: PathLike | None = None, settings: Settings | None = None,
                on_progress: Progress = None) -> SendReport:
    """Email each proposed pairing's introduction to both people by SMTP and mark it introduced
    the moment the server accepts it (the Message-ID in its history): a second run never sends
    twice. `smtp` is "HOST:PORT" (default: the settings); the password is $MENTORCTL_SMTP_PASSWORD."""
    from mentorctl.sending import send_intros as send

    program_settings = settings_in_force(db, settings)
    with opened_store(db) as store:
        return send(store, program_settings, smtp=smtp, sender=sender, dry_run=dry_run,
                    limit=limit, pairing_ids=list(pairing_ids), on_progress=on_progress)


def send_checkins(*, smtp: str | None = None, sender: str | None = None, dry_run: bool = False,
                  limit: int | None = None, pairing_ids: Sequence[int] = (),
                  days: int | None = None, db: PathLike | None = None,
                  settings: Settings | None = None, on_progress: Progress = None) -> SendReport:
    """Email the pairs `stale` lists (or the given pairings) asking how it is going, and record
    a reminder; no pair is reminded twice within mail.checkin_interval_days."""
    from mentorctl.sending import send_checkins as send

    program_settings = settings_in_force(db, settings)
    with opened_store(db) as store:
        return send(store, program_settings, smtp=smtp, sender=sender, dry_run=dry_run,
                    limit=limit, pairing_ids=list(pairing_ids), days=days,
                    on_progress=on_progress)
