"""Pairings over time: stale ones, terms, and proposals that expire.

- **Last activity** of a pairing: for an active one, its last check-in, its start, or its last
  resume; for any other open one, its last state change (proposed, introduced, paused ...) or
  check-in. A check-in reminder (`send checkins`) is not activity: the pair has not answered.
- **Stale** (`pairing stale`): proposed or introduced pairings with no progress, and active ones
  with no check-in, for `days` (rules.stale_days); paused ones paused for `paused_days`
  (rules.paused_idle_days); active or paused ones past their term. One row per pairing, with
  every reason that applies.
- **Term**: a pairing is meant to end `term_weeks` (rules.term_weeks) after it started; 0 means
  the program sets no term. It is computed, never stored, so a new term applies to every pairing.
- **Expiry** (`pairing expire`): proposed and introduced pairings idle for `days`
  (rules.expire_days) are declined, all in one transaction, with the reason "expired: no response
  in N days"; their mentees are free to be matched again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mentorctl.errors import InvalidInput
from mentorctl.lifecycle import apply_steps, pairing_from_row, with_term
from mentorctl.model import OPEN_STATES, ExpiredPairing, ExpireResult, StalePairing
from mentorctl.store import Store, now_iso, parse_time

EXPIRY_REASON = "expired: no response in {days} days"
EXPIRY_PREFIX = "expired: no response"  # how `report` recognizes an expiry among the declines
NEXT_ACTION = {"active": "check in", "proposed": "introduce them",
               "introduced": "start or decline", "paused": "resume or end it"}
PAST_TERM_ACTION = "complete or end it"

_ACTIVITY_SQL = """
    SELECT p.*, e.name AS mentee_name, m.name AS mentor_name,
           (SELECT max(ev.at) FROM events ev WHERE ev.pairing_id = p.id
              AND (ev.kind = 'checkin' OR ev.new_state = 'active')) AS last_active_event,
           (SELECT max(ev.at) FROM events ev WHERE ev.pairing_id = p.id
              AND ev.kind IN ('transition', 'checkin')) AS last_change_event
    FROM pairings p
    LEFT JOIN members e ON e.id = p.mentee_id
    LEFT JOIN members m ON m.id = p.mentor_id
