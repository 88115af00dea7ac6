"""Commands that match: suggest, intro and pair (by hand or the whole program)."""


from enum import StrEnum
from typing import Annotated

import typer

from mentorctl import api
from mentorctl.cli.context import db
from mentorctl.cli.output import (
    Format,
    FormatOption,
    JsonOption,
    Table,
    chosen,
    emit,
    message,
    out,
    print_json,
    safe_text,
    staged_progress,
)
from mentorctl.errors import UsageError

NoteOption = Annotated[str | None, typer.Option("--note", metavar="TEXT",
                                                help="A note kept in the history.")]


def _shared_text(shared) -> str:
    return "; ".join(p.text for p in shared) or "-"


def suggest_command(
    ctx: typer.Context,
    mentee: Annotated[str | None, typer.Option(
        "--mentee", metavar="REF", help="The mentee: id, email or exact name.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every mentee, one after another.")] = False,
    unmatched: Annotated[bool, typer.Option(
        "--unmatched", help="With --all: only mentees `pair --auto` would pair.")] = False,
    limit: Annotated[int, typer.Option(min=0, max=10_000,
                                       help="How many mentors to list per mentee (0: every "
                                            "eligible mentor).")] = 5,
    format_: FormatOption = None,
    json_: JsonOption = False,
) -> None:
    """Rank mentors for a mentee, best first, with the points they share."""
    fmt = chosen(format_, json_)
    if all_ == (mentee is not None):
        raise UsageError("give --mentee REF, or --all for every mentee")
    if unmatched and not all_:
        raise UsageError("--unmatched goes with --all")
    if all_:
        results = api.suggest_all(limit=limit, unmatched=unmatched, db=db(ctx))
        emit(fmt, [r.to_dict() for r in results],
             csv=(["mentee", "rank", "mentor", "name", "score", "shared"],
                  ([r.mentee, rank, s.mentor, s.name, s.score, _shared_text(s.shared)]
                   for r in results for rank, s in enumerate(r.suggestions, 1))),
             table=lambda: Table(
                 ["mentee", "rank", "mentor", "score", "what they share"],
                 ([f"{r.mentee_name} ({r.mentee})", rank, f"{s.name} ({s.mentor})",
                   f"{s.score:.1f}", _shared_text(s.shared)]
                  for r in results for rank, s in enumerate(r.suggestions, 1)),
                 empty="No mentee to suggest mentors for."))
        return
    result = api.suggest(mentee, limit=limit, db=db(ctx))
    if result.reason:
        message(f"No mentor can be suggested for {result.mentee}: {result.reason}.")
    if result.at_limit:
        message(f"Note: {result.mentee} already has an open pairing.")
    emit(fmt, [s.to_dict() for s in result.suggestions],
         csv=(["rank", "mentor", "name", "score", "shared"],
              ([rank, s.mentor, s.name, s.score, _shared_text(s.shared)]
               for rank, s in enumerate(result.suggestions, 1))),
         table=Table(["rank", "mentor", "score", "what they share"],
                     ([str(rank), f"{s.name} ({s.mentor})", f"{s.score:.1f}",
                       _shared_text(s.shared)] for rank, s in enumerate(result.suggestions, 1)),
                     title=f"Mentors for {result.mentee_name}", empty=""))
    if result.suggestions and fmt is Format.table:
        best = result.suggestions[0]
        message(f"Next: `mentorctl intro {result.mentee} {best.mentor}` or "
                f"`mentorctl pair {result.mentee} {best.mentor}`")


class IntroFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


def intro_command(
    ctx: typer.Context,
    mentee: Annotated[str, typer.Argument(metavar="MENTEE", help="Id, email or exact name.")],
    mentor: Annotated[str, typer.Argument(metavar="MENTOR", help="Id, email or exact name.")],
    format_: Annotated[IntroFormat, typer.Option("--format", "-f",
                                                 help="Output format.")] = IntroFormat.text,
    json_: JsonOption = False,
) -> None:
    """Print an introduction email for a mentee and a mentor."""
    import sys

    written = api.intro(mentee, mentor, db=db(ctx))
    if json_ or format_ is IntroFormat.json:
        print_json(written.to_dict())
    elif format_ is IntroFormat.markdown:
        sys.stdout.write(safe_text(written.markdown()))
    else:
        sys.stdout.write(safe_text(written.text()))


