"""Commands that match: suggest and intro."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from mentorctl.cli import JsonOption, app, open_store, settings


def load(store):
    from mentorctl.match import load_program

    return load_program(store, settings())


@app.command("suggest")
def suggest_command(
    mentee: Annotated[str, typer.Option("--mentee", metavar="REF",
                                        help="The mentee: id, email or exact name.")],
    limit: Annotated[int, typer.Option(min=1, help="How many mentors to list.")] = 5,
    json_: JsonOption = False,
) -> None:
    """Rank mentors for a mentee, best first, with the points they share."""
    from mentorctl import render
    from mentorctl.match import suggest
    from mentorctl.members import find_member

    with open_store() as store:
        member = find_member(store, mentee)
        program = load(store)
    result = suggest(program, member.id, limit)
    if result.reason:
        render.message(f"No mentor can be suggested for {render.escape(member.id)}: "
                       f"{render.escape(result.reason)}.")
    index = program.position(member.id)
    if program.open_as_mentee[index] >= program.settings.rules["max_open_pairings_per_mentee"]:
        render.message(f"Note: {render.escape(member.id)} already has an open pairing.")
    if json_:
        render.print_json([s.to_dict() for s in result.suggestions])
        return
    if not result.suggestions:
        return
    render.print_table(
        ["rank", "mentor", "score", "what they share"],
        ([str(rank), f"{s.name} ({s.mentor})", f"{s.score:.1f}",
          "; ".join(p.text for p in s.shared) or "-"]
         for rank, s in enumerate(result.suggestions, 1)),
        title=f"Mentors for {member.name}",
    )
    best = result.suggestions[0]
    render.message(f"Next: `mentorctl intro {member.id} {best.mentor}` or "
                   f"`mentorctl pair {member.id} {best.mentor}`")


class IntroFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


@app.command("intro")
def intro_command(
    mentee: Annotated[str, typer.Argument(metavar="MENTEE", help="Id, email or exact name.")],
    mentor: Annotated[str, typer.Argument(metavar="MENTOR", help="Id, email or exact name.")],
    format_: Annotated[IntroFormat, typer.Option("--format", "-f",
                                                 help="Output format.")] = IntroFormat.text,
) -> None:
    """Print an introduction email for a mentee and a mentor."""
    import sys

    from mentorctl import render
    from mentorctl.intro import build_intro
    from mentorctl.members import find_member

    with open_store() as store:
        mentee_id, mentor_id = find_member(store, mentee).id, find_member(store, mentor).id
        program = load(store)
    intro = build_intro(program, mentee_id, mentor_id)
    if format_ is IntroFormat.json:
        render.print_json(intro.to_dict())
    elif format_ is IntroFormat.markdown:
        sys.stdout.write(intro.markdown())
    else:
        sys.stdout.write(f"To: {', '.join(intro.to)}\nSubject: {intro.subject}\n\n{intro.body}")
