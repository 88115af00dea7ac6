"""`mentorctl import` and `mentorctl member ...`."""


from typing import Annotated

import typer

from mentorctl import api
from mentorctl.cli.context import RefArgument, Role, db
from mentorctl.cli.output import (
    Format,
    FormatOption,
    JsonOption,
    Table,
    chosen,
    emit,
    message,
    out,
    print_table,
    progressing,
)
from mentorctl.errors import ImportRejected, UsageError
from mentorctl.model import MAX_CAPACITY


def import_command(
    ctx: typer.Context,
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
    overwrite_edits: Annotated[bool, typer.Option(
        "--overwrite-edits",
        help="Take the file's values even for fields changed by hand (member set, promote, "
             "merge); by default those edits are kept.")] = False,
    encoding: Annotated[str | None, typer.Option(
        help="Text encoding of the files (default UTF-8, BOM or not), e.g. cp1252.")] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    save_map: Annotated[bool, typer.Option(
        "--save-map", help="Save the --map flags in the settings file, so the next export of "
        "the same form needs none.")] = False,
) -> None:
    """Import members from CSV or YAML: validated whole, written in one transaction.

    Columns are recognized by what their headers ask; the mapping used is printed on stderr
    (in full with --dry-run). --map maps any other column (COLUMN=extra keeps it as extra)."""
    if save_map and not map_:
        raise UsageError("--save-map saves the --map flags given with it: add --map COLUMN=FIELD")
    sources = api.read_sources(files)
    try:
        with progressing("Importing") as update:
            result = api.import_members(sources, db=db(ctx), mapping=map_ or [],
                                        role=role.value if role else None, encoding=encoding,
                                        skip_invalid=skip_invalid, dry_run=dry_run,
                                        overwrite_edits=overwrite_edits, on_progress=update)
    except ImportRejected as exc:
        if json_:
            emit(Format.json, exc.result.to_dict())
        else:
            show_columns(exc.result.columns, full=False)
        raise
    if not json_:
        show_columns(result.columns, full=dry_run)
    else:
        show_column_warnings(result.columns)
    if save_map:
        if dry_run:
            message("--save-map: nothing saved in a dry run.")
        else:
            path, kept = api.save_import_map(map_, db=db(ctx))
            message(f"Saved {len(map_)} column mapping{'s' * (len(map_) != 1)} under import.map "
                    f"in {path}" + ("" if kept else " (the file was rewritten whole: its "
                                    "comments are gone)"))
    if json_:
        emit(Format.json, result.to_dict())
        return
    for error in result.errors:
        message(str(error))
    out().print(
        f"{len(result.created)} created, {len(result.updated)} updated, "
        f"{len(result.unchanged)} unchanged, {result.rejected_rows} rejected"
        + (" (dry run: nothing written)" if dry_run else ""), markup=False)
    if result.rejected_rows:
        message(f"{result.rejected_rows} invalid rows {'would be' if dry_run else 'were'} "
                "skipped.")
    if result.edits_kept:
        shown = "; ".join(f"{member}: {name}" for member, name in result.edits_kept[:5])
        more = f" and {len(result.edits_kept) - 5} more" if len(result.edits_kept) > 5 else ""
        message(f"Kept {len(result.edits_kept)} value(s) changed by hand where the file differs "
                f"({shown}{more}); --overwrite-edits takes the file's values.")
    if result.duplicates:
        shown = "; ".join(f"{d.first} and {d.second} ({d.reason})" for d in result.duplicates[:5])
        more = f" and {len(result.duplicates) - 5} more" if len(result.duplicates) > 5 else ""
        message(f"Likely the same person twice: {shown}{more}. Check with `mentorctl member "
                "duplicates`; join two with `mentorctl member merge KEEP OTHER`.")


