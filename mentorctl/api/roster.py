"""A living roster: likely duplicates, merging and removing members, and the backups that let a
coordinator undo a command that changed many rows."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from mentorctl.api.common import PathLike, database_path, opened_store, settings_in_force

if TYPE_CHECKING:
    from mentorctl.config import Settings
    from mentorctl.model import Backup, Duplicate, Merged, Removed, Restored
    from mentorctl.store import Store


@contextlib.contextmanager
def backup_before(store: Store, command: str, settings: Settings) -> Iterator[Path | None]:
    """A private copy taken before a command that changes many rows (see `undo`); deleted again
    when the command fails, as it then changed nothing."""
    from mentorctl.backups import take

    taken = take(store, command, settings.backups.keep)
    try:
        yield taken
    except BaseException:
        if taken is not None:
            taken.unlink(missing_ok=True)
        raise


def duplicates(*, db: PathLike | None = None) -> list[Duplicate]:
    """Pairs of members that are likely one person (same name, or one mailbox two ways)."""
    from mentorctl.roster import likely_duplicates

    with opened_store(db) as store, store.read():
        return likely_duplicates(store)


def merge_members(keep: str, other: str, *, db: PathLike | None = None,
                  settings: Settings | None = None) -> Merged:
    """Join two records of one person: OTHER's pairings, events, friendships and history move
    onto KEEP, KEEP's blank fields take OTHER's, and OTHER is deleted. A backup is taken first."""
    from mentorctl.roster import merge_members as merge

    program = settings_in_force(db, settings)
    with opened_store(db) as store, backup_before(store, "member merge", program):
        return merge(store, keep, other,
                     max_open_per_mentee=program.rules.max_open_pairings_per_mentee)


def remove_member(ref: str, *, db: PathLike | None = None,
                  settings: Settings | None = None) -> Removed:
    """Erase a person's personal data; their pairings (open ones ended first) and events stay,
    anonymized. The result names the private backups that still hold their data, including
    the one taken just before (so `db undo` can bring the person back until it is pruned)."""
    import dataclasses

    from mentorctl.backups import list_backups
    from mentorctl.program import snapshot_path
    from mentorctl.roster import remove_member as remove

    program = settings_in_force(db, settings)
    with opened_store(db) as store:
        with backup_before(store, "member remove", program):
            removed = remove(store, ref)
        # Rebuilt without free pages: text that earlier writes left in unused space goes too.
        store.conn.execute("VACUUM")
        # The scoring cache beside the database holds names: rebuilt without them when needed.
        snapshot_path(store.path).unlink(missing_ok=True)
        holding = tuple(b.path for b in list_backups(store.path))
    return dataclasses.replace(removed, backups=holding)


def backups(*, db: PathLike | None = None) -> list[Backup]:
    """The database's private backups, newest first."""
    from mentorctl.backups import list_backups

    return list_backups(database_path(db))


def prune_backups(keep: int, *, db: PathLike | None = None) -> list[Path]:
    """Delete all but the newest `keep` private backups (0: all of them); the files deleted."""
    from mentorctl.backups import prune

    return prune(database_path(db), keep)


def undo(*, db: PathLike | None = None, settings: Settings | None = None) -> Restored:
    """Restore the state before the last command that changed many rows."""
    from mentorctl.backups import undo as run_undo

    return _restoring(db, settings, lambda store, keep: run_undo(store, keep))


def restore(source: PathLike, *, db: PathLike | None = None,
            settings: Settings | None = None) -> Restored:
    """Replace the database's content with a backup (any `db backup` or private one); the
    state it replaces is kept as a private backup first."""
    from mentorctl.backups import restore as run_restore

    return _restoring(db, settings, lambda store, keep: run_restore(store, source, keep))


def _restoring(db, settings, action) -> Restored:
    from mentorctl.program import snapshot_path
    from mentorctl.store import Store

    program = settings_in_force(db, settings)
    with opened_store(db) as store:
        restored = action(store, program.backups.keep)
        snapshot_path(store.path).unlink(missing_ok=True)
    # A backup written by an older mentorctl gets this version's migrations on the next open.
    Store(database_path(db)).close()
    return restored
