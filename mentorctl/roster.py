"""One person, one record: likely duplicates, `member merge` and `member remove`.

A removed member's row stays, anonymized under a new id (`removed-3`), so that the pairings and
events naming it keep the program's history and `report` true; everything that identifies the
person is erased: name, email, free text, lists, kept columns, what their text resolved to (when
no one else wrote the same), friend links both ways, notes on their pairings and events. The
write runs with SQLite's secure_delete, so the erased text is overwritten in the file, not just
unlinked from it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from mentorctl.errors import Conflict, UsageError
from mentorctl.lifecycle import end
from mentorctl.members import find_member, record_edits
from mentorctl.model import (
    MENTEE_ROLES,
    MENTOR_ROLES,
    OPEN_STATES,
    Duplicate,
    Member,
    Merged,
    Removed,
)
from mentorctl.store import Store, dumps, now_iso

REMOVED_REASON = "member removed from the program"
# Notes the tool wrote itself carry no one's personal data: kept on a removed member's history.
_TOOL_NOTES = re.compile(r"^(expired: no response in \d+ days|member removed from the program|"
                         r"promoted to mentor)$")
_OPEN = ", ".join(f"'{state}'" for state in OPEN_STATES)


# --- likely duplicates -----------------------------------------------------------------------


def email_key(email: str) -> str:
    """An address as its mailbox: case, a +tag, and Gmail's dots do not make another person."""
    local, _, domain = email.lower().partition("@")
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


# An address's mailbox in SQL (emails are stored in lower case): email_key() without Python.
_LOCAL = "substr(email, 1, instr(email, '@') - 1)"
_DOMAIN = "substr(email, instr(email, '@') + 1)"
_BASE = f"CASE WHEN instr({_LOCAL}, '+') > 0 THEN substr({_LOCAL}, 1, instr({_LOCAL}, '+') - 1) " \
        f"ELSE {_LOCAL} END"
_MAILBOX = f"CASE WHEN {_DOMAIN} IN ('gmail.com', 'googlemail.com') THEN " \
           f"replace({_BASE}, '.', '') || '@gmail.com' ELSE {_BASE} || '@' || {_DOMAIN} END"
# Records grouped in SQL (GROUP BY, no pairwise join), so that Python sees only the groups of
# two or more: a pass over 100,000 members costs an import a fraction of a second. Names are
# compared without case and spaces; each group lists its members oldest first.
_KEYED = f"""
    WITH k AS MATERIALIZED (
        SELECT id, created_at, email, schools,
               lower(replace(name, ' ', '')) AS squeezed, lower(trim(occupation)) AS occupation,
               lower(trim(location)) AS place, lower(trim(organization)) AS organization
        FROM members WHERE removed_at IS NULL),
    -- Only an address with a +tag or at Gmail can be another's mailbox written differently:
    -- their mailboxes, and the plain addresses equal to one (found through the email index).
    tagged AS MATERIALIZED (
        SELECT id, created_at, {_MAILBOX} AS box FROM members
        WHERE removed_at IS NULL AND (email LIKE '%+%' OR email LIKE '%@gmail.com'
                                      OR email LIKE '%@googlemail.com')),
    boxes AS (
        SELECT id, created_at, box FROM tagged
        UNION SELECT id, created_at, lower(email) FROM members
        WHERE lower(email) IN (SELECT box FROM tagged) AND removed_at IS NULL)
    SELECT 'the same mailbox written two ways', json_group_array(json_array(created_at, id, 1))
        FROM boxes GROUP BY box HAVING count(*) > 1
    UNION ALL
    SELECT 'the same name and occupation', json_group_array(json_array(created_at, id, 1))
        FROM k WHERE occupation != '' GROUP BY squeezed, occupation HAVING count(*) > 1
    UNION ALL
    SELECT 'the same name and place', json_group_array(json_array(created_at, id, 1))
        FROM k WHERE place != '' GROUP BY squeezed, place HAVING count(*) > 1
    UNION ALL
    SELECT 'the same name and organization', json_group_array(json_array(created_at, id, 1))
        FROM k WHERE organization != '' GROUP BY squeezed, organization HAVING count(*) > 1
    UNION ALL
    SELECT 'the same name and school', json_group_array(json_array(k.created_at, k.id, 1))
        FROM k, json_each(k.schools) j WHERE k.schools != '[]'
        GROUP BY squeezed, lower(trim(j.value)) HAVING count(*) > 1
    UNION ALL
    SELECT 'the same name, one without an email',
           json_group_array(json_array(created_at, id, email IS NULL))
        FROM k GROUP BY squeezed HAVING count(*) > 1 AND max(email IS NULL) = 1"""


