"""The pairing lifecycle: creating pairings under the hard rules, the state machine, history, stale.

```
proposed -> introduced -> active <-> paused
   |            |           |          |
   +-> declined +-> declined+-> completed (from active or paused)
   +-> ended    +-> ended   +-> ended
```

`completed`, `declined` and `ended` are final. Every change is one write transaction that updates
the pairing and records an event (kind `transition`, or `checkin` for a check-in) with its time, old
state, new state and note or reason. Creating pairings re-checks every rule that depends on the
database inside its write transaction (`BEGIN IMMEDIATE`), so two processes pairing at once can
never over-fill a mentor or give a mentee more open pairings than the program allows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mentorctl.errors import Conflict, InvalidInput, NotFound
from mentorctl.store import Store, dumps, now_iso, parse_time

STATES = ("proposed", "introduced", "active", "paused", "completed", "declined", "ended")
OPEN_STATES = ("proposed", "introduced", "active", "paused")
FINAL_STATES = ("completed", "declined", "ended")

# verb -> (the states it may start from, the state it leads to); checkin keeps the state.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "introduce": (("proposed",), "introduced"),
    "start": (("introduced",), "active"),
    "pause": (("active",), "paused"),
    "resume": (("paused",), "active"),
    "complete": (("active", "paused"), "completed"),
    "checkin": (("active",), None),
    "decline": (("proposed", "introduced"), "declined"),
    "end": (("proposed", "introduced", "active", "paused"), "ended"),
}
VERBS = tuple(TRANSITIONS)
REASON_REQUIRED = ("decline", "end")

_PAIRING_SQL = """
    SELECT p.*, e.name AS mentee_name, m.name AS mentor_name
    FROM pairings p
    LEFT JOIN members e ON e.id = p.mentee_id
    LEFT JOIN members m ON m.id = p.mentor_id
