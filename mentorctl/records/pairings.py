"""The shared dataclasses of one concern: pairings, their history and lifecycle steps, and exports.

Import them from `mentorctl.model`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Pairing:
    id: int
    mentee_id: str
    mentor_id: str
    mentee_name: str
    mentor_name: str
    status: str
    score: float | None
    shared: tuple[dict[str, str], ...] = field(hash=False)
    note: str | None
    created_at: str
    introduced_at: str | None
    started_at: str | None
    ended_at: str | None
    last_checkin_at: str | None
    updated_at: str
    # started_at + rules.term_weeks: when the pairing is meant to end (None: not started, no
    # term, or not asked for). Computed from the settings in force, never stored.
    expected_end: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The contract keys (id, mentee, mentor, status) first, then everything else."""
        return {
            "id": self.id, "mentee": self.mentee_id, "mentor": self.mentor_id,
            "status": self.status, "mentee_name": self.mentee_name,
            "mentor_name": self.mentor_name, "score": self.score,
            "shared": [dict(point) for point in self.shared], "note": self.note,
            "created_at": self.created_at, "introduced_at": self.introduced_at,
            "started_at": self.started_at, "ended_at": self.ended_at,
            "last_checkin_at": self.last_checkin_at, "updated_at": self.updated_at,
            "expected_end": self.expected_end,
        }


@dataclass(frozen=True)
class Event:
    id: int
    at: str
    kind: str
    pairing_id: int | None
    member_id: str | None
    old_state: str | None
    new_state: str | None
    note: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PairingDetail:
    """One pairing with its full history and the steps it may take next (`pairing show`)."""

    pairing: Pairing
    history: tuple[Event, ...]
    next_steps: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {**self.pairing.to_dict(), "next_steps": list(self.next_steps),
                "history": [e.to_dict() for e in self.history]}


@dataclass(frozen=True)
class TransitionResult:
    pairing: Pairing
    event: Event
    old_state: str
    verb: str = ""
    # `complete` only: the mentee's role is `mentee`, so `mentorctl member promote` applies.
    promotion_eligible: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {**self.pairing.to_dict(), "step": self.verb, "old_state": self.old_state,
                "promotion_eligible": self.promotion_eligible}


@dataclass(frozen=True)
class StepsResult:
    """One lifecycle step applied to several pairings at once (`api.steps`), in one transaction:
    every result, by pairing id."""

    verb: str
    results: tuple[TransitionResult, ...]

    @property
    def ids(self) -> list[int]:
        return [r.pairing.id for r in self.results]

    def ranges(self, limit: int = 6) -> str:
        """The ids as short text, `3-122, 130`."""
        from mentorctl.idranges import id_ranges

        return id_ranges(self.ids, limit=limit)

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.verb, "count": len(self.results), "ids": self.ids,
                "results": [r.to_dict() for r in self.results]}


# Why `pairing stale` lists a pairing (StalePairing.reasons).
STALE_REASONS = {
    "idle": "no check-in (active) or no progress (proposed, introduced) for the stale days",
    "paused_idle": "paused for rules.paused_idle_days or more",
    "past_term": "active or paused past its expected end (started + rules.term_weeks)",
}


@dataclass(frozen=True)
class StalePairing:
    pairing: Pairing
    days_idle: int
    last_activity: str
    next_action: str
    reasons: tuple[str, ...] = ("idle",)  # keys of STALE_REASONS
    why: str = ""  # the reasons in words: "no check-in for 30 days; past its term (due ...)"

    def to_dict(self) -> dict[str, Any]:
        p = self.pairing
        return {"id": p.id, "mentee": p.mentee_id, "mentor": p.mentor_id, "status": p.status,
                "mentee_name": p.mentee_name, "mentor_name": p.mentor_name,
                "days_idle": self.days_idle, "last_activity": self.last_activity,
                "next_action": self.next_action, "reasons": list(self.reasons), "why": self.why,
                "expected_end": p.expected_end}


@dataclass(frozen=True)
class ExpiredPairing:
    """A proposal nobody answered, declined by `pairing expire` (or, on a dry run, to be)."""

    pairing: Pairing  # after the decline (as it was, on a dry run)
    old_state: str  # proposed or introduced
    days_idle: int
    last_activity: str

    def to_dict(self) -> dict[str, Any]:
        p = self.pairing
        return {"id": p.id, "mentee": p.mentee_id, "mentor": p.mentor_id, "status": p.status,
                "old_state": self.old_state, "mentee_name": p.mentee_name,
                "mentor_name": p.mentor_name, "days_idle": self.days_idle,
                "last_activity": self.last_activity}


@dataclass(frozen=True)
class ExpireResult:
    """What `pairing expire` did: the proposals idle for `days` or more, declined with `reason`
    in one transaction (or only listed, on a dry run)."""

    days: int
    reason: str
    dry_run: bool
    expired: tuple[ExpiredPairing, ...]

    @property
    def ids(self) -> list[int]:
        return [e.pairing.id for e in self.expired]

    def ranges(self, limit: int = 6) -> str:
        from mentorctl.idranges import id_ranges

        return id_ranges(self.ids, limit=limit)

    def to_dict(self) -> dict[str, Any]:
        return {"days": self.days, "reason": self.reason, "dry_run": self.dry_run,
                "count": len(self.expired), "expired": [e.to_dict() for e in self.expired]}


@dataclass(frozen=True)
class ExportTable:
    """One export (`api.export_table`): its header and rows, as the CSV would hold them."""

    kind: str
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def to_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.header, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class SentMessage:
    """One email sent (or, on a dry run, that would be sent) for a pairing."""

    pairing_id: int
    to: tuple[str, ...]
    subject: str
    message_id: str | None  # None on a dry run

    def to_dict(self) -> dict[str, Any]:
        return {"pairing": self.pairing_id, "to": list(self.to), "subject": self.subject,
                "message_id": self.message_id}


@dataclass(frozen=True)
class SendReport:
    """What `send intros` or `send checkins` did: sent, refused by the server, or skipped."""

    sent: tuple[SentMessage, ...]
    refused: tuple[tuple[int, str], ...]  # (pairing, why)
    skipped: tuple[tuple[int, str], ...]  # (pairing, why)
    dry_run: bool

    def to_dict(self) -> dict[str, Any]:
        return {"sent": [m.to_dict() for m in self.sent],
                "refused": [{"pairing": p, "reason": r} for p, r in self.refused],
                "skipped": [{"pairing": p, "reason": r} for p, r in self.skipped],
                "dry_run": self.dry_run}


@dataclass(frozen=True)
class EmlExport:
    """What `export intros --format eml` wrote: one file per intro, and the pairs left out."""

    folder: str
    files: tuple[str, ...]
    skipped: tuple[tuple[int, str], ...]  # (pairing, why)

    def to_dict(self) -> dict[str, Any]:
        return {"folder": self.folder, "files": list(self.files),
                "skipped": [{"pairing": p, "reason": r} for p, r in self.skipped]}
