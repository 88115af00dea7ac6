"""Importing members, the roster, and what their free text resolves to."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from mentorctl.api.common import (
    PathLike,
    Progress,
    opened_store,
    read_sources,
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

    `mapping` maps column headers to fields: {"Your city": "location"}, or the command line's
    "Your city=location" strings.

    The whole input is validated first; nothing is written when a row is invalid (unless
    `skip_invalid`), and then `mentorctl.ingest.ImportRejected` carries the row errors. Every new
    text is resolved in the same transaction. A field the coordinator changed by hand keeps its
    value (`edits_kept`) unless `overwrite_edits`. Afterwards the members written are checked
    for likely duplicates (`duplicates`). A backup is taken first (`undo`).
    """
    import dataclasses

    from mentorctl.api.roster import take_backup
    from mentorctl.ingest import import_members as run_import
    from mentorctl.normalize import refresh_resolutions
    from mentorctl.readers import parse_mapping
    from mentorctl.roster import likely_duplicates

    if isinstance(mapping, Mapping):
        mapping = [f"{header}={field}" for header, field in mapping.items()]
    mapping = parse_mapping(list(mapping or []))
    sources = [f if isinstance(f, tuple) else read_sources([f])[0] for f in files]
    program = settings_in_force(db, settings)
    with opened_store(db) as store:
        if not dry_run:
            take_backup(store, "import", program)
        result = run_import(store, sources, mapping=mapping, role=role, encoding=encoding,
                            skip_invalid=skip_invalid, dry_run=dry_run,
                            overwrite_edits=overwrite_edits, on_progress=on_progress,
                            after_write=lambda s: refresh_resolutions(s, program.aliases))
        if dry_run:
            return result
        with store.read():
            found = likely_duplicates(store, {*result.created, *result.updated})
    return dataclasses.replace(result, duplicates=tuple(found))


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
    from mentorctl.normalize import resolve_texts

    _check_kind(kind)
    return resolve_texts(kind, list(texts), settings_in_force(db, settings).aliases.for_kind(kind))


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
