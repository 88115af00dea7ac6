"""The frozen dataclasses every layer shares: what `mentorctl.api` returns.

Import them from `mentorctl.model`, which loads this module on first use (building twenty
dataclasses takes about 25 ms that `mentorctl --help` should not pay). This module needs none
of the model's constants, so the two never import each other.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving one input string.

    key:       a stable identifier of the canonical entry (e.g. "occ:registered-nurse",
               "school:mit", "place:5391959"); two inputs share a point iff their keys are equal.
    canonical: the entry's display name ("Registered Nurse", "Massachusetts Institute of
               Technology", "San Francisco, California, United States").
    score:     0-100, how sure the resolver is.
    method:    one of METHODS.
    attrs:     kind-specific facts. occupation: family, seniority (int or None), seniority_label.
               school: country. place: city, region, country, country_code, lat, lon, population,
               radius_km (for metro areas).
    """

    input: str
    canonical: str | None
    key: str | None
    score: float
    method: str
    attrs: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def resolved(self) -> bool:
        return self.key is not None

    def to_dict(self) -> dict[str, Any]:
        """The `resolve --json` item."""
        return {"input": self.input, "canonical": self.canonical, "score": round(self.score, 1),
                "method": self.method, **({"attrs": self.attrs} if self.attrs else {})}


def unresolved(text: str) -> Resolution:
    return Resolution(input=text, canonical=None, key=None, score=0.0, method="unresolved")


@dataclass(frozen=True)
class Unresolved:
    """Text of the program that resolved to nothing, and how many members wrote it."""

    kind: str
    text: str
    members: int

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "members": self.members}


@dataclass(frozen=True)
class StoredResolution:
    """A distinct text of the program beside what it resolved to (`api.resolutions`)."""

    kind: str
    text: str
    canonical: str | None
    method: str
    score: float
    members: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- members ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    role: str
    email: str | None = None
    occupation: str | None = None
    schools: tuple[str, ...] = ()
    location: str | None = None
    interests: tuple[str, ...] = ()
    friends: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    capacity: int = 1
    available: bool = True
    goals: str | None = None
    bio: str | None = None
    organization: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    promoted_at: str | None = None
    created_at: str | None = None
    updated_at: str | None = None

    @property
    def can_mentor(self) -> bool:
        return self.role != "mentee"  # mentor or both (model.MENTOR_ROLES)

    def to_dict(self) -> dict[str, Any]:
        """Every field; the list fields (tuples here) as lists."""
        return {key: list(value) if isinstance(value, tuple) else value
                for key, value in asdict(self).items()}

    def summary(self) -> dict[str, Any]:
        """The `member list --format json` item."""
        return {"id": self.id, "name": self.name, "role": self.role, "email": self.email,
                "capacity": self.capacity, "available": self.available}


@dataclass(frozen=True)
class MemberProfile:
    """A member as `member show` presents it: what they wrote, what it resolved to, pairings."""

    member: Member
    resolved: dict[str, list[dict[str, Any]]]  # kind -> [{input, canonical, method, score}]
    pairings: tuple[dict[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        return {**self.member.to_dict(), "resolved": self.resolved,
                "pairings": [dict(p) for p in self.pairings]}


@dataclass(frozen=True)
class RowError:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "field": self.field,
                "message": f"{self.field}: {self.message}"}


@dataclass(frozen=True)
class ImportResult:
    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    errors: tuple[RowError, ...] = ()
    rejected_rows: int = 0
    dry_run: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The `import --json` contract."""
        return {"created": len(self.created), "updated": len(self.updated),
                "unchanged": len(self.unchanged), "rejected": self.rejected_rows,
                "errors": [e.to_dict() for e in self.errors], "dry_run": self.dry_run}


# --- matching ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SharedPoint:
    kind: str  # one of FEATURES
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "text": self.text}


def shared_dicts(shared) -> list[dict[str, str]]:
    """Shared points (SharedPoint or {kind, text} dicts) as plain dicts."""
    return [p.to_dict() if isinstance(p, SharedPoint) else {"kind": str(p["kind"]),
                                                             "text": str(p["text"])}
            for p in shared or ()]


@dataclass(frozen=True)
class Suggestion:
    mentor: str
    name: str
    score: float
    shared: tuple[SharedPoint, ...]
    features: dict[str, float] = field(default_factory=dict, hash=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The `suggest --json` item."""
        return {"mentor": self.mentor, "name": self.name, "score": self.score,
                "shared": [p.to_dict() for p in self.shared]}


@dataclass(frozen=True)
class SuggestResult:
    mentee: str
    suggestions: tuple[Suggestion, ...]
    reason: str | None  # why the list is empty, when it is
    mentee_name: str = ""
    open_pairings: int = 0  # the mentee's open pairings as mentee
    at_limit: bool = False  # they already have as many open pairings as the rules allow

    def to_dict(self) -> dict[str, Any]:
        """The `suggest --all --json` item."""
        return {"mentee": self.mentee,
                "suggestions": [s.to_dict() for s in self.suggestions],
                **({"reason": self.reason} if self.reason else {})}


@dataclass(frozen=True)
class PlannedPair:
    mentee: str
    mentor: str
    score: float
    shared: tuple[SharedPoint, ...]
    mentee_name: str = ""
    mentor_name: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"mentee": self.mentee, "mentor": self.mentor, "score": self.score,
                "shared": [p.to_dict() for p in self.shared]}


