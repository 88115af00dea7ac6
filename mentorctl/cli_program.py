"""Commands about the program's reference data and settings: resolve, unresolved, config."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from mentorctl.cli import JsonOption, app, config_app, db_path, open_store, settings


class Kind(StrEnum):
    occupation = "occupation"
    school = "school"
    location = "location"


@app.command("resolve")
def resolve_command(
    kind: Annotated[Kind, typer.Argument(help="occupation, school or location.")],
    texts: Annotated[list[str], typer.Argument(metavar="TEXT...", help="Text to resolve.")],
    json_: JsonOption = False,
) -> None:
    """Show what free text resolves to (the program's aliases included)."""
    from mentorctl import render
    from mentorctl.normalize import resolve_texts

    program = settings()
    results = resolve_texts(kind.value, texts, program.aliases.get(kind.value))
    if json_:
        render.print_json([{"input": r.input, "canonical": r.canonical, "score": round(r.score, 1),
                            "method": r.method, **({"attrs": r.attrs} if r.attrs else {})}
                           for r in results])
        return
    render.print_table(
        ["input", "canonical", "score", "method", "details"],
        ([r.input, r.canonical or "(unresolved)", f"{r.score:.0f}", r.method, _details(r.attrs)]
         for r in results),
    )


def _details(attrs: dict) -> str:
    shown = []
    for key in ("family", "seniority_label", "country", "population"):
        if attrs.get(key) not in (None, ""):
            value = attrs[key]
            shown.append(f"{key.replace('_label', '')}: {value:,}" if isinstance(value, int)
                         else f"{key.replace('_label', '')}: {value}")
    return ", ".join(shown)


@app.command("unresolved")
def unresolved_command(
    kind: Annotated[Kind | None, typer.Argument(help="Only this kind.")] = None,
    json_: JsonOption = False,
) -> None:
    """List the program's text that resolved to nothing, most frequent first (add aliases)."""
    from mentorctl import render
    from mentorctl.normalize import refresh_resolutions, unresolved_texts

    program = settings()
    with open_store() as store:
        refresh_resolutions(store, program.aliases)
        rows = unresolved_texts(store, kind.value if kind else None)
    if json_:
        render.print_json([{"kind": u.kind, "text": u.text, "members": u.members} for u in rows])
        return
    render.print_table(["kind", "text", "members"], ([u.kind, u.text, u.members] for u in rows),
                       empty="Everything resolved.")
    if rows:
        render.message("Add aliases under `aliases:` in the settings file (`mentorctl config init`).")


@config_app.command("show")
def config_show(json_: JsonOption = False) -> None:
    """Print the settings in force and where each came from."""
    from mentorctl import render
    from mentorctl.config import settings_path

    program = settings()
    if json_:
        render.print_json({"file": str(settings_path(db_path())), "settings": program.values,
                           "sources": {k: s for k, _v, s in program.flat()}})
        return
    render.message(f"Settings file: {render.escape(settings_path(db_path()))}"
                   + ("" if program.path else " (not created yet: `mentorctl config init`)"))
    render.print_table(["setting", "value", "from"],
                       ([key, _short(value), source] for key, value, source in program.flat()))


def _short(value) -> str:
    text = str(value)
    first = text.splitlines()[0] if text else ""
    return first + (" …" if len(text) > len(first) else "")


@config_app.command("init")
def config_init(
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starting settings file beside the database."""
    from mentorctl import render
    from mentorctl.config import settings_path, write_starter

    path = write_starter(settings_path(db_path()), force=force)
    render.message(f"Wrote {render.escape(path)}; edit it, then check with `mentorctl config show`.")