"""


def _moment(now: str | datetime | None) -> datetime:
    return now if isinstance(now, datetime) else parse_time(now or now_iso())


def last_activity(row: dict[str, Any]) -> str:
    """When a pairing (a row of _ACTIVITY_SQL) last showed a sign of life (see the module)."""
    if row["status"] == "active":
        candidates = (row["last_checkin_at"], row["started_at"], row["last_active_event"])
    else:
        candidates = (row["created_at"], row["introduced_at"], row["started_at"],
                      row["last_checkin_at"], row["last_change_event"])
    return max((value for value in candidates if value), default=row["created_at"])


def _activity_rows(store: Store, statuses: tuple[str, ...]) -> list[dict[str, Any]]:
    marks = ", ".join("?" for _ in statuses)
    return store.query(_ACTIVITY_SQL + f" WHERE p.status IN ({marks})", statuses)


def _idle_days(moment: datetime, last: str) -> float:
    return (moment - parse_time(last)).total_seconds() / 86400


def _check_days(name: str, value: float | None) -> None:
    if value is not None and value < 0:
        raise InvalidInput(f"{name} must be 0 or more, not {value}")


def stale_pairings(store: Store, days: float, now: str | datetime | None = None, *,
                   term_weeks: int = 0, paused_days: float | None = None
                   ) -> list[StalePairing]:
    """Pairings gone quiet, paused too long or past their term; the longest idle first.

    `days`: proposed or introduced with no state change, or active with no check-in (counted
    from the start, or the resume after a pause, when there is no later check-in), for that
    long. `paused_days`: paused for that long (None: paused pairings are never idle-stale).
    `term_weeks`: active or paused more than that long after the start (0: no term).
    """
    _check_days("--days", days)
    _check_days("--paused-days", paused_days)
    moment = _moment(now)
    found: list[StalePairing] = []
    for row in _activity_rows(store, OPEN_STATES):
        status = row["status"]
        last = last_activity(row)
        idle = _idle_days(moment, last)
        pairing = with_term(pairing_from_row(row), term_weeks)
        reasons, words = [], []
        if status == "paused":
            if paused_days is not None and idle >= paused_days:
                reasons.append("paused_idle")
                words.append(f"paused for {int(idle)} days")
        elif idle >= days:
            reasons.append("idle")
            words.append(f"no check-in for {int(idle)} days" if status == "active"
                         else f"no progress for {int(idle)} days")
        due = pairing.expected_end
        if due and status in ("active", "paused") and parse_time(due) <= moment:
            reasons.append("past_term")
            words.append(f"past its term (due {due[:10]})")
        if reasons:
            action = PAST_TERM_ACTION if "past_term" in reasons else NEXT_ACTION[status]
            found.append(StalePairing(pairing, int(idle), last, action, tuple(reasons),
                                      "; ".join(words)))
    found.sort(key=lambda s: (s.last_activity, s.pairing.id))
    return found


def expiring(store: Store, days: float, now: str | datetime | None = None
             ) -> list[ExpiredPairing]:
    """The proposed and introduced pairings idle for `days` or more (what `expire` declines),
    the longest idle first."""
    _check_days("--days", days)
    moment = _moment(now)
    found = []
    for row in _activity_rows(store, ("proposed", "introduced")):
        last = last_activity(row)
        idle = _idle_days(moment, last)
        if idle >= days:
            found.append(ExpiredPairing(pairing_from_row(row), row["status"], int(idle), last))
    found.sort(key=lambda e: (e.last_activity, e.pairing.id))
    return found


def expire(store: Store, days: int, *, now: str | datetime | None = None,
           dry_run: bool = False) -> ExpireResult:
    """Decline every proposal (proposed or introduced) idle for `days` or more, in one write
    transaction, each with the reason "expired: no response in N days"; on a dry run, only
    list them."""
    if days < 1:
        raise InvalidInput(f"--days must be 1 or more, not {days}: expiring proposals made today "
                           "would decline them before anyone could answer")
    reason = EXPIRY_REASON.format(days=days)
    at = (_moment(now).strftime("%Y-%m-%dT%H:%M:%SZ") if now is not None else None)
    with store.write():
        found = expiring(store, days, now)
        if dry_run or not found:
            return ExpireResult(days, reason, dry_run, tuple(found))
        results = apply_steps(store, "decline", [e.pairing.id for e in found], reason=reason,
                              at=at)
    after = {r.pairing.id: r.pairing for r in results}
    return ExpireResult(days, reason, False, tuple(
        ExpiredPairing(after[e.pairing.id], e.old_state, e.days_idle, e.last_activity)
        for e in found))


def term_counts(store: Store, *, stale_days: int, term_weeks: int, paused_days: int,
                now: str | datetime | None = None) -> dict[str, int]:
    """How many pairings `pairing stale` lists (`stale`), and of them how many are idle, past
    their term or paused too long; and how many proposals expired (declined by `expire`)."""
    stale = stale_pairings(store, stale_days, now, term_weeks=term_weeks, paused_days=paused_days)
    counts = {"stale": len(stale), "idle": 0, "past_term": 0, "paused_idle": 0}
    for s in stale:
        for reason in s.reasons:
            counts[reason] += 1
    counts["expired"] = store.scalar(
        "SELECT count(DISTINCT p.id) FROM pairings p JOIN events ev ON ev.pairing_id = p.id "
        "WHERE p.status = 'declined' AND ev.new_state = 'declined' AND ev.note LIKE ?",
        (EXPIRY_PREFIX + "%",))
    return counts
