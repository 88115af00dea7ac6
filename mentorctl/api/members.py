"""Importing members, the roster, and what their free text resolves to."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mentorctl.api.common import (
    PathLike,
    Progress,
    opened_store,
    read_sources,
    settings_file,
    settings_in_force,
)
from mentorctl.errors import UsageError
from mentorctl.model import KINDS

if TYPE_CHECKING:
    from mentorctl.config import Settings
    from mentorctl.model import (
        ImportResult,
        Member,
        MemberProfile,
        Resolution,
        StoredResolution,
        Unresolved,
    )




def import_members(files: Sequence[PathLike | tuple[str, bytes]], *, db: PathLike | None = None,
                   settings: Settings | None = None,
                   mapping: Mapping[str, str] | Iterable[str] | None = None,
                   role: str | None = None, encoding: str | None = None,
                   skip_invalid: bool = False, dry_run: bool = False,
                   overwrite_edits: bool = False, on_progress: Progress = None) -> ImportResult:
    """Import members from CSV or YAML files (paths, or (name, bytes) pairs).

    Columns are recognized by what their headers ask (and what they hold); `mapping` maps any
    other: {"Your city": "location"}, or the command line's "Your city=location" strings (the
    field `extra` keeps a column as extra data). The settings' `import.map` applies too, and
    `mapping` wins over it. `ImportResult.columns` tells how each column was read; a file with
    no column for name or role raises `mentorctl.errors.MissingColumns`, which tells it too.

    The whole input is validated first; nothing is written when a row is invalid (unless
    `skip_invalid`), and then `mentorctl.ingest.ImportRejected` carries the row errors. Every new
    text is resolved in the same transaction. A field the coordinator changed by hand keeps its
    value (`edits_kept`) unless `overwrite_edits`. Afterwards the members written are checked
    for likely duplicates (`duplicates`). A backup is taken first (`undo`).
    """
    import contextlib
    import dataclasses

    from mentorctl.api.roster import backup_before
    from mentorctl.ingest import import_members as run_import
    from mentorctl.normalize import refresh_resolutions
    from mentorctl.readers import parse_mapping
    from mentorctl.roster import likely_duplicates

    program = settings_in_force(db, settings)
    saved = parse_mapping([f"{h}={f}" for h, f in program.imports.map.items()], "settings")
    columns = {**saved, **parse_mapping(_pairs(mapping), "--map")}
    sources = [f if isinstance(f, tuple) else read_sources([f])[0] for f in files]
    with opened_store(db) as store:
        with contextlib.nullcontext() if dry_run else backup_before(store, "import", program):
            result = run_import(store, sources, mapping=columns, role=role, encoding=encoding,
                                skip_invalid=skip_invalid, dry_run=dry_run,
                                overwrite_edits=overwrite_edits, on_progress=on_progress,
                                after_write=lambda s: refresh_resolutions(s, program.aliases))
        if dry_run:
            return result
        with store.read():
            found = likely_duplicates(store, {*result.created, *result.updated})
    return dataclasses.replace(result, duplicates=tuple(found))


def _pairs(mapping: Mapping[str, str] | Iterable[str] | None) -> list[str]:
    if isinstance(mapping, Mapping):
        return [f"{header}={field}" for header, field in mapping.items()]
    return list(mapping or [])


def save_import_map(mapping: Mapping[str, str] | Iterable[str], *,
                    db: PathLike | None = None) -> tuple[Path, bool]:
    """Add column mappings ({"Header": field} or "Header=field" strings) to the settings' import
    map, so later imports apply them without --map. Returns (the settings file, whether its
    comments were kept: False when the file had to be rewritten whole)."""
    from mentorctl.config import save_import_map as save
    from mentorctl.readers import parse_mapping

    pairs = _pairs(mapping)
    parse_mapping(pairs)  # the same checks as --map, before anything is written
    wanted = {}
    for pair in pairs:
        header, _, target = pair.rpartition("=")
        wanted[header.strip()] = target.strip().lower()
    path = settings_file(db)
    return path, save(path, wanted)


def list_members(*, role: str | None = None, db: PathLike | None = None) -> list[Member]:
    """Every member by id; `role="mentor"` includes members who are both, likewise mentee."""
    from mentorctl.members import list_members as members

    with opened_store(db) as store:
        return members(store, role)


def show_member(ref: str, *, db: PathLike | None = None,
                settings: Settings | None = None) -> MemberProfile:
    """One member (by id, email or exact name) with what their text resolved to and pairings."""
    from mentorctl.members import find_member, member_profile
    from mentorctl.normalize import resolutions_in_force

    program = settings_in_force(db, settings)
    with opened_store(db) as store:
        member = find_member(store, ref)
        return member_profile(store, member, resolutions_in_force(store, program.aliases))


def set_member(ref: str, *, capacity: int | None = None, available: bool | None = None,
               role: str | None = None, db: PathLike | None = None) -> Member:
    """Change a member's capacity, availability or role."""
    from mentorctl.members import update_member

    if capacity is None and available is None and role is None:
        raise UsageError("nothing to change: give --capacity, --available/--unavailable or --role")
    with opened_store(db) as store:
        return update_member(store, ref, capacity=capacity, available=available, role=role)


def promote_member(ref: str, *, db: PathLike | None = None) -> Member:
    """A mentee becomes a mentor too (role `both`), keeping their history."""
    from mentorctl.members import promote_member as promote

    with opened_store(db) as store:
        return promote(store, ref)


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise UsageError(f"unknown kind {kind!r}: use {', '.join(KINDS)}")


def resolve(kind: str, texts: Sequence[str], *, db: PathLike | None = None,
            settings: Settings | None = None) -> list[Resolution]:
    """What each text resolves to (the program's aliases included); touches no database."""
    from mentorctl.ingest import MAX_CHARS, MAX_ITEM_CHARS
    from mentorctl.normalize import resolve_texts

    _check_kind(kind)
    texts = list(texts)
    # What import takes for one such text: no longer text is ever stored, and an unbounded
    # argument would cost the resolvers time for nothing.
    limit = MAX_CHARS.get(kind, MAX_ITEM_CHARS)
    for number, text in enumerate(texts, 1):
        if len(text) > limit:
            raise UsageError(f"text {number} is {len(text):,} characters; import takes at most "
                             f"{limit:,} for one {kind}")
    return resolve_texts(kind, texts, settings_in_force(db, settings).aliases.for_kind(kind))


def unresolved(kind: str | None = None, *, db: PathLike | None = None,
               settings: Settings | None = None) -> list[Unresolved]:
    """The program's text that resolved to nothing, the most frequent first."""
    from mentorctl.normalize import resolutions_in_force, unresolved_texts

    if kind is not None:
        _check_kind(kind)
    program = settings_in_force(db, settings)
    with opened_store(db) as store:
        return unresolved_texts(store, resolutions_in_force(store, program.aliases), kind)


def resolutions(kind: str | None = None, *, db: PathLike | None = None,
                settings: Settings | None = None) -> list[StoredResolution]:
    """Every distinct text of the program beside what it resolves to, most frequent first."""
    from mentorctl.normalize import resolutions_in_force, stored_resolutions

    if kind is not None:
        _check_kind(kind)
    program = settings_in_force(db, settings)
    with opened_store(db) as store:
        return stored_resolutions(store, resolutions_in_force(store, program.aliases), kind)