def likely_duplicates(store: Store, among: Iterable[str] | None = None) -> list[Duplicate]:
    """Pairs of current members that likely are one person: one mailbox written two ways, or
    the same name (case and spaces aside) with something else in common (occupation, place,
    organization or a school; or one has no email): a large program has several people of one
    common name, and they are not reported for the name alone. The older record comes first:
    usually the one to keep (it has the history). With `among`, only pairs that involve one of
    those ids (the members an import just wrote)."""
    wanted = set(among) if among is not None else None
    found: dict[tuple[str, str], str] = {}
    for why, group in store.conn.execute(_KEYED):
        members = sorted(json.loads(group))
        for i, (_, first, first_counts) in enumerate(members):
            for _, second, second_counts in members[i + 1:]:
                # In the email-less group, the flag marks who has no email: one of two must.
                if not (first_counts or second_counts) or first == second:
                    continue
                if wanted is None or first in wanted or second in wanted:
                    found.setdefault((first, second), why)
    return [Duplicate(a, b, why) for (a, b), why in sorted(found.items())]


# --- merge -----------------------------------------------------------------------------------


def merge_members(store: Store, keep_ref: str, other_ref: str, *,
                  max_open_per_mentee: int) -> Merged:
    """Move OTHER's pairings, events, friendships and history onto KEEP, fill KEEP's blank fields
    from OTHER, and delete OTHER, in one transaction. OTHER's email and id become aliases of KEEP,
    so a later import of a sheet that still holds them updates KEEP."""
    with store.write():
        keep, other = find_member(store, keep_ref), find_member(store, other_ref)
        if keep.id == other.id:
            raise UsageError(f"{keep_ref!r} and {other_ref!r} are the same member ({keep.id})")
        for member in (keep, other):
            if _removed(store, member.id):
                raise Conflict(f"{member.id} was removed from the program: nothing to merge")
        _check_merge(store, keep, other, max_open_per_mentee)
        at = now_iso()
        values, filled = _merged_values(keep, other)
        role = values["role"]
        store.conn.execute(
            f"UPDATE members SET {', '.join(f'{c} = :{c}' for c in values)}, updated_at = :at "
            "WHERE id = :id", {**values, "at": at, "id": keep.id})
        moved = sum(store.conn.execute(f"UPDATE pairings SET {side} = ? WHERE {side} = ?",
                                       (keep.id, other.id)).rowcount
                    for side in ("mentee_id", "mentor_id"))
        events = store.conn.execute("UPDATE events SET member_id = ? WHERE member_id = ?",
                                    (keep.id, other.id)).rowcount
        links = _rewrite_friend_refs(store, {other.id, other.email}, keep.id,
                                     exclude=(keep.id, other.id))
        store.conn.execute("UPDATE member_aliases SET member_id = ? WHERE member_id = ?",
                           (keep.id, other.id))
        aliases = [other.id] + ([other.email] if other.email and other.email != values["email"]
                                else [])
        store.conn.executemany(
            "INSERT INTO member_aliases (alias, member_id, at) VALUES (?, ?, ?) "
            "ON CONFLICT (alias) DO UPDATE SET member_id = excluded.member_id",
            [(alias.lower() if "@" in alias else alias, keep.id, at) for alias in aliases])
        store.conn.execute("DELETE FROM members WHERE id = ?", (other.id,))
        # The merged values are the coordinator's: a later import keeps them.
        changed = [f for f in ("role", "capacity") if values[f] != getattr(keep, f)]
        record_edits(store, keep.id, changed + filled, at)
        store.conn.execute(
            "INSERT INTO events (at, kind, member_id, note) VALUES (?, 'merge', ?, ?)",
            (at, keep.id, f"merged {other.id} into {keep.id}"))
        store.bump_data_version()
        store.bump_state_version()
    return Merged(keep.id, other.id, moved, events, links, tuple(filled), role)


