"""`mentorctl pairing ...`: list, show, the lifecycle steps, and stale pairs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from mentorctl import api
from mentorctl.cli.context import State, db
from mentorctl.cli.output import Format, FormatOption, JsonOption, Table, chosen, emit, message
from mentorctl.model import MAX_PAIRING_ID

if TYPE_CHECKING:
    from mentorctl.model import Pairing, StepsResult, TransitionResult

IdArgument = Annotated[int, typer.Argument(metavar="ID", min=1, max=MAX_PAIRING_ID,
                                           help="The pairing's number.")]
NoteOption = Annotated[str | None, typer.Option("--note", metavar="TEXT",
                                                help="A note kept in the history.")]
ReasonOption = Annotated[str, typer.Option("--reason", metavar="TEXT",
                                           help="Why (kept in the history; required).")]


def _who(pairing: Pairing) -> str:
    return (f"{pairing.mentee_name} ({pairing.mentee_id}) with "
            f"{pairing.mentor_name} ({pairing.mentor_id})")


def pairing_list(
    ctx: typer.Context,
    status: Annotated[list[State] | None, typer.Option(
        "--status", metavar="STATE", help="Only this state (repeat for several).")] = None,
    format_: FormatOption = None,
    json_: JsonOption = False,
) -> None:
    """List pairings, by id."""
    pairings = api.list_pairings(statuses=[s.value for s in status or []], db=db(ctx))
    emit(chosen(format_, json_), [p.to_dict() for p in pairings],
         csv=(["id", "mentee", "mentee_name", "mentor", "mentor_name", "status", "score",
               "created_at", "updated_at"],
              ([p.id, p.mentee_id, p.mentee_name, p.mentor_id, p.mentor_name, p.status, p.score,
                p.created_at, p.updated_at] for p in pairings)),
         table=lambda: Table(
             ["id", "mentee", "mentor", "status", "score", "since"],
             ([p.id, f"{p.mentee_name} ({p.mentee_id})", f"{p.mentor_name} ({p.mentor_id})",
               p.status, "" if p.score is None else f"{p.score:.1f}", p.updated_at]
              for p in pairings),
             empty="No pairings" + (
                 " in that state." if status
                 else " yet: `mentorctl pair MENTEE MENTOR` or `mentorctl pair --auto`.")))


def pairing_show(ctx: typer.Context, pairing_id: IdArgument, format_: FormatOption = None,
                 json_: JsonOption = False) -> None:
    """Show one pairing: the pair, its score, what they share, and its full history."""
    detail = api.show_pairing(pairing_id, db=db(ctx))
    fmt = chosen(format_, json_)
    pairing = detail.pairing

    def table() -> Table:
        rows = [("pairing", pairing.id), ("mentee", f"{pairing.mentee_name} ({pairing.mentee_id})"),
                ("mentor", f"{pairing.mentor_name} ({pairing.mentor_id})"),
                ("status", pairing.status),
                ("score", "" if pairing.score is None else f"{pairing.score:.1f}")]
        rows += [(f"shared: {p['kind']}", p["text"]) for p in pairing.shared]
        rows += [(key, getattr(pairing, key)) for key in
                 ("note", "created_at", "introduced_at", "started_at", "expected_end",
                  "last_checkin_at", "ended_at") if getattr(pairing, key)]
        return Table(["field", "value"], rows, title=f"Pairing {pairing.id}")

    emit(fmt, detail.to_dict(), table=table)
    if fmt is not Format.table:
        return
    emit(fmt, None, table=Table(
        ["at", "event", "from", "to", "note"],
        ([e.at, e.kind, e.old_state or "", e.new_state or "", e.note or ""]
         for e in detail.history), title="History", empty="No history."))
    if detail.next_steps:
        message("Next steps: " + ", ".join(
            f"`mentorctl pairing {verb} {pairing.id}`" for verb in detail.next_steps))


def _next_hint(verb: str, pairing: Pairing) -> str:
    hints = {
        "introduce": f"next: `mentorctl pairing start {pairing.id}` once they have met",
        "start": f"next: `mentorctl pairing checkin {pairing.id}` after each meeting",
        "pause": f"next: `mentorctl pairing resume {pairing.id}` when they pick up again",
        "resume": f"next: `mentorctl pairing checkin {pairing.id}` after their next meeting",
        "checkin": (f"next: another check-in after their next meeting, or "
                    f"`mentorctl pairing complete {pairing.id}` when the goals are met"),
        "complete": "well done",
        "decline": f"next: `mentorctl suggest --mentee {pairing.mentee_id}` to find another mentor",
        "end": f"next: `mentorctl suggest --mentee {pairing.mentee_id}` to find another mentor",
    }
    return hints[verb]


def _report_step(result: TransitionResult) -> None:
    p = result.pairing
    if result.verb == "checkin":
        what = f"Checked in on pairing {p.id} ({_who(p)}), still {p.status}"
    else:
        what = f"Pairing {p.id} ({_who(p)}) is now {p.status}"
    line = f"{what}; {_next_hint(result.verb, p)}."
    if result.verb == "complete" and result.promotion_eligible:
        line += (f" {p.mentee_name} can now mentor others: "
                 f"`mentorctl member promote {p.mentee_id}`.")
    message(line)


DONE = {"introduce": "Introduced", "start": "Started", "pause": "Paused", "resume": "Resumed",
        "complete": "Completed", "decline": "Declined", "end": "Ended",
        "checkin": "Checked in on"}
BULK_HINTS = {
    "introduce": "next: `mentorctl pairing start ID...` once they have met",
    "start": "next: `mentorctl pairing checkin ID...` after each meeting",
    "pause": "next: `mentorctl pairing resume ID...` when they pick up again",
    "resume": "next: a check-in after their next meeting",
    "checkin": "next: another check-in after their next meeting",
    "complete": "well done",
    "decline": "next: `mentorctl pair --auto` to find their mentees other mentors",
    "end": "next: `mentorctl pair --auto` to find their mentees other mentors",
}


def _report_steps(verb: str, done: StepsResult, statuses: list[str]) -> None:
    count = len(done.results)
    if count == 1:
        _report_step(done.results[0])
        return
    if not count:
        where = f"in state {' or '.join(statuses)}" if statuses else "chosen"
        message(f"No pairings {where}: nothing to {'check in on' if verb == 'checkin' else verb}.")
        return
    line = f"{DONE[verb]} {count:,} pairings ({done.ranges()}); {BULK_HINTS[verb]}."
    promotable = sum(r.promotion_eligible for r in done.results)
    if verb == "complete" and promotable:
        line += (f" {promotable:,} of their mentees can now mentor others: "
                 "`mentorctl member promote REF`.")
    message(line)


IdsArgument = Annotated[list[str] | None, typer.Argument(
    metavar="ID...", show_default=False,
    help="Pairing ids and ranges: 3 7 10-50 (or --status).")]
StepJson = Annotated[bool, typer.Option(
    "--json", help="Also print every pairing changed as JSON on standard output.")]
ChooseStatus = Annotated[list[State] | None, typer.Option(
    "--status", metavar="STATE",
    help="Every pairing in this state (repeat for several); with ids, only those ids in it.")]


def step_command(verb: str, help_text: str, *, needs_reason: bool):
    """The command for one lifecycle step: `pairing VERB ID...` (or --status) with --note, or
    --reason; one transaction for them all."""
    def run(ctx: typer.Context, ids: list[str] | None, status: list[State] | None,
            note: str | None, reason: str | None, json_: bool) -> None:
        statuses = [s.value for s in status or []]
        done = api.steps(verb, ids=ids or [], statuses=statuses, note=note, reason=reason,
                         db=db(ctx))
        if json_:
            emit(Format.json, done.to_dict())
        _report_steps(verb, done, statuses)

    if needs_reason:
        def command(ctx: typer.Context, reason: ReasonOption, ids: IdsArgument = None,
                    status: ChooseStatus = None, json_: StepJson = False) -> None:
            run(ctx, ids, status, None, reason, json_)
    else:
        def command(ctx: typer.Context, ids: IdsArgument = None, status: ChooseStatus = None,
                    note: NoteOption = None, json_: StepJson = False) -> None:
            run(ctx, ids, status, note, None, json_)
    command.__doc__ = help_text
    command.__name__ = f"pairing_{verb}"
    return command


STEPS = {
    "introduce": ("Mark proposed pairings introduced (the intro was sent).", False),
    "start": ("Mark introduced pairings active (they have met).", False),
    "pause": ("Pause active pairings.", False),
    "resume": ("Resume paused pairings.", False),
    "complete": ("Complete active or paused pairings.", False),
    "decline": ("Decline proposed or introduced pairings (--reason required).", True),
    "end": ("End open pairings early (--reason required).", True),
    "checkin": ("Record a check-in on active pairings.", False),
}
STEP_EPILOG = ("Give ids and ranges (3 7 10-50), or --status STATE for every pairing in a "
               "state, or both (those ids in that state). All or none: if one pairing chosen "
               "cannot take the step, nothing changes.")


def pairing_stale(
    ctx: typer.Context,
    days: Annotated[int | None, typer.Option(
        "--days", min=0, max=1_000_000, metavar="N",
        help="Idle for this many days or more (default: rules.stale_days).")] = None,
    paused_days: Annotated[int | None, typer.Option(
        "--paused-days", min=0, max=1_000_000, metavar="N",
        help="Paused for this many days or more (default: rules.paused_idle_days).")] = None,
    format_: FormatOption = None,
    json_: JsonOption = False,
) -> None:
    """Pairings gone quiet (no check-in, or no progress, for N days), paused too long, or past
    their term; the longest idle first."""
    stale = api.stale(days=days, paused_days=paused_days, db=db(ctx))
    rules = api.load_settings(db(ctx)).rules
    shown = days if days is not None else rules.stale_days
    emit(chosen(format_, json_), [s.to_dict() for s in stale],
         csv=(["id", "mentee", "mentor", "status", "days_idle", "last_activity", "next_action",
               "reasons", "why", "expected_end"],
              ([s.pairing.id, s.pairing.mentee_id, s.pairing.mentor_id, s.pairing.status,
                s.days_idle, s.last_activity, s.next_action, " ".join(s.reasons), s.why,
                s.pairing.expected_end] for s in stale)),
         table=lambda: Table(
             ["id", "mentee", "mentor", "status", "idle days", "last activity", "why",
              "next action"],
             ([s.pairing.id, s.pairing.mentee_id, s.pairing.mentor_id, s.pairing.status,
               s.days_idle, s.last_activity, s.why, s.next_action] for s in stale),
             empty=f"No stale pairings: none idle for {shown} days or more, none paused too "
                   "long, none past its term."))


def pairing_expire(
    ctx: typer.Context,
    days: Annotated[int | None, typer.Option(
        "--days", min=1, max=1_000_000, metavar="N",
        help="Unanswered for this many days or more (default: rules.expire_days).")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="List the proposals that would expire; change nothing.")] = False,
    format_: FormatOption = None,
    json_: JsonOption = False,
) -> None:
    """Decline proposed and introduced pairings with no response for N days, in one go, so
    their mentees can be matched again; reason "expired: no response in N days"."""
    result = api.expire(days=days, dry_run=dry_run, db=db(ctx))
    fmt = chosen(format_, json_)
    rows = result.expired
    emit(fmt, result.to_dict() if fmt is Format.json else None,
         csv=(["id", "mentee", "mentor", "old_state", "status", "days_idle", "last_activity"],
              ([e.pairing.id, e.pairing.mentee_id, e.pairing.mentor_id, e.old_state,
                e.pairing.status, e.days_idle, e.last_activity] for e in rows)),
         table=(lambda: Table(
             ["id", "mentee", "mentor", "was", "idle days", "last activity"],
             ([e.pairing.id, f"{e.pairing.mentee_name} ({e.pairing.mentee_id})",
               f"{e.pairing.mentor_name} ({e.pairing.mentor_id})", e.old_state, e.days_idle,
               e.last_activity] for e in rows),
             title="Would expire" if dry_run else "Expired",
             empty=f"No proposals unanswered for {result.days} days or more: nothing to "
                   "expire.")))
    count = len(rows)
    if not count:
        if fmt is not Format.table:
            message(f"No proposals unanswered for {result.days} days or more: nothing to "
                    "expire.")
    elif dry_run:
        message(f"Would expire {count:,} proposal{'s' * (count != 1)} ({result.ranges()}) with "
                f"the reason \"{result.reason}\" (dry run: nothing changed).")
    else:
        message(f"Expired {count:,} proposal{'s' * (count != 1)} ({result.ranges()}): declined "
                f"with the reason \"{result.reason}\"; next: `mentorctl pair --auto` to find "
                "their mentees other mentors.")
