"""The program as spreadsheets: one function per export, each returning (header, rows).

Every export reads the database once and yields plain values (text, numbers); writing the CSV, and
neutralizing cells a spreadsheet would run as formulas, is `render.write_csv`'s job.

`members` is the one export meant to be read back: its header names are the import's own field
names and its lists are joined with "; " exactly as import splits them, so
`mentorctl export members -o m.csv` followed by `mentorctl import m.csv` into a new program gives
the same members.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from mentorctl.model import FINAL_STATES, LIST_FIELDS
from mentorctl.store import Store

Rows = Iterator[list[Any]]
Export = tuple[list[str], Rows]

LIST_SEPARATOR = "; "
MEMBER_COLUMNS = ["id", "name", "email", "role", "occupation", "schools", "location", "interests",
                  "friends", "languages", "capacity", "available", "goals", "bio", "organization"]
PAIRING_COLUMNS = ["id", "mentee_id", "mentee_name", "mentor_id", "mentor_name", "status", "score",
                   "shared", "created_at", "introduced_at", "started_at", "ended_at",
                   "last_checkin_at", "note"]
UNMATCHED_COLUMNS = ["mentee_id", "name", "email", "role", "available", "reason",
                     "past_pairings"]
MENTOR_LOAD_COLUMNS = ["mentor_id", "name", "capacity", "available", "open_pairings", "room_left",
                       "completed"]
EVENT_COLUMNS = ["id", "at", "kind", "pairing_id", "mentee_id", "mentee_name", "mentor_id",
                 "mentor_name", "member_id", "member_name", "old_state", "new_state", "note"]
INTRO_COLUMNS = ["pairing_id", "status", "to", "mentee_id", "mentee_name", "mentee_email",
                 "mentor_id", "mentor_name", "mentor_email", "subject", "body"]
NOT_YET_PAIRED = "not yet paired: run `mentorctl pair --auto`"


def _yes_no(value: Any) -> str:
    return "yes" if value else "no"


def _extra_cell(value: Any) -> Any:
    """An extra column's value as one cell: lists joined like list fields, mappings as JSON."""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return _yes_no(value)
    return value


def members(store: Store) -> Export:
    """Every member with every field, then every extra column any member has (sorted by name).

    The extra columns are sorted so the header does not depend on which member happened to be
    read first: exporting, importing into a new program and exporting again gives the same file.
    """
    # SQLite joins the JSON lists itself (json_each in C): no Python decoding per cell.
    joined = ", ".join(
        f"(SELECT group_concat(value, '{LIST_SEPARATOR}') FROM json_each(members.{column})) "
        f"AS {column}" if column in LIST_FIELDS else column for column in MEMBER_COLUMNS)
    extra_columns = sorted(
        (row["key"] for row in store.iter_query(
            "SELECT DISTINCT j.key AS key FROM members, json_each(members.extra) j")),
        key=lambda key: (key.casefold(), key))
    query = store.conn.execute(f"SELECT {joined}, extra FROM members WHERE removed_at IS NULL "
                               "ORDER BY id")
    available = MEMBER_COLUMNS.index("available")

    def rows() -> Rows:
        for record in query:
            row = list(record)
            extra = row.pop()
            row[available] = _yes_no(row[available])
            if extra_columns:
                values = json.loads(extra) if extra != "{}" else {}
                row.extend(_extra_cell(values.get(key)) for key in extra_columns)
            yield row

    return MEMBER_COLUMNS + extra_columns, rows()


def _shared_text(stored: str | None) -> str:
    """Shared points as stored on a pairing ([{"kind", "text"}] or plain text) joined for a cell."""
    points = json.loads(stored) if stored else []
    texts = [p.get("text", "") if isinstance(p, dict) else str(p) for p in points]
    return LIST_SEPARATOR.join(t for t in texts if t)


def pairings(store: Store) -> Export:
    """Every pairing, oldest first: both people, state, score, shared points and its dates."""
    query = store.iter_query(
        "SELECT p.*, e.name AS mentee_name, m.name AS mentor_name FROM pairings p "
        "LEFT JOIN members e ON e.id = p.mentee_id LEFT JOIN members m ON m.id = p.mentor_id "
        "ORDER BY p.id"
    )

    def rows() -> Rows:
        for p in query:
            yield [p["id"], p["mentee_id"], p["mentee_name"], p["mentor_id"], p["mentor_name"],
                   p["status"], p["score"], _shared_text(p["shared"]), p["created_at"],
                   p["introduced_at"], p["started_at"], p["ended_at"], p["last_checkin_at"],
                   p["note"]]

    return list(PAIRING_COLUMNS), rows()


