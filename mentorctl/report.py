"""The program at a glance: the numbers `mentorctl report` shows, and the shipped guidelines.

`program_report` reads the database with a handful of SQL queries and returns one plain dict, so
the terminal dashboard and `report --json` always show the same numbers.
"""

from __future__ import annotations

import statistics
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from mentorctl.errors import NotFound
from mentorctl.model import AUDIENCES, MENTEE_ROLES, OPEN_STATES, ROLES, STATES
from mentorctl.store import Store, now_iso, parse_time


def program_report(store: Store, *, stale_days: int = 21, term_weeks: int = 26,
                   paused_days: int = 42) -> dict[str, Any]:
    """Every number of the dashboard, as a dict with these stable keys.

    - ``members``: ``{"total": n, "available": n, "by_role": {role: {"available": n,
      "unavailable": n}}}`` for each role in mentor, mentee, both.
    - ``pairings``: ``{"total": n, "open": n, "by_state": {state: n}}``, every state listed
      (proposed, introduced, active, paused, completed, declined, ended), zeros included.
    - ``match_rate``: ``{"matched": n, "mentees": n, "rate": r}``: members who can be mentored
      (role mentee or both) with an open or completed pairing as mentee, over all of them.
    - ``mentor_utilization``: ``{"open_pairings": n, "capacity": n, "rate": r}``: open pairings
      held by available mentors over the total capacity of available mentors.
    - ``median_days``: ``{"to_introduction": d, "to_start": d}``: median days from a pairing's
      proposal (created_at) to introduced_at and to started_at, over the pairings that got there.
    - ``stale``: ``{"days": n, "count": n}``: the pairings `mentorctl pairing stale` lists:
      active ones with no check-in, proposed or introduced ones with no progress, for `days`
      days; paused ones paused too long; active or paused ones past their term.
    - ``past_term``: ``{"weeks": n, "count": n}``: active or paused pairings more than `weeks`
      (rules.term_weeks) after their start (count 0 when weeks is 0: no term).
    - ``paused_idle``: ``{"days": n, "count": n}``: paused pairings paused for `days`
      (rules.paused_idle_days) or more.
    - ``expired``: the number of proposals declined by `mentorctl pairing expire`.
    - ``completions``: the number of completed pairings.
    - ``promoted``: ``{"count": n, "have_mentored": n}``: members promoted from mentee to mentor,
      and how many of them have since had a pairing as mentor that started.
    - ``generated_at``: the time the numbers were read (ISO 8601, UTC).

    A rate is a fraction between 0 and 1 rounded to 4 places, and a median a number of days
    rounded to 1 place; either is null when there is nothing to divide or take the median of.
    """
    by_role = {role: {"available": 0, "unavailable": 0} for role in ROLES}
    for row in store.query("SELECT role, available, count(*) AS n FROM members "
                           "WHERE removed_at IS NULL GROUP BY 1, 2"):
        by_role[row["role"]]["available" if row["available"] else "unavailable"] += row["n"]
    total_members = sum(sum(counts.values()) for counts in by_role.values())

    by_state = dict.fromkeys(STATES, 0)
    for row in store.query("SELECT status, count(*) AS n FROM pairings GROUP BY 1"):
        by_state[row["status"]] = row["n"]

    mentees = store.scalar("SELECT count(*) FROM members WHERE role IN (?, ?) "
                           "AND removed_at IS NULL", MENTEE_ROLES)
    counted = (*OPEN_STATES, "completed")
    matched = store.scalar(
        "SELECT count(DISTINCT p.mentee_id) FROM pairings p JOIN members m ON m.id = p.mentee_id "
        f"WHERE m.role IN (?, ?) AND m.removed_at IS NULL AND p.status IN ({', '.join('?' * len(counted))})",
        (*MENTEE_ROLES, *counted))
    load = store.query(
        "SELECT coalesce(sum(open_pairings), 0) AS open, coalesce(sum(capacity), 0) AS capacity "
        "FROM mentor_load WHERE available")[0]

    to_intro, to_start = [], []
    for row in store.query("SELECT created_at, introduced_at, started_at FROM pairings"):
        created = parse_time(row["created_at"])
        if row["introduced_at"]:
            to_intro.append(_days(parse_time(row["introduced_at"]) - created))
        if row["started_at"]:
            to_start.append(_days(parse_time(row["started_at"]) - created))

    promoted = store.scalar("SELECT count(*) FROM members WHERE promoted_at IS NOT NULL")
    have_mentored = store.scalar(
        "SELECT count(*) FROM members m WHERE m.promoted_at IS NOT NULL AND EXISTS "
        "(SELECT 1 FROM pairings p WHERE p.mentor_id = m.id AND p.started_at IS NOT NULL)")

    from mentorctl.terms import term_counts  # here: `guidelines` needs none of it

    terms = term_counts(store, stale_days=stale_days, term_weeks=term_weeks,
                        paused_days=paused_days)
    return {
        "members": {"total": total_members,
                    "available": sum(c["available"] for c in by_role.values()),
                    "by_role": by_role},
        "pairings": {"total": sum(by_state.values()),
                     "open": sum(by_state[s] for s in OPEN_STATES),
                     "by_state": by_state},
        "match_rate": {"matched": matched, "mentees": mentees, "rate": _rate(matched, mentees)},
        "mentor_utilization": {"open_pairings": load["open"], "capacity": load["capacity"],
                               "rate": _rate(load["open"], load["capacity"])},
        "median_days": {"to_introduction": _median(to_intro), "to_start": _median(to_start)},
        "stale": {"days": stale_days, "count": terms["stale"]},
        "past_term": {"weeks": term_weeks, "count": terms["past_term"]},
        "paused_idle": {"days": paused_days, "count": terms["paused_idle"]},
        "expired": terms["expired"],
        "completions": by_state["completed"],
        "promoted": {"count": promoted, "have_mentored": have_mentored},
        "generated_at": now_iso(),
    }


def _days(delta: timedelta) -> float:
    return delta.total_seconds() / 86400


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


# --- guidelines ------------------------------------------------------------------------------

GUIDELINES = {  # keys: model.AUDIENCES
    "mentor": "What mentors commit to: boundaries, confidentiality, the first meeting, goals, "
              "keeping in touch, ending well.",
    "mentee": "How to get the most from a mentor: preparing, setting goals, asking for help, "
              "ending well, and becoming a mentor yourself.",
    "coordinator": "Running the program: recruitment, screening, training, matching, monitoring "
                   "and closure, with the mentorctl commands for each stage.",
}


def shipped_path(name: str) -> Path:
    """A folder shipped with mentorctl (`guidelines`, `sample_data`).

    A wheel carries them inside the package (mentorctl/<name>, see pyproject's force-include); a
    source checkout or editable install has them at the repository root.
    """
    packaged = resources.files("mentorctl") / name
    if packaged.is_dir():
        return Path(str(packaged))
    root = Path(__file__).resolve().parent.parent / name
    if root.is_dir():
        return root
    raise NotFound(f"the {name} folder is missing from this mentorctl installation; reinstall it")


def guideline(name: str) -> str:
    """The Markdown text of the guidelines for `mentor`, `mentee` or `coordinator`."""
    if name not in AUDIENCES:
        raise NotFound(f"no guidelines for {name!r}: choose {', '.join(AUDIENCES)}")
    path = shipped_path("guidelines") / f"{name}.md"
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFound(f"{path}: missing from this installation; reinstall mentorctl") from None
