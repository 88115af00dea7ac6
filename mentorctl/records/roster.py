"""The shared dataclasses of a living roster: removals, merges and the backups behind `db undo`.

Import them from `mentorctl.model`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Backup:
    """One private backup of the database, taken before a command that changed many rows."""

    path: Path
    taken_at: str  # UTC, ISO 8601
    before: str  # the command that followed it ("pair-auto"), or "before-undo"/"before-restore"
    size: int  # bytes
    undoable: bool  # `db undo` may pick it (copies taken by an undo or a restore are not)

    def to_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "taken_at": self.taken_at, "before": self.before,
                "size": self.size, "undoable": self.undoable}


@dataclass(frozen=True)
class Restored:
    source: Path  # the backup restored
    safety_copy: Path | None  # the state it replaced, restorable in turn (None: it was empty)
    taken_at: str | None  # when the restored backup was taken, if known
    before: str | None = None  # the command it was taken before, if a private backup

    def to_dict(self) -> dict[str, Any]:
        return {"source": str(self.source),
                "safety_copy": str(self.safety_copy) if self.safety_copy else None,
                "taken_at": self.taken_at, "before": self.before}


@dataclass(frozen=True)
class Removed:
    """What `member remove` did: the person's data erased, their history kept under a new id."""

    anonymous_id: str
    pairings_ended: tuple[int, ...]
    pairings_kept: int  # pairings (of any state) that stay in the history, anonymized
    backups: tuple[Path, ...]  # private backups that still hold the person's data

    def to_dict(self) -> dict[str, Any]:
        return {"anonymous_id": self.anonymous_id, "pairings_ended": list(self.pairings_ended),
                "pairings_kept": self.pairings_kept,
                "backups_holding_data": [str(p) for p in self.backups]}


@dataclass(frozen=True)
class Merged:
    """What `member merge KEEP OTHER` did."""

    kept: str
    merged: str
    pairings_moved: int
    events_moved: int
    friend_links_moved: int  # other members' friend lists that named the merged record
    filled: tuple[str, ...]  # the kept record's fields filled from the merged one
    role: str  # the kept record's role afterwards

    def to_dict(self) -> dict[str, Any]:
        return {"kept": self.kept, "merged": self.merged, "pairings_moved": self.pairings_moved,
                "events_moved": self.events_moved, "friend_links_moved": self.friend_links_moved,
                "filled": list(self.filled), "role": self.role}