def show_columns(columns, *, full: bool) -> None:
    """How each file's columns were read, on stderr: a table (`full`), or one line per file;
    then a warning for each column kept as extra that looks like a member field."""
    files: dict[str, list] = {}
    for column in columns:
        files.setdefault(column.file, []).append(column)
    for file, file_columns in files.items():
        if full:
            message(f"{file}: columns")
            print_table(Table(["column", "field", "how"], (
                [c.column, c.field or "(kept as extra)", _how(c)] for c in file_columns)),
                stderr=True)
            continue
        mapped = ", ".join(f"{c.column} → {c.field}" for c in file_columns if c.field)
        kept = ", ".join(c.column for c in file_columns if not c.field and c.column)
        message(f"{file}: {mapped or 'no column mapped'}" + (f"; kept as extra: {kept}"
                                                              if kept else ""))
    show_column_warnings(columns)


def _how(column) -> str:
    if column.how in ("question", "answers"):
        return f"{column.how} ({column.score})"
    if column.looks_like:
        return f"looks like {column.looks_like}"
    return column.how


def show_column_warnings(columns) -> None:
    holder = {(c.file, c.field): c.column for c in columns if c.field}
    for column in columns:
        if column.field or not column.looks_like:
            continue
        other = holder.get((column.file, column.looks_like))
        taken = f" ({other!r} is {column.looks_like})" if other else ""
        message(f"Warning: {column.file}: column {column.column!r} looks like "
                f"{column.looks_like} but is kept as extra{taken}: map it with "
                f"--map '{column.column}={column.looks_like}'")


def member_list(
    ctx: typer.Context,
    role: Annotated[Role | None, typer.Option(help="Only this role (both counts as each).")] = None,
    format_: FormatOption = None,
    json_: JsonOption = False,
) -> None:
    """List members."""
    members = api.list_members(role=role.value if role else None, db=db(ctx))
    emit(chosen(format_, json_), [m.summary() for m in members],
         csv=(["id", "name", "email", "role", "capacity", "available"],
              ([m.id, m.name, m.email, m.role, m.capacity, int(m.available)] for m in members)),
         table=lambda: Table(
             ["id", "name", "role", "occupation", "location", "capacity", "available"],
             ([m.id, m.name, m.role, m.occupation or "", m.location or "",
               m.capacity if m.can_mentor else "", "yes" if m.available else "no"]
              for m in members),
             empty="No members yet: run `mentorctl import FILE`."))


def member_show(ctx: typer.Context, ref: RefArgument, format_: FormatOption = None,
                json_: JsonOption = False) -> None:
    """Show one member, with what their free text resolved to."""
    profile = api.show_member(ref, db=db(ctx))
    emit(chosen(format_, json_), profile.to_dict(),
         table=lambda: Table(["field", "value"], _profile_rows(profile.to_dict()),
                             title=profile.member.name))


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
            attrs = entry.get("attrs") or {}
            guess = "; ".join([attrs.get("guessed") or canonical, *attrs.get("alternatives", ())])
            yield f"{kind} →", (f"{entry['input']} → {canonical} [{entry['method']}]" +
                                (f" (a guess among: {guess})" if attrs.get("ambiguous") else ""))
    for key, value in profile["extra"].items():
        yield key, value
    for pairing in profile["pairings"]:
        yield "pairing", (f"#{pairing['id']} {pairing['status']}: {pairing['mentee']} with "
                          f"{pairing['mentor']}")


def member_set(
    ctx: typer.Context,
    ref: RefArgument,
    capacity: Annotated[int | None, typer.Option(min=0, max=MAX_CAPACITY,
                                                 help="Open pairings at once.")] = None,
    available: Annotated[bool | None, typer.Option(
        "--available/--unavailable", help="Whether to match this member.")] = None,
    role: Annotated[Role | None, typer.Option(help="mentor, mentee or both.")] = None,
) -> None:
    """Change a member's capacity, availability or role."""
    member = api.set_member(ref, capacity=capacity, available=available,
                            role=role.value if role else None, db=db(ctx))
    message(f"{member.id}: role {member.role}, capacity {member.capacity}, "
            f"{'available' if member.available else 'unavailable'}")


def member_promote(ctx: typer.Context, ref: RefArgument) -> None:
    """Make a mentee a mentor too (role both); their history stays."""
    member = api.promote_member(ref, db=db(ctx))
    message(f"{member.name} ({member.id}) can now mentor (role both, capacity "
            f"{member.capacity}). Change it with `mentorctl member set {member.id} "
            "--capacity N`.")