def _check_merge(store: Store, keep: Member, other: Member, max_open_per_mentee: int) -> None:
    rows = store.query(
        "SELECT id, mentee_id, mentor_id, status FROM pairings "
        "WHERE mentee_id IN (:a, :b) OR mentor_id IN (:a, :b) ORDER BY id",
        {"a": keep.id, "b": other.id})
    together = [r["id"] for r in rows if {r["mentee_id"], r["mentor_id"]} == {keep.id, other.id}]
    if together:
        raise Conflict(f"{keep.id} and {other.id} were paired with each other (#{together[0]}): "
                       "they are two people, not one")
    open_rows = [r for r in rows if r["status"] in OPEN_STATES]
    as_mentee = [r for r in open_rows if r["mentee_id"] in (keep.id, other.id)]
    if len(as_mentee) > max_open_per_mentee:
        raise Conflict(f"together {keep.id} and {other.id} would have {len(as_mentee)} open "
                       f"pairings as mentee ({_ids(as_mentee)}), more than the "
                       f"{max_open_per_mentee} allowed; end one first "
                       "(`mentorctl pairing end ID --reason TEXT`)")
    counterparts: dict[tuple[str, str], list[dict]] = {}
    for r in open_rows:
        side = "mentor" if r["mentee_id"] in (keep.id, other.id) else "mentee"
        counterparts.setdefault((side, r[f"{side}_id"]), []).append(r)
    for (_, who), same in counterparts.items():
        if len(same) > 1:
            raise Conflict(f"{keep.id} and {other.id} both have an open pairing with {who} "
                           f"({_ids(same)}); end one first")
    as_mentor = [r for r in open_rows if r["mentor_id"] in (keep.id, other.id)]
    if len(as_mentor) > max(keep.capacity, other.capacity):
        raise Conflict(f"together {keep.id} and {other.id} would have {len(as_mentor)} open "
                       f"pairings as mentor ({_ids(as_mentor)}), more than either's capacity; "
                       f"raise it first (`mentorctl member set {keep.id} --capacity N`)")


def _ids(rows: list[dict]) -> str:
    return ", ".join(f"#{r['id']}" for r in rows)


def _merged_values(keep: Member, other: Member) -> tuple[dict[str, Any], list[str]]:
    """KEEP's values win; a blank of KEEP takes OTHER's; lists are joined; roles are united."""
    values: dict[str, Any] = {}
    filled = []
    for name in ("email", "occupation", "location", "goals", "bio", "organization"):
        mine, theirs = getattr(keep, name), getattr(other, name)
        values[name] = mine if mine else theirs
        if not mine and theirs:
            filled.append(name)
    own_refs = {r.lower() for r in (keep.id, other.id, keep.email, other.email) if r}
    for name in ("schools", "interests", "languages", "friends"):
        joined = list(getattr(keep, name))
        seen = {item.lower() for item in joined}
        for item in getattr(other, name):
            if item.lower() not in seen:
                joined.append(item)
                seen.add(item.lower())
        if name == "friends":
            joined = [f for f in joined if f.lower() not in own_refs]
        if len(joined) > len(getattr(keep, name)):
            filled.append(name)
        values[name] = dumps(joined)
    mentors = keep.role in MENTOR_ROLES or other.role in MENTOR_ROLES
    mentees = keep.role in MENTEE_ROLES or other.role in MENTEE_ROLES
    values["role"] = "both" if mentors and mentees else ("mentor" if mentors else "mentee")
    values["capacity"] = max(keep.capacity, other.capacity)
    values["extra"] = dumps({**other.extra, **keep.extra})
    values["promoted_at"] = min((p for p in (keep.promoted_at, other.promoted_at) if p),
                                default=None)
    values["created_at"] = min(keep.created_at, other.created_at)
    return values, filled