def unmatched(store: Store, program, texts) -> Export:
    """Every mentee without an open pairing, and why: the list a coordinator works through.

    The reason is the one the matching itself would give: `marked unavailable`, `no eligible
    mentor: <why>` (the rules' own summary, e.g. every available mentor is at capacity), or
    NOT_YET_PAIRED when mentors with room exist. Past pairings (completed, declined, ended) are
    listed beside it, so a mentee who finished or whose pair ended is easy to tell apart.
    """
    from mentorctl.rules import eligible_mentors, has_eligible_mentor

    past: dict[str, list[str]] = {}
    for row in store.conn.execute(
            "SELECT id, mentee_id, mentor_id, status FROM pairings "
            f"WHERE status IN ({', '.join('?' * len(FINAL_STATES))}) ORDER BY id", FINAL_STATES):
        past.setdefault(row["mentee_id"], []).append(
            f"#{row['id']} {row['status']} with {row['mentor_id']}")
    p = program
    waiting = [i for i in range(p.size) if p.role_mentee[i] and p.open_as_mentee[i] == 0]
    has_mentor = dict(zip(waiting, has_eligible_mentor(p.facts, waiting).tolist(), strict=True))

    def rows() -> Rows:
        for i in waiting:
            member_id = p.ids[i]
            raw = texts.row(i)
            if not p.available[i]:
                reason = "marked unavailable"
            elif p.completed_as_mentee[i]:
                reason = ("completed a pairing: ready to mentor (`mentorctl member promote "
                          f"{member_id}`)" if raw["role"] == "mentee" else "completed a pairing")
            elif has_mentor[i]:
                reason = NOT_YET_PAIRED
            else:
                reason = f"no eligible mentor: {eligible_mentors(p.facts, i)[1]}"
            yield [member_id, raw["name"], raw["email"], raw["role"],
                   _yes_no(p.available[i]), reason, LIST_SEPARATOR.join(past.get(member_id, []))]

    return list(UNMATCHED_COLUMNS), rows()


def mentor_load(store: Store) -> Export:
    """Per mentor (and member who is both): capacity, open pairings, room left, completed."""
    query = store.iter_query("SELECT * FROM mentor_load ORDER BY mentor_id")

    def rows() -> Rows:
        for r in query:
            yield [r["mentor_id"], r["name"], r["capacity"], _yes_no(r["available"]),
                   r["open_pairings"], r["room_left"], r["completed"]]

    return list(MENTOR_LOAD_COLUMNS), rows()


def events(store: Store) -> Export:
    """The full history, oldest first: every state change, check-in and promotion, with names."""
    query = store.iter_query(
        "SELECT ev.*, p.mentee_id, e.name AS mentee_name, p.mentor_id, m.name AS mentor_name, "
        "who.name AS member_name FROM events ev "
        "LEFT JOIN pairings p ON p.id = ev.pairing_id "
        "LEFT JOIN members e ON e.id = p.mentee_id LEFT JOIN members m ON m.id = p.mentor_id "
        "LEFT JOIN members who ON who.id = ev.member_id "
        "ORDER BY ev.at, ev.id"
    )

    def rows() -> Rows:
        for r in query:
            yield [r["id"], r["at"], r["kind"], r["pairing_id"], r["mentee_id"], r["mentee_name"],
                   r["mentor_id"], r["mentor_name"], r["member_id"], r["member_name"],
                   r["old_state"], r["new_state"], r["note"]]

    return list(EVENT_COLUMNS), rows()


def intros(store: Store, intro_settings, statuses=("proposed",)) -> Export:
    """One introduction per pairing in `statuses` (proposed by default: the ones still to send),
    ready for a mail merge (`to` holds both addresses). Written from the shared points recorded
    when each pair was proposed, straight from the database: fast for tens of thousands."""
    from mentorctl.intro import pairing_intros

    found = pairing_intros(store.conn, intro_settings, statuses)

    def rows() -> Rows:
        for item in found:
            intro, mentee, mentor = item.intro, item.mentee, item.mentor
            yield [item.pairing_id, item.status, ";".join(intro.to), mentee["id"],
                   mentee["name"], mentee["email"], mentor["id"], mentor["name"],
                   mentor["email"], intro.subject, intro.body]

    return list(INTRO_COLUMNS), rows()