@dataclass(frozen=True)
class Unmatched:
    mentee: str
    reason: str
    name: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"mentee": self.mentee, "reason": self.reason}


@dataclass(frozen=True)
class Plan:
    pairs: tuple[PlannedPair, ...]
    total_score: float
    unmatched: tuple[Unmatched, ...]
    solver: str
    candidate_pairs: int

    def to_dict(self) -> dict[str, Any]:
        return {"pairs": [pair.to_dict() for pair in self.pairs],
                "total_score": self.total_score,
                "unmatched": [u.to_dict() for u in self.unmatched],
                "solver": self.solver, "candidate_pairs": self.candidate_pairs}


@dataclass(frozen=True)
class Intro:
    mentee: str
    mentor: str
    to: tuple[str, ...]
    subject: str
    body: str
    shared: tuple[SharedPoint, ...]
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"mentee": self.mentee, "mentor": self.mentor, "to": list(self.to),
                "subject": self.subject, "body": self.body, "score": self.score,
                "shared": [p.to_dict() for p in self.shared]}

    def markdown(self) -> str:
        return f"## {self.subject}\n\n" + self.body.replace("\n- ", "\n* ")

    def text(self) -> str:
        return f"To: {', '.join(self.to)}\nSubject: {self.subject}\n\n{self.body}"


# --- pairings ---------------------------------------------------------------------------------


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
class StalePairing:
    pairing: Pairing
    days_idle: int
    last_activity: str
    next_action: str

    def to_dict(self) -> dict[str, Any]:
        p = self.pairing
        return {"id": p.id, "mentee": p.mentee_id, "mentor": p.mentor_id, "status": p.status,
                "mentee_name": p.mentee_name, "mentor_name": p.mentor_name,
                "days_idle": self.days_idle, "last_activity": self.last_activity,
                "next_action": self.next_action}


@dataclass(frozen=True)
class PairResult:
    """`pair MENTEE MENTOR`: the pairing proposed, or with dry_run the one that would be."""

    mentee: Member
    mentor: Member
    score: float
    shared: tuple[SharedPoint, ...]
    pairing: Pairing | None  # None on a dry run

    def to_dict(self) -> dict[str, Any]:
        if self.pairing is not None:
            return self.pairing.to_dict()
        return {"mentee": self.mentee.id, "mentor": self.mentor.id, "score": self.score,
                "shared": [p.to_dict() for p in self.shared], "dry_run": True}


@dataclass(frozen=True)
class AutoPairResult:
    """`pair --auto`: the plan, and the pairings written from it (none on a dry run)."""

    plan: Plan
    created: tuple[Pairing, ...]
    dry_run: bool

    def to_dict(self) -> dict[str, Any]:
        """The `pair --auto --json` contract, with the pairing id of each created pair."""
        by_pair = {(p.mentee_id, p.mentor_id): p.id for p in self.created}
        result = self.plan.to_dict()
        result.update({
            "pairs": [{**pair.to_dict(), "pairing": by_pair.get((pair.mentee, pair.mentor))}
                      for pair in self.plan.pairs],
            "created": len(self.created),
            "dry_run": self.dry_run,
        })
        return result


@dataclass(frozen=True)
class ExportTable:
    """One export (`api.export_table`): its header and rows, as the CSV would hold them."""

    kind: str
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def to_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.header, row, strict=True)) for row in self.rows]
