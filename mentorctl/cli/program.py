"""The program's reference data, settings and database: resolve, unresolved, config, db."""


from typing import Annotated

import typer

from mentorctl import api
from mentorctl.cli.context import Kind, db
from mentorctl.cli.output import Format, FormatOption, JsonOption, Table, chosen, emit, message
from mentorctl.model import Unresolved


def resolve_command(
    ctx: typer.Context,
    kind: Annotated[Kind, typer.Argument(help="occupation, school or location.")],
    texts: Annotated[list[str], typer.Argument(metavar="TEXT...", help="Text to resolve.")],
    format_: FormatOption = None,
    json_: JsonOption = False,
) -> None:
    """Show what free text resolves to (the program's aliases included)."""
    results = api.resolve(kind.value, texts, db=db(ctx))
    emit(chosen(format_, json_), [r.to_dict() for r in results],
         csv=(["input", "canonical", "score", "method"],
              ([r.input, r.canonical, round(r.score, 1), r.method] for r in results)),
         table=lambda: Table(
             ["input", "canonical", "score", "method", "details"],
             ([r.input, r.canonical or "(unresolved)", f"{r.score:.0f}", r.method,
               _details(r.attrs)] for r in results)))


def _details(attrs: dict) -> str:
    shown = []
    for key in ("soc_title", "seniority_label", "country", "population", "alternatives"):
        if attrs.get(key) not in (None, "", []):
            value = attrs[key]
            if isinstance(value, list):
                value = "; ".join(map(str, value))
            shown.append(f"{key.replace('_label', '')}: {value:,}" if isinstance(value, int)
                         else f"{key.replace('_label', '')}: {value}")
    return ", ".join(shown)


def unresolved_command(
    ctx: typer.Context,
    kind: Annotated[Kind | None, typer.Argument(help="Only this kind.")] = None,
    format_: FormatOption = None,
    json_: JsonOption = False,
) -> None:
    """List the program's text that resolved to nothing, or only ambiguously, most frequent
    first (settle it with an alias)."""
    rows = api.unresolved(kind.value if kind else None, db=db(ctx))
    fmt = chosen(format_, json_)
    emit(fmt, [u.to_dict() for u in rows],
         csv=(["kind", "text", "members", "alternatives", "closest"],
              ([u.kind, u.text, u.members, "; ".join(u.alternatives), _closest(u)] for u in rows)),
         table=lambda: Table(["kind", "text", "members", "could be"],
                             ([u.kind, u.text, u.members, _could_be(u)] for u in rows),
                             empty="Everything resolved."))
    if rows and fmt is Format.table:
        message("Add aliases under `aliases:` in the settings file (`mentorctl config init`);"
                " an occupation's alias may name a SOC code (\"Bid Manager\": \"13-1199\").")


def _closest(item: Unresolved) -> str:
    return "; ".join(f"{name} ({code})" for code, name in item.closest)


def _could_be(item: Unresolved) -> str:
    if item.closest:  # where to start looking, not what the lists file the text under
        return "closest: " + _closest(item)
    return "; ".join(item.alternatives)


def config_show(ctx: typer.Context, format_: FormatOption = None,
                json_: JsonOption = False) -> None:
    """Print the settings in force and where each came from."""
    settings = api.load_settings(db(ctx))
    path = api.settings_file(db(ctx))
    fmt = chosen(format_, json_)
    if fmt is Format.table:
        message(f"Settings file: {path}"
                + ("" if settings.path else " (not created yet: `mentorctl config init`)"))
    flat = settings.flat()
    emit(fmt, {"file": str(path), "settings": settings.values,
               "sources": {key: source for key, _value, source in flat}},
         csv=(["setting", "value", "from"], ([key, value, source] for key, value, source in flat)),
         table=lambda: Table(["setting", "value", "from"],
                             ([key, _short(value), source] for key, value, source in flat)))


def _short(value) -> str:
    text = str(value)
    first = text.splitlines()[0] if text else ""
    return first + (" …" if len(text) > len(first) else "")


def config_init(
    ctx: typer.Context,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starting settings file beside the database."""
    path = api.init_settings(db=db(ctx), force=force)
    message(f"Wrote {path}; edit it, then check with `mentorctl config show`.")


def db_path_command(ctx: typer.Context, format_: FormatOption = None,
                    json_: JsonOption = False) -> None:
    """Print the database file in use."""
    path = api.database_path(db(ctx))
    fmt = chosen(format_, json_)
    if fmt is Format.table:
        typer.echo(str(path))
        return
    emit(fmt, {"path": str(path)})


def db_backup(
    ctx: typer.Context,
    dest: Annotated[str, typer.Argument(metavar="DEST", help="File (or folder) for the copy.")],
) -> None:
    """Write a consistent copy of the database (VACUUM INTO)."""
    written = api.backup(dest, db=db(ctx))
    message(f"Backed up {api.database_path(db(ctx))} to {written}")