"""


@dataclass(frozen=True)
class Pairing:
    id: int
    mentee_id: str
    mentor_id: str
    mentee_name: str
    mentor_name: str
    status: str
    score: float | None
    shared: list[dict[str, str]] = field(hash=False)
    note: str | None
    created_at: str
    introduced_at: str | None
    started_at: str | None
    ended_at: str | None
    last_checkin_at: str | None
    updated_at: str

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

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
        return {"id": self.id, "at": self.at, "kind": self.kind, "pairing_id": self.pairing_id,
                "member_id": self.member_id, "old_state": self.old_state,
                "new_state": self.new_state, "note": self.note}


@dataclass(frozen=True)
class TransitionResult:
    pairing: Pairing
    event: Event
    old_state: str
    # `complete` only: the mentee's role is `mentee`, so `mentorctl member promote` applies.
    promotion_eligible: bool = False


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


# --- reading ----------------------------------------------------------------------------------


def _pairing(row: dict[str, Any]) -> Pairing:
    return Pairing(
        id=row["id"], mentee_id=row["mentee_id"], mentor_id=row["mentor_id"],
        mentee_name=row["mentee_name"] or row["mentee_id"],
        mentor_name=row["mentor_name"] or row["mentor_id"],
        status=row["status"], score=row["score"], shared=json.loads(row["shared"] or "[]"),
        note=row["note"], created_at=row["created_at"], introduced_at=row["introduced_at"],
        started_at=row["started_at"], ended_at=row["ended_at"],
        last_checkin_at=row["last_checkin_at"], updated_at=row["updated_at"],
    )


def _event(row: dict[str, Any]) -> Event:
    return Event(id=row["id"], at=row["at"], kind=row["kind"], pairing_id=row["pairing_id"],
                 member_id=row["member_id"], old_state=row["old_state"],
                 new_state=row["new_state"], note=row["note"])


def _check_states(statuses: Iterable[str]) -> list[str]:
    wanted = list(statuses)
    for status in wanted:
        if status not in STATES:
            raise InvalidInput(f"unknown pairing state {status!r}: use one of {', '.join(STATES)}")
    return wanted


def list_pairings(store: Store, statuses: Iterable[str] | None = None) -> list[Pairing]:
    """Every pairing (or those in `statuses`), by id."""
    if not statuses:
        rows = store.query(_PAIRING_SQL + " ORDER BY p.id")
    else:
        wanted = _check_states(statuses)
        marks = ", ".join("?" for _ in wanted)
        rows = store.query(_PAIRING_SQL + f" WHERE p.status IN ({marks}) ORDER BY p.id", wanted)
    return [_pairing(row) for row in rows]


def get_pairing(store: Store, pairing_id: int) -> Pairing:
    rows = store.query(_PAIRING_SQL + " WHERE p.id = ?", (pairing_id,))
    if not rows:
        raise NotFound(f"no pairing {pairing_id}; list them with `mentorctl pairing list`")
    return _pairing(rows[0])


def pairing_history(store: Store, pairing_id: int) -> list[Event]:
    """Every event of a pairing, oldest first."""
    get_pairing(store, pairing_id)
    rows = store.query("SELECT * FROM events WHERE pairing_id = ? ORDER BY at, id", (pairing_id,))
    return [_event(row) for row in rows]


# --- the state machine --------------------------------------------------------------------------


def allowed_verbs(status: str) -> list[str]:
    """The verbs that may be applied to a pairing in `status`, in the order of TRANSITIONS."""
    return [verb for verb, (sources, _) in TRANSITIONS.items() if status in sources]


def _refusal(pairing: Pairing, verb: str) -> str:
    if pairing.status in FINAL_STATES:
        return f"pairing {pairing.id} is {pairing.status} (final): no further steps"
    steps = ", ".join(allowed_verbs(pairing.status))
    why = "check-ins are for active pairings only" if verb == "checkin" else f"cannot {verb} it"
    return f"pairing {pairing.id} is {pairing.status}: allowed next steps are {steps}; {why}"


def transition(store: Store, pairing_id: int, verb: str, *, note: str | None = None,
               reason: str | None = None) -> TransitionResult:
    """Apply one lifecycle step (or a check-in) in one write transaction, recording an event."""
    if verb not in TRANSITIONS:
        raise InvalidInput(f"unknown step {verb!r}: use one of {', '.join(VERBS)}")
    note = note.strip() if note and note.strip() else None
    reason = reason.strip() if reason and reason.strip() else None
    if verb in REASON_REQUIRED and reason is None:
        raise InvalidInput(f"a reason is required to {verb} a pairing: add --reason TEXT")
    text = "; ".join(part for part in (reason, note) if part) or None
    sources, target = TRANSITIONS[verb]
    with store.write():
        before = get_pairing(store, pairing_id)
        if before.status not in sources:
            raise Conflict(_refusal(before, verb))
        at = now_iso()
        changes: dict[str, Any] = {"updated_at": at}
        if verb == "checkin":
            changes["last_checkin_at"] = at
            new_state = before.status
        else:
            new_state = target
            changes["status"] = new_state
            if verb == "introduce":
                changes["introduced_at"] = at
            elif verb == "start":
                changes["started_at"] = at
            elif new_state in FINAL_STATES:
                changes["ended_at"] = at
        assignments = ", ".join(f"{column} = :{column}" for column in changes)
        store.conn.execute(f"UPDATE pairings SET {assignments} WHERE id = :id",
                           {**changes, "id": pairing_id})
        cursor = store.conn.execute(
            "INSERT INTO events (at, kind, pairing_id, member_id, old_state, new_state, note) "
            "VALUES (?, ?, ?, NULL, ?, ?, ?)",
            (at, "checkin" if verb == "checkin" else "transition", pairing_id, before.status,
             new_state, text),
        )
        event = _event(store.query("SELECT * FROM events WHERE id = ?", (cursor.lastrowid,))[0])
        after = get_pairing(store, pairing_id)
        eligible = False
        if verb == "complete":
            role = store.scalar("SELECT role FROM members WHERE id = ?", (after.mentee_id,))
            eligible = role == "mentee"
    return TransitionResult(after, event, before.status, eligible)


def introduce(store: Store, pairing_id: int, *, note: str | None = None) -> TransitionResult:
    return transition(store, pairing_id, "introduce", note=note)


def start(store: Store, pairing_id: int, *, note: str | None = None) -> TransitionResult:
    return transition(store, pairing_id, "start", note=note)


def pause(store: Store, pairing_id: int, *, note: str | None = None) -> TransitionResult:
    return transition(store, pairing_id, "pause", note=note)


def resume(store: Store, pairing_id: int, *, note: str | None = None) -> TransitionResult:
    return transition(store, pairing_id, "resume", note=note)


def complete(store: Store, pairing_id: int, *, note: str | None = None) -> TransitionResult:
    return transition(store, pairing_id, "complete", note=note)


def checkin(store: Store, pairing_id: int, *, note: str | None = None) -> TransitionResult:
    return transition(store, pairing_id, "checkin", note=note)


def decline(store: Store, pairing_id: int, *, reason: str) -> TransitionResult:
    return transition(store, pairing_id, "decline", reason=reason)


def end(store: Store, pairing_id: int, *, reason: str) -> TransitionResult:
    return transition(store, pairing_id, "end", reason=reason)


# --- creating pairings ----------------------------------------------------------------------


class _PairRules:
    """The database-dependent rules for proposing pairs, loaded once and kept current in memory
    while a batch is created (inside its write transaction), so a batch of 50,000 pairs is checked
    with a handful of queries instead of several per pair."""

    SMALL = 200  # up to this many members, load only theirs

    def __init__(self, store: Store, member_ids: set[str]):
        if len(member_ids) <= self.SMALL:
            marks = ", ".join("?" * len(member_ids))
            ids = list(member_ids)
            members = store.query(
                f"SELECT id, role, available, capacity FROM members WHERE id IN ({marks})", ids)
            pairings = store.query(
                f"SELECT id, mentee_id, mentor_id, status FROM pairings WHERE mentee_id IN "
                f"({marks}) OR mentor_id IN ({marks}) ORDER BY id", ids + ids)
        else:
            members = store.query("SELECT id, role, available, capacity FROM members")
            pairings = store.query(
                "SELECT id, mentee_id, mentor_id, status FROM pairings ORDER BY id")
        self.members = {row["id"]: row for row in members}
        self.history: dict[tuple[str, str], list[tuple[int, str]]] = {}
        self.mentor_open: dict[str, int] = {}
        self.mentee_open: dict[str, list[tuple[int, str]]] = {}
        for row in pairings:
            self.record(row["id"], row["mentee_id"], row["mentor_id"], row["status"])

    def record(self, pairing_id: int, mentee_id: str, mentor_id: str, status: str) -> None:
        self.history.setdefault((mentee_id, mentor_id), []).append((pairing_id, status))
        if status in OPEN_STATES:
            self.mentor_open[mentor_id] = self.mentor_open.get(mentor_id, 0) + 1
            self.mentee_open.setdefault(mentee_id, []).append((pairing_id, mentor_id))

    def reason(self, mentee_id: str, mentor_id: str, max_open_per_mentee: int) -> str | None:
        for who, member_id in (("mentee", mentee_id), ("mentor", mentor_id)):
            if member_id not in self.members:
                return f"no {who} {member_id!r} in the program"
        if mentee_id == mentor_id:
            return f"{mentee_id} cannot mentor themself"
        mentor, mentee = self.members[mentor_id], self.members[mentee_id]
        if mentor["role"] not in ("mentor", "both"):
            return (f"{mentor_id} is a {mentor['role']}, not a mentor "
                    f"(promote them first: `mentorctl member promote {mentor_id}`)")
        if mentee["role"] not in ("mentee", "both"):
            return (f"{mentee_id} is a {mentee['role']}, not a mentee "
                    f"(change it with `mentorctl member set {mentee_id} --role both`)")
        if not mentor["available"]:
            return (f"mentor {mentor_id} is unavailable "
                    f"(`mentorctl member set {mentor_id} --available` to match them)")
        if not mentee["available"]:
            return (f"mentee {mentee_id} is unavailable "
                    f"(`mentorctl member set {mentee_id} --available` to match them)")
        history = self.history.get((mentee_id, mentor_id), [])
        for pairing_id, status in history:
            if status in OPEN_STATES:
                return (f"{mentee_id} and {mentor_id} already have an open pairing "
                        f"(#{pairing_id}, {status})")
        for pairing_id, status in history:
            if status in ("declined", "ended"):
                return (f"{mentee_id} and {mentor_id} were paired before and it was {status} "
                        f"(#{pairing_id}); such a pair is not paired again")
        mentor_open = self.mentor_open.get(mentor_id, 0)
        if mentor["capacity"] == 0:
            return (f"mentor {mentor_id} is not taking mentees (capacity 0; "
                    f"`mentorctl member set {mentor_id} --capacity N`)")
        if mentor_open >= mentor["capacity"]:
            return (f"mentor {mentor_id} has no capacity left ({mentor_open} of "
                    f"{mentor['capacity']} open pairings)")
        mentee_open = self.mentee_open.get(mentee_id, [])
        if len(mentee_open) >= max_open_per_mentee:
            where = ", ".join(f"#{pid} with {mid}" for pid, mid in mentee_open)
            return (f"mentee {mentee_id} already has {len(mentee_open)} open pairing"
                    f"{'s' if len(mentee_open) != 1 else ''} ({where}); at most "
                    f"{max_open_per_mentee} allowed (rules.max_open_pairings_per_mentee)")
        return None


def check_pair_allowed(store: Store, mentee_id: str, mentor_id: str,
                       max_open_per_mentee: int = 1) -> str | None:
    """Why this pair may not be proposed now (one line naming the members), or None if it may.

    The rules that depend on the database: roles, availability, the same person, a pair declined or
    ended before, an open pairing of the pair already, the mentor's capacity and the mentee's limit
    of open pairings. Call it inside the write transaction that creates the pairing.
    """
    rules = _PairRules(store, {mentee_id, mentor_id})
    return rules.reason(mentee_id, mentor_id, max_open_per_mentee)


def _field(pair: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        if isinstance(pair, dict) and name in pair:
            return pair[name]
        if hasattr(pair, name):
            return getattr(pair, name)
    return default


def _shared_dicts(shared: Iterable[Any] | None) -> list[dict[str, str]]:
    points = []
    for point in shared or ():
        if hasattr(point, "to_dict"):
            point = point.to_dict()
        points.append({"kind": str(point["kind"]), "text": str(point["text"])})
    return points


def create_pairings(store: Store, pairs: Iterable[Any], *, max_open_per_mentee: int | None = None,
                    note: str | None = None) -> list[Pairing]:
    """Propose pairings, all or none, in one write transaction; returns them in order.

    `pairs` holds objects (or dicts) with mentee_id (or mentee), mentor_id (or mentor), score and
    shared (SharedPoint objects or {kind, text} dicts); a `Plan` is accepted too (its `.pairs`).
    Every rule is checked inside the transaction, each pair seeing the ones created before it;
    the first violation raises Conflict and nothing is written.
    """
    if hasattr(pairs, "pairs"):
        pairs = pairs.pairs
    limit = 1 if max_open_per_mentee is None else int(max_open_per_mentee)
    note = note.strip() if note and note.strip() else None
    pairs = [(_field(pair, "mentee_id", "mentee"), _field(pair, "mentor_id", "mentor"),
              _field(pair, "score"), _field(pair, "shared")) for pair in pairs]
    if not pairs:
        return []
    with store.write():
        at = now_iso()
        rules = _PairRules(store, {a for a, *_ in pairs} | {b for _, b, *_ in pairs})
        first_id = (store.scalar("SELECT max(id) FROM pairings") or 0) + 1
        rows = []
        for offset, (mentee_id, mentor_id, score, shared) in enumerate(pairs):
            reason = rules.reason(mentee_id, mentor_id, limit)
            if reason:
                raise Conflict(f"cannot pair {mentee_id} with {mentor_id}: {reason}")
            rules.record(first_id + offset, mentee_id, mentor_id, "proposed")
            rows.append((first_id + offset, mentee_id, mentor_id,
                         None if score is None else float(score), dumps(_shared_dicts(shared)),
                         note, at, at))
        store.conn.executemany(
            "INSERT INTO pairings (id, mentee_id, mentor_id, status, score, shared, note, "
            "created_at, updated_at) VALUES (?, ?, ?, 'proposed', ?, ?, ?, ?, ?)", rows)
        store.conn.executemany(
            "INSERT INTO events (at, kind, pairing_id, old_state, new_state, note) "
            "VALUES (?, 'transition', ?, NULL, 'proposed', ?)",
            [(at, row[0], note) for row in rows])
        created = store.query(f"{_PAIRING_SQL} WHERE p.id BETWEEN ? AND ? ORDER BY p.id",
                              (first_id, first_id + len(rows) - 1))
        return [_pairing(row) for row in created]


# --- stale pairings -----------------------------------------------------------------------------

NEXT_ACTION = {"active": "check in", "proposed": "introduce them",
               "introduced": "start or decline"}


def stale_pairings(store: Store, days: float, now: str | datetime | None = None
                   ) -> list[StalePairing]:
    """Pairings gone quiet for `days` or more, the longest idle first.

    Active: no check-in for that long (counted from the start, or the resume after a pause, when
    there is no later check-in). Proposed or introduced: no state change for that long. Paused
    pairings are quiet on purpose and never listed.
    """
    if days < 0:
        raise InvalidInput(f"--days must be 0 or more, not {days}")
    moment = now if isinstance(now, datetime) else parse_time(now or now_iso())
    rows = store.query(
        """
        SELECT p.*, e.name AS mentee_name, m.name AS mentor_name,
               (SELECT max(ev.at) FROM events ev WHERE ev.pairing_id = p.id
                  AND (ev.kind = 'checkin' OR ev.new_state = 'active')) AS last_active_event,
               (SELECT max(ev.at) FROM events ev WHERE ev.pairing_id = p.id
                  AND ev.kind <> 'checkin') AS last_change_event
        FROM pairings p
        LEFT JOIN members e ON e.id = p.mentee_id
        LEFT JOIN members m ON m.id = p.mentor_id
        WHERE p.status IN ('proposed', 'introduced', 'active')
        """
    )
    found: list[StalePairing] = []
    for row in rows:
        if row["status"] == "active":
            candidates = (row["last_checkin_at"], row["started_at"], row["last_active_event"])
        else:
            candidates = (row["created_at"], row["introduced_at"], row["last_change_event"])
        last = max((value for value in candidates if value), default=row["created_at"])
        idle = (moment - parse_time(last)).total_seconds() / 86400
        if idle >= days:
            found.append(StalePairing(_pairing(row), int(idle), last, NEXT_ACTION[row["status"]]))
    found.sort(key=lambda s: (s.last_activity, s.pairing.id))
    return found
