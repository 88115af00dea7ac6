"""Commands that make and follow pairings: pair (by hand or the whole program) and `pairing ...`."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from mentorctl.cli import (
    FormatOption,
    JsonOption,
    TableFormat,
    _subapp,
    app,
    open_store,
    progress_callback,
    settings,
)

pairing_app = _subapp("pairing",
                      "Follow pairings through their lifecycle: list, show, steps, stale.")


class State(StrEnum):
    proposed = "proposed"
    introduced = "introduced"
    active = "active"
    paused = "paused"
    completed = "completed"
    declined = "declined"
    ended = "ended"


IdArgument = Annotated[int, typer.Argument(metavar="ID", help="The pairing's number.")]
NoteOption = Annotated[str | None, typer.Option("--note", metavar="TEXT",
                                                help="A note kept in the history.")]
ReasonOption = Annotated[str, typer.Option("--reason", metavar="TEXT",
                                           help="Why (kept in the history; required).")]


def _who(pairing) -> str:
    from mentorctl import render

    return (f"{render.escape(pairing.mentee_name)} ({render.escape(pairing.mentee_id)}) with "
            f"{render.escape(pairing.mentor_name)} ({render.escape(pairing.mentor_id)})")


# --- pair ------------------------------------------------------------------------------------


@app.command("pair")
def pair_command(
    mentee: Annotated[str | None, typer.Argument(metavar="MENTEE",
                                                 help="Id, email or exact name.")] = None,
    mentor: Annotated[str | None, typer.Argument(metavar="MENTOR",
                                                 help="Id, email or exact name.")] = None,
    auto: Annotated[bool, typer.Option(
        "--auto", help="Pair the whole program at once (optimal, capacity-aware).")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Show what would be paired; write nothing.")] = False,
    min_score: Annotated[float | None, typer.Option(
        "--min-score", metavar="S",
        help="With --auto: leave pairs below this score unmade.")] = None,
    note: NoteOption = None,
    json_: JsonOption = False,
) -> None:
    """Propose a pairing: MENTEE MENTOR by hand, or --auto for the whole program."""
    from mentorctl.errors import UsageError

    if auto:
        if mentee is not None or mentor is not None:
            raise UsageError("`pair --auto` pairs the whole program: give no MENTEE or MENTOR")
        _pair_auto(dry_run=dry_run, min_score=min_score or 0.0, note=note, json_=json_)
        return
    if mentee is None or mentor is None:
        raise UsageError("give MENTEE and MENTOR (`mentorctl pair alice bob`), or --auto")
    if min_score is not None:
        raise UsageError("--min-score applies to `pair --auto` only")
    _pair_one(mentee, mentor, dry_run=dry_run, note=note, json_=json_)


def _pair_one(mentee_ref: str, mentor_ref: str, *, dry_run: bool, note: str | None,
              json_: bool) -> None:
    from mentorctl import render
    from mentorctl.errors import Conflict
    from mentorctl.lifecycle import check_pair_allowed, create_pairings
    from mentorctl.match import load_program, program_rule_problem, score_pair
    from mentorctl.members import find_member

    program_settings = settings()
    limit = int(program_settings.rules["max_open_pairings_per_mentee"])
    with open_store() as store:
        mentee, mentor = find_member(store, mentee_ref), find_member(store, mentor_ref)
        reason = check_pair_allowed(store, mentee.id, mentor.id, limit)
        if reason:  # refused early, before the scoring work; re-checked when writing
            raise Conflict(f"cannot pair {mentee.id} with {mentor.id}: {reason}")
        program = load_program(store, program_settings)
        rule = program_rule_problem(program, mentee.id, mentor.id)
        if rule:
            raise Conflict(f"cannot pair {mentee.id} with {mentor.id}: {rule}")
        scored = score_pair(program, mentee.id, mentor.id)
        pair = {"mentee_id": mentee.id, "mentor_id": mentor.id, "score": scored.score,
                "shared": [point.to_dict() for point in scored.shared]}
        if dry_run:
            if json_:
                render.print_json({"mentee": mentee.id, "mentor": mentor.id,
                                   "score": scored.score, "shared": pair["shared"],
                                   "dry_run": True})
            else:
                render.out().print(
                    f"{render.escape(mentee.name)} with {render.escape(mentor.name)}: score "
                    f"{scored.score:.1f}; " + render.escape(
                        "; ".join(p["text"] for p in pair["shared"]) or "nothing shared"))
            render.message("(dry run: nothing written)")
            return
        [pairing] = create_pairings(store, [pair], max_open_per_mentee=limit, note=note)
    if json_:
        render.print_json(pairing.to_dict())
    else:
        render.out().print(
            f"#{pairing.id} {render.escape(mentee.name)} with {render.escape(mentor.name)}: "
            f"score {scored.score:.1f}; " + render.escape(
                "; ".join(p["text"] for p in pairing.shared) or "nothing shared"))
    render.message(
        f"Proposed pairing {pairing.id}: {_who(pairing)}. Next: `mentorctl intro "
        f"{render.escape(mentee.id)} {render.escape(mentor.id)}` to write the introduction, then "
        f"`mentorctl pairing introduce {pairing.id}`.")


def _pair_auto(*, dry_run: bool, min_score: float, note: str | None, json_: bool) -> None:
    from mentorctl import render
    from mentorctl.lifecycle import create_pairings
    from mentorctl.match import load_program, plan_assignment

    program_settings = settings()
    limit = int(program_settings.rules["max_open_pairings_per_mentee"])
    created = []
    with open_store() as store:
        bar, update = progress_callback("Matching")
        try:
            if bar:
                bar.start()
            # One write transaction: a concurrent `pair` waits, then sees these pairings.
            with store.write():
                program = load_program(store, program_settings)
                plan = plan_assignment(program, min_score=min_score, on_progress=update)
                if not dry_run and plan.pairs:
                    created = create_pairings(store, plan.pairs, max_open_per_mentee=limit,
                                              note=note)
        finally:
            if bar:
                bar.stop()
    by_pair = {(p.mentee_id, p.mentor_id): p.id for p in created}
    if json_:
        result = plan.to_dict() if hasattr(plan, "to_dict") else {}
        result.update({
            "pairs": [{"mentee": p.mentee, "mentor": p.mentor, "score": p.score,
                       "shared": [s.to_dict() for s in p.shared],
                       "pairing": by_pair.get((p.mentee, p.mentor))} for p in plan.pairs],
            "total_score": plan.total_score,
            "unmatched": [{"mentee": u.mentee, "reason": u.reason} for u in plan.unmatched],
            "created": len(created),
            "dry_run": dry_run,
        })
        render.print_json(result)
    else:
        def name(member_id: str) -> str:
            index = program.index.get(member_id)
            return program.names[index] if index is not None else member_id

        render.print_table(
            ["pairing", "mentee", "mentor", "score", "what they share"],
            ([by_pair.get((p.mentee, p.mentor), "-"), f"{name(p.mentee)} ({p.mentee})",
              f"{name(p.mentor)} ({p.mentor})", f"{p.score:.1f}",
              "; ".join(s.text for s in p.shared) or "-"] for p in plan.pairs),
            title=f"{len(plan.pairs)} pairs, total score {plan.total_score:g}",
            empty="No pairs could be made.")
        if plan.unmatched:
            render.print_table(["mentee", "why unmatched"],
                               ([f"{name(u.mentee)} ({u.mentee})", u.reason]
                                for u in plan.unmatched),
                               title=f"{len(plan.unmatched)} unmatched")
    if dry_run:
        render.message(f"{len(plan.pairs)} pairings would be proposed (dry run: nothing written).")
    elif created:
        first = created[0]
        render.message(
            f"Created {len(created)} pairings (proposed). Next: `mentorctl intro "
            f"{render.escape(first.mentee_id)} {render.escape(first.mentor_id)}` for each pair, "
            f"then `mentorctl pairing introduce {first.id}` "
            f"(ids {created[0].id}-{created[-1].id}).")
    else:
        render.message("Created 0 pairings.")


# --- pairing list / show ------------------------------------------------------------------------


LIST_COLUMNS = ["id", "mentee", "mentor", "status", "score", "created_at", "updated_at"]


@pairing_app.command("list")
def pairing_list(
    status: Annotated[list[State] | None, typer.Option(
        "--status", metavar="STATE", help="Only this state (repeat for several).")] = None,
    format_: FormatOption = TableFormat.table,
) -> None:
    """List pairings, by id."""
    from mentorctl import render
    from mentorctl.lifecycle import list_pairings

    with open_store() as store:
        pairings = list_pairings(store, [s.value for s in status or []])
    if format_ is TableFormat.json:
        render.print_json([p.to_dict() for p in pairings])
    elif format_ is TableFormat.csv:
        render.write_csv(sys.stdout, ["id", "mentee", "mentee_name", "mentor", "mentor_name",
                                      "status", "score", "created_at", "updated_at"],
                         ([p.id, p.mentee_id, p.mentee_name, p.mentor_id, p.mentor_name,
                           p.status, p.score, p.created_at, p.updated_at] for p in pairings))
    else:
        render.print_table(
            ["id", "mentee", "mentor", "status", "score", "since"],
            ([p.id, f"{p.mentee_name} ({p.mentee_id})", f"{p.mentor_name} ({p.mentor_id})",
              p.status, "" if p.score is None else f"{p.score:.1f}", p.updated_at]
             for p in pairings),
            empty="No pairings" + (
                " in that state." if status
                else " yet: `mentorctl pair MENTEE MENTOR` or `mentorctl pair --auto`."))


@pairing_app.command("show")
def pairing_show(pairing_id: IdArgument, json_: JsonOption = False) -> None:
    """Show one pairing: the pair, its score, what they share, and its full history."""
    from mentorctl import render
    from mentorctl.lifecycle import allowed_verbs, get_pairing, pairing_history

    with open_store() as store:
        pairing = get_pairing(store, pairing_id)
        history = pairing_history(store, pairing_id)
    if json_:
        render.print_json({**pairing.to_dict(), "next_steps": allowed_verbs(pairing.status),
                           "history": [e.to_dict() for e in history]})
        return
    rows = [("pairing", pairing.id), ("mentee", f"{pairing.mentee_name} ({pairing.mentee_id})"),
            ("mentor", f"{pairing.mentor_name} ({pairing.mentor_id})"),
            ("status", pairing.status),
            ("score", "" if pairing.score is None else f"{pairing.score:.1f}")]
    rows += [(f"shared: {p['kind']}", p["text"]) for p in pairing.shared]
    rows += [(key, getattr(pairing, key)) for key in
             ("note", "created_at", "introduced_at", "started_at", "last_checkin_at", "ended_at")
             if getattr(pairing, key)]
    render.print_table(["field", "value"], rows, title=f"Pairing {pairing.id}")
    render.print_table(
        ["at", "event", "from", "to", "note"],
        ([e.at, e.kind, e.old_state or "", e.new_state or "", e.note or ""] for e in history),
        title="History", empty="No history.")
    steps = allowed_verbs(pairing.status)
    if steps:
        render.message("Next steps: " + ", ".join(
            f"`mentorctl pairing {verb} {pairing.id}`" for verb in steps))


# --- lifecycle steps ------------------------------------------------------------------------


def _next_hint(verb: str, result) -> str:
    from mentorctl import render

    p = result.pairing
    mentee = render.escape(p.mentee_id)
    hints = {
        "introduce": f"next: `mentorctl pairing start {p.id}` once they have met",
        "start": f"next: `mentorctl pairing checkin {p.id}` after each meeting",
        "pause": f"next: `mentorctl pairing resume {p.id}` when they pick up again",
        "resume": f"next: `mentorctl pairing checkin {p.id}` after their next meeting",
        "checkin": (f"next: another check-in after their next meeting, or "
                    f"`mentorctl pairing complete {p.id}` when the goals are met"),
        "complete": "well done",
        "decline": f"next: `mentorctl suggest --mentee {mentee}` to find another mentor",
        "end": f"next: `mentorctl suggest --mentee {mentee}` to find another mentor",
    }
    return hints[verb]


def _apply(verb: str, pairing_id: int, *, note: str | None = None,
           reason: str | None = None) -> None:
    from mentorctl import render
    from mentorctl.lifecycle import transition

    with open_store() as store:
        result = transition(store, pairing_id, verb, note=note, reason=reason)
    p = result.pairing
    if verb == "checkin":
        what = f"Checked in on pairing {p.id} ({_who(p)}), still {p.status}"
    else:
        what = f"Pairing {p.id} ({_who(p)}) is now {p.status}"
    line = f"{what}; {_next_hint(verb, result)}."
    if verb == "complete" and result.promotion_eligible:
        line += (f" {render.escape(p.mentee_name)} can now mentor others: "
                 f"`mentorctl member promote {render.escape(p.mentee_id)}`.")
    render.message(line)


def _step_command(verb: str, help_text: str, *, needs_reason: bool) -> None:
    if needs_reason:
        def command(pairing_id: IdArgument, reason: ReasonOption) -> None:
            _apply(verb, pairing_id, reason=reason)
    else:
        def command(pairing_id: IdArgument, note: NoteOption = None) -> None:
            _apply(verb, pairing_id, note=note)
    command.__doc__ = help_text
    command.__name__ = f"pairing_{verb}"
    pairing_app.command(verb)(command)


_step_command("introduce", "Mark a proposed pairing introduced (the intro was sent).",
              needs_reason=False)
_step_command("start", "Mark an introduced pairing active (they have met).", needs_reason=False)
_step_command("pause", "Pause an active pairing.", needs_reason=False)
_step_command("resume", "Resume a paused pairing.", needs_reason=False)
_step_command("complete", "Complete an active or paused pairing.", needs_reason=False)
_step_command("decline", "Decline a proposed or introduced pairing (--reason required).",
              needs_reason=True)
_step_command("end", "End an open pairing early (--reason required).", needs_reason=True)
_step_command("checkin", "Record a check-in on an active pairing.", needs_reason=False)


# --- stale ----------------------------------------------------------------------------------


@pairing_app.command("stale")
def pairing_stale(
    days: Annotated[int | None, typer.Option(
        "--days", min=0, metavar="N",
        help="Idle for this many days or more (default: rules.stale_days).")] = None,
    format_: FormatOption = TableFormat.table,
) -> None:
    """Pairings gone quiet: no check-in, or no progress, for N days; the longest idle first."""
    from mentorctl import render
    from mentorctl.lifecycle import stale_pairings

    if days is None:
        days = int(settings().rules["stale_days"])
    with open_store() as store:
        stale = stale_pairings(store, days)
    if format_ is TableFormat.json:
        render.print_json([s.to_dict() for s in stale])
    elif format_ is TableFormat.csv:
        render.write_csv(sys.stdout, ["id", "mentee", "mentor", "status", "days_idle",
                                      "last_activity", "next_action"],
                         ([s.pairing.id, s.pairing.mentee_id, s.pairing.mentor_id,
                           s.pairing.status, s.days_idle, s.last_activity, s.next_action]
                          for s in stale))
    else:
        render.print_table(
            ["id", "mentee", "mentor", "status", "idle days", "last activity", "next action"],
            ([s.pairing.id, s.pairing.mentee_id, s.pairing.mentor_id, s.pairing.status,
              s.days_idle, s.last_activity, s.next_action] for s in stale),
            empty=f"No stale pairings: none idle for {days} days or more.")
