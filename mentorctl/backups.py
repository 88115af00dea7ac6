"""Private backups taken before every command that changes many rows, and `db undo`.

Each backup is a consistent copy (VACUUM INTO) in a private folder beside the database,
`program.db` -> `program.db-backups/`, named by when it was taken and the command that followed:
`20261207T101500123456Z-pair-auto.db`. `undo` restores the newest backup taken before a command
and deletes it, so a second `undo` goes one command further back; before it restores anything it
copies the state being replaced (`...-before-undo.db`), which `restore` can bring back (a redo).
Restoring copies the backup's pages into the open database with SQLite's backup API, inside
SQLite's own locking: the file keeps its path and its permissions, and no other process ever
sees half a restore.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from mentorctl.errors import InvalidInput, MentorctlError, NotFound
from mentorctl.model import Backup, Restored
from mentorctl.store import Store

_NAME = re.compile(r"^(\d{8}T\d{12}Z)-([a-z0-9-]+)\.db$")
# Copies of the state an undo or restore replaced: kept for a redo, never picked by `undo`.
SAFETY = ("before-undo", "before-restore")


def backups_dir(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + "-backups")


def take(store: Store, command: str, keep: int) -> Path | None:
    """Copy the database before `command` changes it; None when it holds nothing to lose.

    Older backups beyond `keep` are deleted (the one just taken always stays).
    """
    if not store.scalar("SELECT EXISTS (SELECT 1 FROM members) OR EXISTS (SELECT 1 FROM pairings)"):
        return None
    folder = backups_dir(store.path)
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise MentorctlError(f"{folder}: cannot keep the backup taken before {command}: "
                             f"{exc.strerror or exc}") from None
    label = re.sub(r"[^a-z0-9]+", "-", command.lower()).strip("-") or "change"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = store.backup(folder / f"{stamp}-{label}.db")
    prune(store.path, max(keep, 1))
    return path


def list_backups(db_path: Path) -> list[Backup]:
    """The database's private backups, newest first."""
    folder = backups_dir(db_path)
    found = []
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(folder):
            match = _NAME.match(entry.name)
            if not match or not entry.is_file():
                continue
            found.append(Backup(path=Path(entry.path), taken_at=_when(match[1]),
                                before=match[2], size=entry.stat().st_size,
                                undoable=match[2] not in SAFETY))
    return sorted(found, key=lambda b: b.path.name, reverse=True)


def prune(db_path: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups; the paths deleted."""
    gone = []
    for old in list_backups(db_path)[keep:]:
        with contextlib.suppress(FileNotFoundError):
            old.path.unlink()
            gone.append(old.path)
    return gone


def undo(store: Store, keep: int) -> Restored:
    """Restore the state before the last command that took a backup, and use that backup up."""
    newest = next((b for b in list_backups(store.path) if b.undoable), None)
    if newest is None:
        raise NotFound(f"{store.path}: nothing to undo: no backup was taken before a command "
                       f"that changes many rows (they live in {backups_dir(store.path)})")
    restored = restore(store, newest.path, keep, safety="before-undo")
    newest.path.unlink()
    return restored


def restore(store: Store, source: str | os.PathLike, keep: int, *,
            safety: str = "before-restore") -> Restored:
    """Replace the database's content with a backup's, after copying the current state."""
    source = Path(source).expanduser()
    if source.exists() and source.resolve() == store.path.resolve():
        raise InvalidInput(f"{source}: that is the database itself; give a backup file "
                           "(`mentorctl db backups` lists them)")
    _check_backup(source)
    kept = take(store, safety, keep + 1)  # +1: the safety copy must not push out the source
    with contextlib.closing(sqlite3.connect(f"file:{source.resolve().as_posix()}?mode=ro",
                                            uri=True)) as reader:
        try:
            reader.backup(store.conn)
        except sqlite3.DatabaseError as exc:
            raise MentorctlError(f"{source}: cannot restore it: {exc}") from None
    store._wrote = True  # fold the restored pages into the file on close
    match = _NAME.match(source.name)
    return Restored(source=source, safety_copy=kept, taken_at=_taken_at(source),
                    before=match[2] if match else None)


def _check_backup(path: Path) -> None:
    """Refuse anything but a readable mentorctl database before touching the live one."""
    if not path.exists():
        raise InvalidInput(f"{path}: no such backup file")
    if not path.is_file():
        raise InvalidInput(f"{path}: not a regular file; give a backup file")
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path.resolve().as_posix()}?mode=ro",
                                                uri=True)) as conn:
            tables = {row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not {"members", "pairings", "events", "meta"} <= tables:
                raise InvalidInput(f"{path}: not a mentorctl database; nothing was restored")
            problem = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(f"{path}: not a readable database ({exc}); nothing was restored"
                           ) from None
    if problem != "ok":
        raise InvalidInput(f"{path}: the backup is damaged ({problem}); nothing was restored")


def _taken_at(path: Path) -> str | None:
    match = _NAME.match(path.name)
    return _when(match[1]) if match else None


def _when(stamp: str) -> str:
    """A backup file's time stamp as ISO 8601: '20261207T101500123456Z' -> '2026-12-07T10:15:00Z'."""
    return datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").strftime("%Y-%m-%dT%H:%M:%SZ")
