"""Members: the people of a program, looked up by id, email or name, listed and changed."""

from __future__ import annotations

import json
from typing import Any

from mentorctl.errors import Conflict, InvalidInput, NotFound
from mentorctl.model import (
    KINDS,
    MAX_CAPACITY,
    MENTEE_ROLES,
    MENTOR_ROLES,
    OPEN_STATES,
    ROLES,
    Member,
    MemberProfile,
)
from mentorctl.store import Store, now_iso


def member_from_row(row: dict[str, Any]) -> Member:
    return Member(
        id=row["id"],
        name=row["name"],
        role=row["role"],
        email=row["email"],
        occupation=row["occupation"],
        schools=tuple(json.loads(row["schools"])),
        location=row["location"],
        interests=tuple(json.loads(row["interests"])),
        friends=tuple(json.loads(row["friends"])),
        languages=tuple(json.loads(row["languages"])),
        capacity=row["capacity"],
        available=bool(row["available"]),
        goals=row["goals"],
        bio=row["bio"],
        organization=row["organization"],
        extra=json.loads(row["extra"] or "{}"),
        promoted_at=row["promoted_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def list_members(store: Store, role: str | None = None) -> list[Member]:
    """Every member, by id. `role="mentor"` includes members who are both, likewise mentee."""
    if role is None:
        rows = store.query("SELECT * FROM members WHERE removed_at IS NULL ORDER BY id")
    else:
        if role not in ROLES:
            raise InvalidInput(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
        rows = store.query("SELECT * FROM members WHERE role IN (?, ?) AND removed_at IS NULL "
                           "ORDER BY id",
                           (role, "both"))
    return [member_from_row(row) for row in rows]


def find_member(store: Store, ref: str) -> Member:
    """The member a command-line reference names: id, email, or exact name (case-insensitive).

    An unknown reference raises NotFound with the closest names, so the user can retry.
    """
    ref = ref.strip()
    for sql in (
        "SELECT * FROM members WHERE id = ?",
        "SELECT * FROM members WHERE lower(id) = lower(?)",
        "SELECT * FROM members WHERE lower(email) = lower(?)",
        "SELECT * FROM members WHERE lower(name) = lower(?) ORDER BY id",
    ):
        rows = store.query(sql, (ref,))
        if len(rows) == 1:
            return member_from_row(rows[0])
        if len(rows) > 1:
            ids = ", ".join(row["id"] for row in rows)
            raise Conflict(f"{ref!r} names {len(rows)} members ({ids}); use the id instead")
    raise NotFound(f"no member {ref!r}{_did_you_mean(store, ref)}")


def _did_you_mean(store: Store, ref: str) -> str:
    from rapidfuzz import fuzz, process

    choices = {}
    for row in store.iter_query("SELECT id, name, email FROM members"):
        for value in (row["id"], row["name"], row["email"]):
            if value:
                choices[value] = row["id"]
    if not choices:
        return " (the program has no members yet: run `mentorctl import FILE`)"
    best = process.extract(ref, list(choices), scorer=fuzz.WRatio, limit=8, score_cutoff=60)
    labels: dict[str, str] = {}  # member id -> how to show it, best match first
    for text, _score, _ in best:
        member_id = choices[text]
        labels.setdefault(member_id, member_id if text == member_id else f"{text} ({member_id})")
    if not labels:
        return ""
    return "; did you mean " + ", ".join(list(labels.values())[:3]) + "?"


def update_member(
    store: Store,
    ref: str,
    *,
    capacity: int | None = None,
    available: bool | None = None,
    role: str | None = None,
) -> Member:
    """Change a member's capacity, availability or role in one transaction.

    A change that contradicts the member's open pairings is refused, naming them: a role that
    drops the side of open pairings (a mentor with mentees set to `mentee`), or a capacity below
    the mentees they have now. End or complete those pairings first.
    """
    if capacity is not None and not 0 <= capacity <= MAX_CAPACITY:
        raise InvalidInput(f"capacity must be from 0 to {MAX_CAPACITY}, not {capacity}")
    if role is not None and role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    with store.write():
        member = find_member(store, ref)
        problem = role_change_problem(store, member.id, role, capacity)
        if problem:
            raise Conflict(f"{member.id}: {problem}")
        changes: dict[str, Any] = {}
        if capacity is not None:
            changes["capacity"] = capacity
        if available is not None:
            changes["available"] = int(available)
        if role is not None:
            changes["role"] = role
        if changes:
            changes["updated_at"] = now_iso()
            assignments = ", ".join(f"{column} = :{column}" for column in changes)
            store.conn.execute(
                f"UPDATE members SET {assignments} WHERE id = :id", {**changes, "id": member.id}
            )
            record_edits(store, member.id, [c for c in changes if c != "updated_at"],
                         changes["updated_at"])
            store.bump_state_version()
        return find_member(store, member.id)


def record_edits(store: Store, member_id: str, fields: list[str], at: str) -> None:
    """Mark fields the coordinator set by hand: a later import of the sheet keeps them."""
    store.conn.executemany(
        "INSERT INTO member_edits (member_id, field, at) VALUES (?, ?, ?) "
        "ON CONFLICT (member_id, field) DO UPDATE SET at = excluded.at",
        [(member_id, name, at) for name in fields])


def open_pairings_of(store: Store, member_id: str) -> dict[str, list[str]]:
    """The member's open pairings by side: {"mentor": ["#3 with ana"], "mentee": [...]}."""
    marks = ", ".join("?" * len(OPEN_STATES))
    sides: dict[str, list[str]] = {"mentor": [], "mentee": []}
    for pairing_id, mentee_id, mentor_id in store.conn.execute(
            "SELECT id, mentee_id, mentor_id FROM pairings WHERE (mentee_id = ? OR mentor_id = ?) "
            f"AND status IN ({marks}) ORDER BY id", (member_id, member_id, *OPEN_STATES)):
        if mentor_id == member_id:
            sides["mentor"].append(f"#{pairing_id} with {mentee_id}")
        if mentee_id == member_id:
            sides["mentee"].append(f"#{pairing_id} with {mentor_id}")
    return sides


def role_change_problem(store: Store, member_id: str, role: str | None,
                        capacity: int | None) -> str | None:
    """Why setting this role or capacity would contradict the member's open pairings, or None."""
    if role is None and capacity is None:
        return None
    sides = open_pairings_of(store, member_id)
    if role is not None:
        for side, roles in (("mentor", MENTOR_ROLES), ("mentee", MENTEE_ROLES)):
            if sides[side] and role not in roles:
                return (f"cannot become a {role} while they have open pairings as {side} "
                        f"({', '.join(sides[side])}); end or complete them first "
                        "(`mentorctl pairing end ID --reason TEXT`)")
    if capacity is not None and capacity < len(sides["mentor"]):
        return (f"cannot take capacity {capacity} with {len(sides['mentor'])} open pairings as "
                f"mentor ({', '.join(sides['mentor'])}); end or complete some first")
    return None


def promote_member(store: Store, ref: str) -> Member:
    """A mentee becomes a mentor too (role `both`), keeping every pairing and event they have."""
    with store.write():
        member = find_member(store, ref)
        if member.role not in MENTEE_ROLES or member.can_mentor:
            raise Conflict(f"{member.id} is already a {member.role}; only a mentee can be promoted")
        at = now_iso()
        store.conn.execute(
            "UPDATE members SET role = 'both', promoted_at = ?, updated_at = ?, "
            "capacity = CASE WHEN capacity = 0 THEN 1 ELSE capacity END WHERE id = ?",
            (at, at, member.id),
        )
        record_edits(store, member.id, ["role", "capacity"] if member.capacity == 0 else ["role"],
                     at)
        store.bump_state_version()
        store.conn.execute(
            "INSERT INTO events (at, kind, member_id, old_state, new_state, note) "
            "VALUES (?, 'promote', ?, 'mentee', 'both', 'promoted to mentor')",
            (at, member.id),
        )
        return find_member(store, member.id)


def member_profile(store: Store, member: Member, resolutions) -> MemberProfile:
    """A member with what each of their texts resolved to and their pairings (`member show`)."""
    texts = {"occupation": [member.occupation] if member.occupation else [],
             "school": list(member.schools),
             "location": [member.location] if member.location else []}
    resolved: dict[str, list[dict[str, Any]]] = {}
    for kind in KINDS:
        entries = []
        for text in texts[kind]:
            hit = resolutions.get(kind, text)
            entries.append({"input": text, "canonical": hit.canonical if hit else None,
                            "code": hit.code if hit else None,
                            "method": hit.method if hit else "pending",
                            "score": hit.score if hit else 0,
                            # as `resolve --json`: the SOC levels, a guess's alternatives
                            **({"attrs": dict(hit.attrs)} if hit and hit.attrs else {})})
        resolved[kind] = entries
    pairings = store.query(
        "SELECT id, mentee_id AS mentee, mentor_id AS mentor, status, score, created_at "
        "FROM pairings WHERE mentee_id = ? OR mentor_id = ? ORDER BY id",
        (member.id, member.id),
    )
    return MemberProfile(member, resolved, tuple(pairings))
