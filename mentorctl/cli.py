"""The mentorctl command line: parse, call the core, render, and map errors to exit codes.

Heavy modules (rich, sqlite-utils, rapidfuzz, numpy, scipy, the reference data) are imported inside
the commands that need them, so `mentorctl --help` stays fast.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

from mentorctl import __version__
from mentorctl.errors import MentorctlError


class _Group(TyperGroup):
    """Turns every expected error into one plain line on stderr and its exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except MentorctlError as exc:
            _fail(str(exc), exc.exit_code, getattr(exc, "result", None))
        except sqlite3.OperationalError as exc:
            _fail(f"database error: {exc} (is another mentorctl still writing? try again)", 1)
        except BrokenPipeError:
            # `mentorctl export members | head`: the reader left; that is not an error.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None


def _fail(text: str, code: int, result=None) -> None:
    from mentorctl import render

    if result is not None and hasattr(result, "errors"):
        for error in result.errors:
            render.message(render.escape(str(error)))
    render.message(f"Error: {render.escape(text)}")
    raise typer.Exit(code)


CONTEXT = {"help_option_names": ["-h", "--help"]}
app = typer.Typer(
    cls=_Group,
    context_settings=CONTEXT,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    help="Run a mentoring program: import sign-ups, match, pair, introduce, track and report.",
)


def _subapp(name: str, help_text: str) -> typer.Typer:
    sub = typer.Typer(cls=_Group, context_settings=CONTEXT, no_args_is_help=True,
                      pretty_exceptions_show_locals=False, rich_markup_mode=None, help=help_text)
    app.add_typer(sub, name=name)
    return sub


member_app = _subapp("member", "List, show and change members.")
db_app = _subapp("db", "Where the database is, and backups.")
config_app = _subapp("config", "Program settings: weights, rules, aliases, intro template.")


class _State:
    db_flag: str | None = None