def _rewrite_friend_refs(store: Store, refs: set[str | None], new: str | None, *,
                         exclude: Iterable[str]) -> int:
    """Replace (or with `new` None, drop) every friend reference to `refs` in other members'
    lists; the number of lists changed."""
    refs = {r.lower() for r in refs if r}
    skip = set(exclude)
    changed = []
    for member_id, friends in store.conn.execute(
            "SELECT id, friends FROM members WHERE friends != '[]'"):
        if member_id in skip:
            continue
        items = json.loads(friends)
        if not any(item.lower() in refs for item in items):
            continue
        rewritten: list[str] = []
        for item in items:
            target = new if item.lower() in refs else item
            if target is not None and target not in rewritten and target != member_id:
                rewritten.append(target)
        changed.append((dumps(rewritten), member_id))
    store.conn.executemany("UPDATE members SET friends = ? WHERE id = ?", changed)
    return len(changed)


# --- remove ----------------------------------------------------------------------------------


def _removed(store: Store, member_id: str) -> bool:
    return store.scalar("SELECT removed_at FROM members WHERE id = ?", (member_id,)) is not None


def remove_member(store: Store, ref: str) -> Removed:
    """End the person's open pairings, then erase their personal data, in one transaction."""
    store.conn.execute("PRAGMA secure_delete = ON")
    with store.write():
        member = find_member(store, ref)
        if _removed(store, member.id):
            raise Conflict(f"{member.id} was already removed")
        ended = [row[0] for row in store.conn.execute(
            f"SELECT id FROM pairings WHERE (mentee_id = ? OR mentor_id = ?) AND status IN "
            f"({_OPEN}) ORDER BY id", (member.id, member.id))]
        for pairing_id in ended:
            end(store, pairing_id, reason=REMOVED_REASON)
        number = 1 + store.scalar("SELECT count(*) FROM members WHERE removed_at IS NOT NULL")
        while store.scalar("SELECT 1 FROM members WHERE id = ?", (f"removed-{number}",)):
            number += 1
        anonymous = f"removed-{number}"
        _rewrite_friend_refs(store, {member.id, member.email}, None, exclude=(member.id,))
        at = now_iso()
        store.conn.execute(
            "UPDATE members SET id = :new, name = :name, email = NULL, occupation = NULL, "
            "schools = '[]', location = NULL, interests = '[]', friends = '[]', "
            "languages = '[]', capacity = 0, available = 0, goals = NULL, bio = NULL, "
            "organization = NULL, extra = '{}', id_source = 'given', removed_at = :at, "
            "updated_at = :at WHERE id = :old",
            {"new": anonymous, "name": f"Removed member {number}", "at": at, "old": member.id})
        store.conn.execute("DELETE FROM member_aliases WHERE member_id = ?", (anonymous,))
        store.conn.execute("DELETE FROM member_edits WHERE member_id = ?", (anonymous,))
        pairing_ids = "SELECT id FROM pairings WHERE mentee_id = :m OR mentor_id = :m"
        # What they share with someone is their school, place or work: gone with them.
        store.conn.execute(f"UPDATE pairings SET shared = '[]', note = NULL WHERE id IN "
                           f"({pairing_ids})", {"m": anonymous})
        for event_id, note in store.conn.execute(
                f"SELECT id, note FROM events WHERE (pairing_id IN ({pairing_ids}) OR "
                "member_id = :m) AND note IS NOT NULL", {"m": anonymous}).fetchall():
            if not _TOOL_NOTES.match(note):
                store.conn.execute("UPDATE events SET note = NULL WHERE id = ?", (event_id,))
        _forget_resolutions(store, member)
        kept = store.scalar(f"SELECT count(*) FROM ({pairing_ids})", {"m": anonymous})
        store.bump_data_version()
        store.bump_state_version()
    return Removed(anonymous, tuple(ended), kept, ())


def _forget_resolutions(store: Store, member: Member) -> None:
    """Drop what the person's text resolved to, unless another member wrote the same text."""
    texts = [("occupation", member.occupation), ("location", member.location)]
    texts += [("school", school) for school in member.schools]
    for kind, text in texts:
        if not text:
            continue
        if kind == "school":
            used = store.scalar("SELECT 1 FROM members, json_each(members.schools) j "
                                "WHERE j.value = ? LIMIT 1", (text,))
        else:
            used = store.scalar(f"SELECT 1 FROM members WHERE {kind} = ? LIMIT 1", (text,))
        if not used:
            store.conn.execute("DELETE FROM resolutions WHERE kind = ? AND text = ?", (kind, text))
