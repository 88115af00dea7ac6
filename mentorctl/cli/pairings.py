"""`mentorctl pairing ...`: list, show, the lifecycle steps, and stale pairs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from mentorctl import api
from mentorctl.cli.context import State, db
from mentorctl.cli.output import Format, FormatOption, JsonOption, Table, chosen, emit, message
from mentorctl.model import MAX_PAIRING_ID

if TYPE_CHECKING:
    from mentorctl.model import Pairing, TransitionResult

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
                 ("note", "created_at", "introduced_at", "started_at", "last_checkin_at",
                  "ended_at") if getattr(pairing, key)]
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


def step_command(verb: str, help_text: str, *, needs_reason: bool):
    """The command for one lifecycle step: `pairing VERB ID` with --note, or --reason."""
    if needs_reason:
        def command(ctx: typer.Context, pairing_id: IdArgument, reason: ReasonOption) -> None:
            _report_step(api.step(verb, pairing_id, reason=reason, db=db(ctx)))
    else:
        def command(ctx: typer.Context, pairing_id: IdArgument, note: NoteOption = None) -> None:
            _report_step(api.step(verb, pairing_id, note=note, db=db(ctx)))
    command.__doc__ = help_text
    command.__name__ = f"pairing_{verb}"
    return command


STEPS = {
    "introduce": ("Mark a proposed pairing introduced (the intro was sent).", False),
    "start": ("Mark an introduced pairing active (they have met).", False),
    "pause": ("Pause an active pairing.", False),
    "resume": ("Resume a paused pairing.", False),
    "complete": ("Complete an active or paused pairing.", False),
    "decline": ("Decline a proposed or introduced pairing (--reason required).", True),
    "end": ("End an open pairing early (--reason required).", True),
    "checkin": ("Record a check-in on an active pairing.", False),
}


def pairing_stale(
    ctx: typer.Context,
    days: Annotated[int | None, typer.Option(
        "--days", min=0, max=1_000_000, metavar="N",
        help="Idle for this many days or more (default: rules.stale_days).")] = None,
    format_: FormatOption = None,
    json_: JsonOption = False,
) -> None:
    """Pairings gone quiet: no check-in, or no progress, for N days; the longest idle first."""
    stale = api.stale(days=days, db=db(ctx))
    shown = days if days is not None else api.load_settings(db(ctx)).rules.stale_days
    emit(chosen(format_, json_), [s.to_dict() for s in stale],
         csv=(["id", "mentee", "mentor", "status", "days_idle", "last_activity", "next_action"],
              ([s.pairing.id, s.pairing.mentee_id, s.pairing.mentor_id, s.pairing.status,
                s.days_idle, s.last_activity, s.next_action] for s in stale)),
         table=lambda: Table(
             ["id", "mentee", "mentor", "status", "idle days", "last activity", "next action"],
             ([s.pairing.id, s.pairing.mentee_id, s.pairing.mentor_id, s.pairing.status,
               s.days_idle, s.last_activity, s.next_action] for s in stale),
             empty=f"No stale pairings: none idle for {shown} days or more."))