STATE = _State()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mentorctl {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    db: Annotated[str | None, typer.Option(
        "--db", metavar="PATH",
        help="Database file (default: $MENTORCTL_DB, else the app directory).")] = None,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    STATE.db_flag = db


def db_path() -> Path:
    from mentorctl.store import resolve_db_path

    return resolve_db_path(STATE.db_flag)


def open_store():
    from mentorctl.store import Store

    return Store(db_path())


def settings():
    from mentorctl.config import load_settings, settings_path

    return load_settings(settings_path(db_path()))


class Role(StrEnum):
    mentor = "mentor"
    mentee = "mentee"
    both = "both"


class TableFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def progress_callback(description: str):
    """A rich progress bar on stderr when it is a terminal; None (no output) otherwise."""
    from mentorctl import render

    console = render.err()
    if not console.is_terminal:
        return None, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(TextColumn(description), BarColumn(), MofNCompleteColumn(), console=console,
                   transient=True)
    task = bar.add_task(description, total=None)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    return bar, update


# --- import --------------------------------------------------------------------------------


@app.command("import")
def import_command(
    files: Annotated[list[str], typer.Argument(
        metavar="FILE...", help="CSV or YAML files; '-' reads standard input.")],
    map_: Annotated[list[str] | None, typer.Option(
        "--map", metavar="COLUMN=FIELD",
        help="Map a column header to a field, e.g. --map 'Your city=location'.")] = None,
    role: Annotated[Role | None, typer.Option(
        help="Role for rows whose role is blank or missing.")] = None,
    skip_invalid: Annotated[bool, typer.Option(
        "--skip-invalid", help="Import the valid rows and report the others.")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Report what would change; write nothing.")] = False,
    encoding: Annotated[str | None, typer.Option(
        help="Text encoding of the files (default UTF-8, BOM or not), e.g. cp1252.")] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Import members from CSV or YAML: validated whole, written in one transaction."""
    from mentorctl import render
    from mentorctl.ingest import ImportRejected, import_members
    from mentorctl.normalize import refresh_resolutions
    from mentorctl.readers import parse_mapping

    mapping = parse_mapping(map_ or [])
    sources = [(name, _read_input(name)) for name in files]
    program = settings()
    store = open_store()
    bar, update = progress_callback("Importing")
    try:
        if bar:
            bar.start()
        result = import_members(
            store, sources, mapping=mapping, role=role.value if role else None,
            encoding=encoding, skip_invalid=skip_invalid, dry_run=dry_run, on_progress=update,
            after_write=lambda s: refresh_resolutions(s, program.aliases),
        )
    except ImportRejected as exc:
        if json_:
            render.print_json(exc.result.to_dict())
        raise
    finally:
        if bar:
            bar.stop()
        store.close()
    if json_:
        render.print_json(result.to_dict())
    else:
        for error in result.errors:
            render.message(render.escape(str(error)))
        verb = "would be" if dry_run else "were"
        render.out().print(
            f"{len(result.created)} created, {len(result.updated)} updated, "
            f"{len(result.unchanged)} unchanged, {result.rejected_rows} rejected"
            + (" (dry run: nothing written)" if dry_run else "")
        )
        if result.rejected_rows:
            render.message(f"{result.rejected_rows} invalid rows {verb} skipped.")


def _read_input(name: str) -> bytes:
    from mentorctl.errors import InvalidInput

    if name == "-":
        return sys.stdin.buffer.read()
    path = Path(name)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InvalidInput(f"{name}: is a directory, not a CSV or YAML file") from None
    except OSError as exc:
        raise InvalidInput(f"{name}: cannot read: {exc.strerror}") from None


# --- members -------------------------------------------------------------------------------


@member_app.command("list")
def member_list(
    role: Annotated[Role | None, typer.Option(help="Only this role (both counts as each).")] = None,
    format_: FormatOption = TableFormat.table,
) -> None:
    """List members."""
    from mentorctl import render
    from mentorctl.members import list_members

    with open_store() as store:
        members = list_members(store, role.value if role else None)
    if format_ is TableFormat.json:
        render.print_json([{"id": m.id, "name": m.name, "role": m.role, "email": m.email,
                            "capacity": m.capacity, "available": m.available} for m in members])
    elif format_ is TableFormat.csv:
        render.write_csv(sys.stdout, ["id", "name", "email", "role", "capacity", "available"],
                         ([m.id, m.name, m.email, m.role, m.capacity, int(m.available)]
                          for m in members))
    else:
        render.print_table(
            ["id", "name", "role", "occupation", "location", "capacity", "available"],
            ([m.id, m.name, m.role, m.occupation or "", m.location or "",
              m.capacity if m.can_mentor else "", "yes" if m.available else "no"]
             for m in members),
            empty="No members yet: run `mentorctl import FILE`.",
        )


@member_app.command("show")
def member_show(
    ref: Annotated[str, typer.Argument(metavar="REF", help="Id, email or exact name.")],
    json_: JsonOption = False,
) -> None:
    """Show one member, with what their free text resolved to."""
    from mentorctl import render
    from mentorctl.members import find_member
    from mentorctl.profiles import member_profile

    with open_store() as store:
        member = find_member(store, ref)
        profile = member_profile(store, member)
    if json_:
        render.print_json(profile)
        return
    render.print_table(["field", "value"], _profile_rows(profile), title=member.name)


def _profile_rows(profile: dict):
    for key, value in profile.items():
        if key in ("resolved", "pairings", "extra"):
            continue
        if isinstance(value, list):
            value = "; ".join(map(str, value))
        yield key, "" if value is None else value
    for kind, entries in profile["resolved"].items():
        for entry in entries:
            canonical = entry["canonical"] or "(unresolved)"
            yield f"{kind} →", f"{entry['input']} → {canonical} [{entry['method']}]"
    for key, value in profile["extra"].items():
        yield key, value
    for pairing in profile["pairings"]:
        yield "pairing", (f"#{pairing['id']} {pairing['status']}: {pairing['mentee']} with "
                          f"{pairing['mentor']}")


@member_app.command("set")
def member_set(
    ref: Annotated[str, typer.Argument(metavar="REF", help="Id, email or exact name.")],
    capacity: Annotated[int | None, typer.Option(min=0, help="Open pairings at once.")] = None,
    available: Annotated[bool | None, typer.Option(
        "--available/--unavailable", help="Whether to match this member.")] = None,
    role: Annotated[Role | None, typer.Option(help="mentor, mentee or both.")] = None,
) -> None:
    """Change a member's capacity, availability or role."""
    from mentorctl import render
    from mentorctl.errors import UsageError
    from mentorctl.members import update_member

    if capacity is None and available is None and role is None:
        raise UsageError("nothing to change: give --capacity, --available/--unavailable or --role")
    with open_store() as store:
        member = update_member(store, ref, capacity=capacity, available=available,
                               role=role.value if role else None)
    render.message(
        f"{render.escape(member.id)}: role {member.role}, capacity {member.capacity}, "
        f"{'available' if member.available else 'unavailable'}"
    )


@member_app.command("promote")
def member_promote(
    ref: Annotated[str, typer.Argument(metavar="REF", help="Id, email or exact name.")],
) -> None:
    """Make a mentee a mentor too (role both); their history stays."""
    from mentorctl import render
    from mentorctl.members import promote_member

    with open_store() as store:
        member = promote_member(store, ref)
    render.message(
        f"{render.escape(member.name)} ({render.escape(member.id)}) can now mentor "
        f"(role both, capacity {member.capacity}). Change it with "
        f"`mentorctl member set {render.escape(member.id)} --capacity N`."
    )


# --- db and config -------------------------------------------------------------------------


@db_app.command("path")
def db_path_command() -> None:
    """Print the database file in use."""
    typer.echo(str(db_path()))


@db_app.command("backup")
def db_backup(
    dest: Annotated[str, typer.Argument(metavar="DEST", help="File (or folder) for the copy.")],
) -> None:
    """Write a consistent copy of the database (VACUUM INTO)."""
    from mentorctl import render

    with open_store() as store:
        written = store.backup(dest)
    render.message(f"Backed up {render.escape(store.path)} to {render.escape(written)}")


def main() -> None:
    app(prog_name="mentorctl")


# Command groups that live in their own modules register themselves on import.
from mentorctl import cli_demo, cli_match, cli_pairing, cli_program, cli_report  # noqa: E402,F401