def pair_command(
    ctx: typer.Context,
    mentee: Annotated[str | None, typer.Argument(metavar="MENTEE",
                                                 help="Id, email or exact name.")] = None,
    mentor: Annotated[str | None, typer.Argument(metavar="MENTOR",
                                                 help="Id, email or exact name.")] = None,
    auto: Annotated[bool, typer.Option(
        "--auto", help="Pair the whole program at once (optimal, capacity-aware).")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Show what would be paired; write nothing.")] = False,
    min_score: Annotated[float | None, typer.Option(
        "--min-score", metavar="S", min=0, max=100,
        help="With --auto: leave pairs below this score unmade.")] = None,
    certify: Annotated[bool, typer.Option(
        "--certify", help="With --auto: price until the plan is proven optimal, however long "
                          "it takes.")] = False,
    note: NoteOption = None,
    json_: JsonOption = False,
) -> None:
    """Propose a pairing: MENTEE MENTOR by hand, or --auto for the whole program."""
    if auto:
        if mentee is not None or mentor is not None:
            raise UsageError("`pair --auto` pairs the whole program: give no MENTEE or MENTOR")
        _pair_auto(ctx, dry_run=dry_run, min_score=min_score or 0.0, note=note, json_=json_,
                   certify=certify)
        return
    if mentee is None or mentor is None:
        raise UsageError("give MENTEE and MENTOR (`mentorctl pair alice bob`), or --auto")
    if min_score is not None:
        raise UsageError("--min-score applies to `pair --auto` only")
    if certify:
        raise UsageError("--certify applies to `pair --auto` only")
    result = api.pair(mentee, mentor, note=note, dry_run=dry_run, db=db(ctx))
    who = (f"{result.mentee.name} ({result.mentee.id}) with {result.mentor.name} "
           f"({result.mentor.id})")
    if json_:
        print_json(result.to_dict())
    else:
        number = f"#{result.pairing.id} " if result.pairing else ""
        out().print(f"{number}{result.mentee.name} with {result.mentor.name}: score "
                    f"{result.score:.1f}; "
                    f"{'; '.join(p.text for p in result.shared) or 'nothing shared'}",
                    markup=False)
    if result.pairing is None:
        message("(dry run: nothing written)")
        return
    message(f"Proposed pairing {result.pairing.id}: {who}. Next: `mentorctl send intros "
            f"--pairing {result.pairing.id}` emails the introduction and marks it introduced "
            f"(or `mentorctl intro {result.mentee.id} {result.mentor.id}` to read it first).")


def _pair_auto(ctx: typer.Context, *, dry_run: bool, min_score: float, note: str | None,
               json_: bool, certify: bool) -> None:
    bar, update, stage = staged_progress("Matching")
    try:
        if bar:
            bar.start()
        result = api.pair_auto(min_score=min_score, note=note, dry_run=dry_run, db=db(ctx),
                               certify=certify, on_progress=update, on_stage=stage)
    finally:
        if bar:
            bar.stop()
    plan, created = result.plan, result.created
    by_pair = {(p.mentee_id, p.mentor_id): p.id for p in created}
    if json_:
        print_json(result.to_dict())
    else:
        emit(Format.table, None, table=Table(
            ["pairing", "mentee", "mentor", "score", "what they share"],
            ([by_pair.get((p.mentee, p.mentor), "-"), f"{p.mentee_name} ({p.mentee})",
              f"{p.mentor_name} ({p.mentor})", f"{p.score:.1f}", _shared_text(p.shared)]
             for p in plan.pairs),
            title=f"{len(plan.pairs)} pairs, total score {plan.total_score:g}, "
                  f"{plan.optimality.text()}",
            empty="No pairs could be made."))
        if plan.unmatched:
            emit(Format.table, None, table=Table(
                ["mentee", "why unmatched"],
                ([f"{u.name} ({u.mentee})", u.reason] for u in plan.unmatched),
                title=f"{len(plan.unmatched)} unmatched"))
    if dry_run:
        message(f"{len(plan.pairs)} pairings would be proposed (dry run: nothing written).")
    elif created:
        first = created[0]
        message(f"Created {len(created)} pairings (proposed, ids {first.id}-{created[-1].id}). "
                f"Next: `mentorctl send intros --dry-run` shows the introductions to send; "
                f"`mentorctl intro {first.mentee_id} {first.mentor_id}` reads one.")
    else:
        message("Created 0 pairings.")
