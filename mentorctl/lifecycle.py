"""The pairing lifecycle: creating pairings under the hard rules, the state machine and history.

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

A step applies to one pairing or to many at once (`apply_steps`: ids, ranges, or every pairing in
a state), all or none. Stale pairings, terms and expiry live in `mentorctl.terms`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

from mentorctl.errors import Conflict, InvalidInput, NotFound, UsageError
from mentorctl.model import (
    FINAL_STATES,
    REASON_REQUIRED,
    STATES,
    TRANSITIONS,
    VERBS,
    Event,
    Pairing,
    TransitionResult,
    allowed_verbs,
)
from mentorctl.store import Store, dumps, now_iso, parse_time

_PAIRING_SQL = """
    SELECT p.*, e.name AS mentee_name, m.name AS mentor_name
    FROM pairings p
    LEFT JOIN members e ON e.id = p.mentee_id
    LEFT JOIN members m ON m.id = p.mentor_id
"""


# --- reading ----------------------------------------------------------------------------------


def pairing_from_row(row: dict[str, Any], term_weeks: int = 0) -> Pairing:
    """A pairing from a row of _PAIRING_SQL; `term_weeks` fills in its expected end."""
    return Pairing(
        id=row["id"], mentee_id=row["mentee_id"], mentor_id=row["mentor_id"],
        mentee_name=row["mentee_name"] or row["mentee_id"],
        mentor_name=row["mentor_name"] or row["mentor_id"],
        status=row["status"], score=row["score"],
        shared=tuple(json.loads(row["shared"] or "[]")),
        note=row["note"], created_at=row["created_at"], introduced_at=row["introduced_at"],
        started_at=row["started_at"], ended_at=row["ended_at"],
        last_checkin_at=row["last_checkin_at"], updated_at=row["updated_at"],
        expected_end=expected_end(row["started_at"], term_weeks) if term_weeks else None,
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
    return [pairing_from_row(row) for row in rows]


def get_pairing(store: Store, pairing_id: int) -> Pairing:
    rows = store.query(_PAIRING_SQL + " WHERE p.id = ?", (pairing_id,))
    if not rows:
        raise NotFound(f"no pairing {pairing_id}; list them with `mentorctl pairing list`")
    return pairing_from_row(rows[0])


def pairing_history(store: Store, pairing_id: int) -> list[Event]:
    """Every event of a pairing, oldest first."""
    get_pairing(store, pairing_id)
    rows = store.query("SELECT * FROM events WHERE pairing_id = ? ORDER BY at, id", (pairing_id,))
    return [_event(row) for row in rows]


# --- the state machine --------------------------------------------------------------------------


def _refusal(pairing: Pairing, verb: str) -> str:
    if pairing.status in FINAL_STATES:
        return f"pairing {pairing.id} is {pairing.status} (final): no further steps"
    steps = ", ".join(allowed_verbs(pairing.status))
    why = "check-ins are for active pairings only" if verb == "checkin" else f"cannot {verb} it"
    return f"pairing {pairing.id} is {pairing.status}: allowed next steps are {steps}; {why}"


def select_pairings(store: Store, ids: Sequence[int] = (), statuses: Iterable[str] = ()
                    ) -> list[Pairing]:
    """The pairings chosen by id, by state, or both (the ids in those states), by id.

    An id that names no pairing is an error (NotFound), even when `statuses` would have left it
    out: a typo in a range should never pass silently.
    """
    return [pairing_from_row(row) for row in _selected_rows(store, ids, statuses)]


def _selected_rows(store: Store, ids: Sequence[int], statuses: Iterable[str]
                   ) -> list[dict[str, Any]]:
    """The rows (of _PAIRING_SQL) of `select_pairings`: one query, whatever the number."""
    wanted = _check_states(statuses)
    if not ids and not wanted:
        raise UsageError("choose pairings: give their ids (e.g. 3 7 10-50) or --status STATE")
    if not ids:
        marks = ", ".join("?" for _ in wanted)
        return store.query(_PAIRING_SQL + f" WHERE p.status IN ({marks}) ORDER BY p.id", wanted)
    ids = list(dict.fromkeys(ids))
    if len(ids) == 1:
        rows = store.query(_PAIRING_SQL + " WHERE p.id = ?", (ids[0],))
    else:
        rows = store.query(_PAIRING_SQL + " WHERE p.id IN (SELECT value FROM json_each(?)) "
                           "ORDER BY p.id", (json.dumps(ids),))
    if len(rows) < len(ids):
        from mentorctl.idranges import id_ranges

        missing = sorted(set(ids) - {row["id"] for row in rows})
        if len(ids) == 1:
            raise NotFound(f"no pairing {ids[0]}; list them with `mentorctl pairing list`")
        raise NotFound(f"no pairing{'s' * (len(missing) > 1)} {id_ranges(missing)} "
                       f"({len(missing):,} of the {len(ids):,} ids given), so nothing was "
                       "changed; list them with `mentorctl pairing list`")
    return [row for row in rows if row["status"] in wanted] if wanted else rows


def _bulk_refusal(chosen: list[dict], offenders: list[dict], verb: str) -> str:
    if len(chosen) == 1:
        return _refusal(pairing_from_row(offenders[0]), verb)
    sources = TRANSITIONS[verb][0]
    shown = ", ".join(f"{p['id']} ({p['status']})" for p in offenders[:5])
    more = f" and {len(offenders) - 5:,} more" if len(offenders) > 5 else ""
    action = "check in on" if verb == "checkin" else verb
    return (f"cannot {action} {len(offenders):,} of the {len(chosen):,} pairings chosen, so none "
            f"was changed: {shown}{more}; only {' or '.join(sources)} pairings can take this "
            f"step (add --status {sources[0]} to choose just those)")


def apply_steps(store: Store, verb: str, ids: Sequence[int] = (), statuses: Iterable[str] = (),
                *, note: str | None = None, reason: str | None = None, at: str | None = None,
                term_weeks: int = 0) -> list[TransitionResult]:
    """Apply one lifecycle step (or a check-in) to every pairing chosen (`select_pairings`), all
    or none, in one write transaction, recording one event each; the results by pairing id.

    Every pairing chosen must be able to take the step: if one cannot, Conflict names the ones
    that cannot (the first few, and how many) and nothing is written. Nothing chosen (a state
    with no pairings in it) is no error: the result is empty. `at` is the time recorded (default
    now); `term_weeks` fills in each pairing's expected end (0: none).
    """
    if verb not in TRANSITIONS:
        raise InvalidInput(f"unknown step {verb!r}: use one of {', '.join(VERBS)}")
    note = note.strip() if note and note.strip() else None
    reason = reason.strip() if reason and reason.strip() else None
    if verb in REASON_REQUIRED and reason is None:
        raise InvalidInput(f"a reason is required to {verb} a pairing: add --reason TEXT")
    text = "; ".join(part for part in (reason, note) if part) or None
    sources, target = TRANSITIONS[verb]
    with store.write():
        chosen = _selected_rows(store, ids, statuses)
        offenders = [row for row in chosen if row["status"] not in sources]
        if offenders:
            raise Conflict(_bulk_refusal(chosen, offenders, verb))
        if not chosen:
            return []
        at = at or now_iso()
        changes: dict[str, Any] = {"updated_at": at}
        if verb == "checkin":
            changes["last_checkin_at"] = at
        else:
            changes["status"] = target
            if verb == "introduce":
                changes["introduced_at"] = at
            elif verb == "start":
                changes["started_at"] = at
            elif target in FINAL_STATES:
                changes["ended_at"] = at
        assignments = ", ".join(f"{column} = :{column}" for column in changes)
        chosen_ids = json.dumps([row["id"] for row in chosen])
        store.conn.execute(f"UPDATE pairings SET {assignments} WHERE id IN "
                           "(SELECT value FROM json_each(:ids))", {**changes, "ids": chosen_ids})
        kind = "checkin" if verb == "checkin" else "transition"
        first_event = (store.scalar("SELECT max(id) FROM events") or 0) + 1
        events = [Event(first_event + k, at, kind, row["id"], None, row["status"],
                        target or row["status"], text) for k, row in enumerate(chosen)]
        store.conn.executemany(
            "INSERT INTO events (id, at, kind, pairing_id, member_id, old_state, new_state, note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(e.id, e.at, e.kind, e.pairing_id, e.member_id, e.old_state, e.new_state, e.note)
             for e in events])
        promotable: set[str] = set()
        if verb == "complete":
            promotable = {row["id"] for row in store.query(
                "SELECT id FROM members WHERE role = 'mentee' AND id IN "
                "(SELECT value FROM json_each(?))", (json.dumps([row["mentee_id"] for row in chosen]),))}
    return [TransitionResult(pairing_from_row({**row, **changes}, term_weeks), event,
                             row["status"], verb, row["mentee_id"] in promotable)
            for row, event in zip(chosen, events, strict=True)]


def expected_end(started_at: str | None, term_weeks: int) -> str | None:
    """When a pairing that started at `started_at` is meant to end: `term_weeks` later (None when
    it never started, or the program sets no term)."""
    if not started_at or not term_weeks:
        return None
    return (parse_time(started_at) + timedelta(weeks=term_weeks)).strftime("%Y-%m-%dT%H:%M:%SZ")


def with_term(pairing: Pairing, term_weeks: int) -> Pairing:
    """The pairing with its expected end filled in."""
    return replace(pairing, expected_end=expected_end(pairing.started_at, term_weeks))


def transition(store: Store, pairing_id: int, verb: str, *, note: str | None = None,
               reason: str | None = None) -> TransitionResult:
    """Apply one lifecycle step (or a check-in) in one write transaction, recording an event."""
    return apply_steps(store, verb, [pairing_id], note=note, reason=reason)[0]


def record_reminder(store: Store, pairing_id: int, note: str) -> Event:
    """A check-in reminder sent to a pair: an event in its history. It changes no state and is
    no sign of life: the pair stays stale until they check in."""
    with store.write():
        get_pairing(store, pairing_id)
        cursor = store.conn.execute(
            "INSERT INTO events (at, kind, pairing_id, member_id, old_state, new_state, note) "
            "SELECT ?, 'reminder', id, NULL, NULL, NULL, ? FROM pairings WHERE id = ?",
            (now_iso(), note, pairing_id))
        return _event(store.query("SELECT * FROM events WHERE id = ?", (cursor.lastrowid,))[0])


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


def refusals(store: Store, pairs: list[tuple[str, str]], rules, *, by_hand: bool,
             in_order: bool = True) -> list[str | None]:
    """For each (mentee id, mentor id), why it may not be proposed now (one line naming them), or
    None. Read from the database: call it inside the write transaction that creates them."""
    import numpy as np  # here, not at the top: `report` and the lifecycle steps never need it

    from mentorctl.rules import EXPLAIN_ORDER, Rule, check, explain, load_facts

    facts, index = load_facts(store.conn, {x for pair in pairs for x in pair}, rules)
    reasons: list[str | None] = [None] * len(pairs)
    known = []
    for k, (mentee_id, mentor_id) in enumerate(pairs):
        for who, member_id in (("mentee", mentee_id), ("mentor", mentor_id)):
            if member_id not in index and reasons[k] is None:
                reasons[k] = f"no {who} {member_id!r} in the program"
        if reasons[k] is None:
            known.append(k)
    removed = {row[0] for row in store.conn.execute(
        "SELECT id FROM members WHERE removed_at IS NOT NULL AND id IN "
        f"({', '.join('?' * len(index))})", list(index))} if index else set()
    for k in list(known):
        gone = [x for x in pairs[k] if x in removed]
        if gone:
            reasons[k] = f"{gone[0]} was removed from the program"
            known.remove(k)
    if known:
        e = np.array([index[pairs[k][0]] for k in known], dtype=np.int64)
        m = np.array([index[pairs[k][1]] for k in known], dtype=np.int64)
        refused = check(facts, e, m, by_hand=by_hand, in_order=in_order, order=EXPLAIN_ORDER)
        for k, i, j, rule in zip(known, e.tolist(), m.tolist(), refused.tolist(), strict=True):
            if rule != Rule.OK:
                reasons[k] = explain(facts, i, j, Rule(rule))
    return reasons


def check_pair_allowed(store: Store, mentee_id: str, mentor_id: str, rules, *,
                       by_hand: bool = True) -> str | None:
    """Why this pair may not be proposed now (one line naming the members), or None if it may."""
    return refusals(store, [(mentee_id, mentor_id)], rules, by_hand=by_hand)[0]


def _field(pair: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        if isinstance(pair, dict) and name in pair:
            return pair[name]
        if hasattr(pair, name):
            return getattr(pair, name)
    return default


def create_pairings(store: Store, pairs: Iterable[Any], rules, *, note: str | None = None,
                    by_hand: bool = False) -> list[Pairing]:
    """Propose pairings, all or none, in one write transaction; returns them in order.

    `pairs` holds objects (or dicts) with mentee_id (or mentee), mentor_id (or mentor), score and
    shared (SharedPoint objects or {kind, text} dicts); `rules` is the program's `Rules`.
    Every rule is checked inside the transaction, each pair seeing the ones created before it;
    the first violation raises Conflict and nothing is written.
    """
    from mentorctl.model import shared_dicts  # the matching records: only when pairing

    note = note.strip() if note and note.strip() else None
    pairs = [(_field(pair, "mentee_id", "mentee"), _field(pair, "mentor_id", "mentor"),
              _field(pair, "score"), _field(pair, "shared")) for pair in pairs]
    if not pairs:
        return []
    with store.write():
        at = now_iso()
        reasons = refusals(store, [(a, b) for a, b, *_ in pairs], rules, by_hand=by_hand)
        for (mentee_id, mentor_id, *_), reason in zip(pairs, reasons, strict=True):
            if reason:
                raise Conflict(f"cannot pair {mentee_id} with {mentor_id}: {reason}")
        first_id = (store.scalar("SELECT max(id) FROM pairings") or 0) + 1
        origin = "hand" if by_hand else "auto"
        rows = [(first_id + offset, mentee_id, mentor_id,
                 None if score is None else float(score), dumps(shared_dicts(shared)), note,
                 origin, at, at)
                for offset, (mentee_id, mentor_id, score, shared) in enumerate(pairs)]
        store.conn.executemany(
            "INSERT INTO pairings (id, mentee_id, mentor_id, status, score, shared, note, "
            "origin, created_at, updated_at) VALUES (?, ?, ?, 'proposed', ?, ?, ?, ?, ?, ?)",
            rows)
        store.conn.executemany(
            "INSERT INTO events (at, kind, pairing_id, old_state, new_state, note) "
            "VALUES (?, 'transition', ?, NULL, 'proposed', ?)",
            [(at, row[0], note) for row in rows])
        created = store.query(f"{_PAIRING_SQL} WHERE p.id BETWEEN ? AND ? ORDER BY p.id",
                              (first_id, first_id + len(rows) - 1))
        return [pairing_from_row(row) for row in created]
