"""Importing members: validate every row of every file, then write them all in one transaction.

Nothing is written unless the whole input is valid (or `skip_invalid` is set, in which case only
the valid rows are). Re-importing the same file changes nothing: members are matched by id, or by
email (then name) when the id was derived rather than given.
"""

from __future__ import annotations

import functools
import gc
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from mentorctl.answers import read_capacity, read_role
from mentorctl.errors import ImportRejected, InvalidInput  # noqa: F401 (re-exported)
from mentorctl.existing import Existing, forget_edits, keep_edits, split_merged, stored_form
from mentorctl.model import LIST_FIELDS, MAX_CAPACITY, ROLES, ColumnMapping, ImportResult, RowError
from mentorctl.readers import SourceRow, read_rows
from mentorctl.resolution import strip_accents
from mentorctl.store import Store, dumps, now_iso

EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>.]{2,}$")
GIVEN_ID = re.compile(r"^[\w.@+-]{1,64}$")
_SPLIT_LISTS = re.compile(r"[;|\n]")
_SPLIT_LISTS_AND_COMMAS = re.compile(r"[;|\n,]")
# Schools never split on commas: "University of California, Berkeley" is one school.
_SPLITTERS = {"schools": _SPLIT_LISTS, "interests": _SPLIT_LISTS_AND_COMMAS,
              "languages": _SPLIT_LISTS_AND_COMMAS, "friends": _SPLIT_LISTS_AND_COMMAS}
_TRUE = {"true", "yes", "y", "1", "available", "active", "on", "x"}
_FALSE = {"false", "no", "n", "0", "unavailable", "inactive", "off", "paused"}
COLUMNS = ("id", "name", "email", "role", "occupation", "schools", "location", "interests",
           "friends", "languages", "capacity", "available", "goals", "bio", "organization",
           "extra", "id_source")


@dataclass
class _Tally:
    """The import's outcome while it is being worked out; `frozen()` is what callers get."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rejected_rows: int = 0
    dry_run: bool = False
    edits_kept: list[tuple[str, str]] = field(default_factory=list)
    columns: list[ColumnMapping] = field(default_factory=list)

    def frozen(self) -> ImportResult:
        return ImportResult(tuple(self.created), tuple(self.updated), tuple(self.unchanged),
                            tuple(self.errors), self.rejected_rows, self.dry_run,
                            tuple(self.edits_kept), columns=tuple(self.columns))


@dataclass
class _Record:
    """A validated row on its way to the members table."""

    row: SourceRow
    values: dict[str, Any]  # column -> stored value, only for the columns the row sets
    id: str | None = None


def slug(text: str) -> str:
    """An id from a name or an email's local part: 'José Álvarez' -> 'jose.alvarez'."""
    return re.sub(r"[^\w]+", ".", strip_accents(text).lower()).strip("._")


def split_list(name: str, value: Any) -> list[str]:
    if value is None:
        return []
    parts = value if isinstance(value, list) else _SPLITTERS[name].split(str(value))
    items: list[str] = []
    seen: set[str] = set()
    for part in parts:
        item = " ".join(str(part).split())
        if item and item.lower() not in seen:
            seen.add(item.lower())
            items.append(item)
    return items


# Longest text each field takes, in characters: generous for people, small for a hostile file.
MAX_CHARS = {"name": 200, "email": 254, "id": 64, "role": 100, "occupation": 300,
             "location": 300, "organization": 300, "goals": 10_000, "bio": 10_000}
MAX_ITEM_CHARS = 300  # one school, interest, friend or language
MAX_ITEMS = 100  # of one list field
MAX_EXTRA_CHARS = 10_000  # one kept extra column
# Control characters have no place in sign-up text and can drive a terminal: refused (tab and
# line breaks are fine).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _check_text(text: str, limit: int) -> str:
    # Control characters are non-printable: most text is printable and skips the search.
    found = None if text.isprintable() else _CONTROL.search(text)
    if found:
        raise ValueError(f"a control character (U+{ord(found.group()):04X}) at position "
                         f"{found.start() + 1}; remove it")
    if len(text) > limit:
        raise ValueError(f"{len(text):,} characters, more than the {limit:,} this field takes")
    return text


def _text(value: Any, limit: int = 300) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, dict)):
        raise ValueError("expected text, not a list or mapping")
    text = _check_text(str(value), limit if limit < MAX_EXTRA_CHARS else MAX_EXTRA_CHARS).strip()
    return text or None


def _list(name: str, raw: Any) -> list[str]:
    if isinstance(raw, dict) or (isinstance(raw, list) and any(
            isinstance(v, (list, dict)) for v in raw)):
        raise ValueError("expected a list of text values")
    if isinstance(raw, str):
        _check_text(raw, MAX_ITEMS * (MAX_ITEM_CHARS + 2))
    items = split_list(name, raw)
    if len(items) > MAX_ITEMS:
        raise ValueError(f"{len(items)} entries, more than the {MAX_ITEMS} this field takes")
    # Items split from checked text hold none of its control characters and are no longer than
    # it: only a longer text (or a list) needs its items checked (~1.3 M checks at 100k rows).
    if not isinstance(raw, str) or len(raw) > MAX_ITEM_CHARS:
        for item in items:
            _check_text(item, MAX_ITEM_CHARS)
    return items


def _extra_size(value: Any) -> int:
    if isinstance(value, list):
        return sum(_extra_size(v) for v in value) + len(value)
    if isinstance(value, dict):
        return sum(len(str(k)) + _extra_size(v) for k, v in value.items())
    if isinstance(value, str):
        _check_text(value, MAX_EXTRA_CHARS)
    return len(str(value))


def validate_row(row: SourceRow, default_role: str | None) -> tuple[_Record | None, list[RowError]]:
    """Check one row and turn it into column values; every problem is reported, not just the first."""
    errors: list[RowError] = []
    values: dict[str, Any] = {}

    def bad(name: str, message: str) -> None:
        errors.append(RowError(row.file, row.line, name, message))

    for name, raw in row.values.items():
        try:
            if name in LIST_FIELDS:
                values[name] = _list(name, raw)
            elif name == "capacity":
                values[name] = _capacity(raw)
            elif name == "available":
                values[name] = _available(raw)
            else:
                values[name] = _text(raw, MAX_CHARS.get(name, 300))
        except ValueError as exc:
            bad(name, str(exc))
    for header, value in row.extra.items():
        try:
            if _extra_size(value) > MAX_EXTRA_CHARS:
                raise ValueError(f"more than the {MAX_EXTRA_CHARS:,} characters a kept column "
                                 "takes")
        except ValueError as exc:
            bad(str(header)[:80], str(exc))

    if not values.get("name") and not any(e.field == "name" for e in errors):
        bad("name", "required, but empty")
    role = values.get("role")
    if role is None:
        role = default_role
        if role is None:
            bad("role", "required, but empty (mentor, mentee or both; or use --role)")
    else:
        role = read_role(role)  # "I'd like to mentor someone" is a mentor: never a guess
        if role is None:
            bad("role", f"{values['role']!r} is not a role: use mentor, mentee or both")
    values["role"] = role
    email = values.get("email")
    if email is not None:
        email = email.lower()
        values["email"] = email
        if not EMAIL.match(email):
            bad("email", f"{values['email']!r} does not look like an email address")
    given_id = values.pop("id", None)
    if given_id is not None and not GIVEN_ID.match(given_id):
        bad("id", f"{given_id!r}: use letters, digits, '.', '_', '-' (no spaces), 64 at most")
    for capacity_key in ("capacity", "available"):
        if values.get(capacity_key) is None:
            values.pop(capacity_key, None)  # blank: keep the default or the stored value
    if row.extra:
        values["extra"] = dict(row.extra)
    record = _Record(row, values, given_id)
    if given_id is not None:
        values["id_source"] = "given"
    return (None if errors else record), errors


def _capacity(raw: Any) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValueError(f"{raw!r} is not a number of mentees")
    number = raw if isinstance(raw, (int, float)) else read_capacity(str(raw))
    if number is None:
        return None  # "N/A": the question was not for this member
    if number == "unreadable":
        raise ValueError(f"{raw!r} is not a whole number of mentees")
    if not float(number).is_integer() or not 0 <= number <= MAX_CAPACITY:
        raise ValueError(f"{raw!r}: capacity must be a whole number from 0 to {MAX_CAPACITY}")
    return int(number)


def _available(raw: Any) -> bool | None:
    if raw is None or isinstance(raw, bool):
        return raw
    word = str(raw).strip().lower()
    if not word:
        return None
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError(f"{raw!r}: use yes or no")


def _assign_ids(records: list[_Record], existing: Existing) -> list[RowError]:
    """Give every record its id; report duplicate ids and emails within the import."""
    errors: list[RowError] = []
    taken: dict[str, _Record] = {}
    emails: dict[str, _Record] = {}
    for record in records:
        email = record.values.get("email")
        if email:
            first = emails.get(email)
            if first is not None:
                errors.append(RowError(record.row.file, record.row.line, "email",
                                       f"{email} appears twice (first at {_where(first)})"))
                continue
            emails[email] = record
        if record.id is not None:
            first = taken.get(record.id)
            if first is not None:
                errors.append(RowError(record.row.file, record.row.line, "id",
                                       f"duplicate id {record.id!r} (first at {_where(first)})"))
                continue
            taken[record.id] = record
    # Derived ids after given ones, so a given id always keeps its name.
    for record in records:
        if record.id is not None:
            continue
        email = record.values.get("email")
        name = record.values["name"]
        known = existing.id_by_email.get(email) if email else None
        if known is None and not email:
            known = next((i for i in existing.ids_by_name.get(name.lower(), ()) if i not in taken),
                         None)
        if known is not None:
            record.id = known
        else:
            base = slug(email.split("@")[0]) if email else slug(name)
            base = base[:56].rstrip("._") or "member"  # room for "-NNN", within the 64 of an id
            candidate, n = base, 1
            while candidate in taken or candidate in existing.by_id:
                n += 1
                candidate = f"{base}-{n}"
            record.id = candidate
        record.values["id_source"] = "email" if email else "name"
        taken[record.id] = record
    # An email must not move to a different member than the one holding it.
    for record in records:
        email = record.values.get("email")
        owner = existing.id_by_email.get(email) if email else None
        if owner is not None and owner != record.id:
            errors.append(RowError(record.row.file, record.row.line, "email",
                                   f"{email} already belongs to member {owner!r}"))
    return errors


def _where(record: _Record) -> str:
    return f"{record.row.file}:{record.row.line}"


def _self_friend_errors(records: list[_Record]) -> list[RowError]:
    errors = []
    for record in records:
        own = {record.id.lower()}
        if record.values.get("email"):
            own.add(record.values["email"])
        for friend in record.values.get("friends", ()):
            if friend.lower() in own:
                errors.append(RowError(record.row.file, record.row.line, "friends",
                                       f"{record.values['name']} lists themself as a friend"))
    return errors


def _without_cycle_collection(function: Callable) -> Callable:
    """Run without the cyclic garbage collector. An import holds millions of objects (rows,
    records, their values, the resolvers' tables) alive until it ends; each full pass of the
    collector walked them all to free nothing, ~25 % of a 100,000-member import (~3 s). Its
    garbage is freed by reference counting as usual; cycles wait until it returns."""
    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()
    return run


@_without_cycle_collection
def import_members(
    store: Store,
    files: Sequence[tuple[str, bytes]],
    *,
    mapping: dict[str, tuple[str | None, str]] | None = None,
    role: str | None = None,
    encoding: str | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
    overwrite_edits: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
    after_write: Callable[[Store], None] | None = None,
) -> ImportResult:
    """Import members from (file name, bytes) pairs. Raises ImportRejected if rows are invalid
    and skip_invalid is false; file-level problems raise InvalidInput. Nothing is written then.

    `after_write` runs inside the same transaction (normalization uses it to resolve new text).
    A field the coordinator changed by hand (`member set`, `promote`, a merge) keeps its value
    unless `overwrite_edits`, which takes the file's value and forgets the edit.
    """
    if role is not None and role not in ROLES:
        raise InvalidInput(f"--role {role!r}: use mentor, mentee or both")
    rows: list[SourceRow] = []
    result = _Tally(dry_run=dry_run)
    for name, data in files:
        file_rows, columns = read_rows(name, data, encoding=encoding, mapping=mapping,
                                       need_role=role is None)
        rows.extend(file_rows)
        result.columns.extend(columns)

    records: list[_Record] = []
    bad_rows: set[tuple[str, int]] = set()
    total = len(rows)
    for index, row in enumerate(rows, 1):
        record, errors = validate_row(row, role)
        if errors:
            result.errors.extend(errors)
            bad_rows.add((row.file, row.line))
        else:
            records.append(record)
        if on_progress and (index % 2000 == 0 or index == total):
            on_progress(index, total)

    # What the database holds is read inside the transaction that writes: two imports of the
    # same new people at once are serialized, and the second sees the first's members.
    with store.read() if dry_run else store.write():
        existing = Existing(store)
        records, merged = split_merged(records, existing)
        result.unchanged.extend(merged)
        id_errors = _assign_ids(records, existing)
        result.edits_kept = [] if overwrite_edits else keep_edits(records, existing)
        id_errors += _self_friend_errors([r for r in records if r.id is not None])
        id_errors += _role_drift_errors(store, [r for r in records if r.id in existing.by_id],
                                        existing)
        result.errors.extend(id_errors)
        bad_rows.update((e.file, e.line) for e in id_errors)
        result.errors.sort(key=lambda e: (e.file, e.line))
        result.rejected_rows = len(bad_rows)
        if bad_rows and not skip_invalid:
            raise ImportRejected(result.frozen())
        records = [r for r in records if (r.row.file, r.row.line) not in bad_rows]
        inserts, updates = _plan_changes(records, existing, result)
        if not dry_run:
            _write(store, inserts, updates)
            if overwrite_edits:
                forget_edits(store, updates)
            if after_write is not None:
                after_write(store)
    return result.frozen()


def _write(store: Store, inserts: list[dict[str, Any]], updates: list[dict[str, Any]]) -> None:
    at = now_iso()
    if inserts:
        store.conn.executemany(
            f"INSERT INTO members ({', '.join(COLUMNS)}, created_at, updated_at) "
            f"VALUES ({', '.join('?' * len(COLUMNS))}, ?, ?)",
            [[row.get(c) for c in COLUMNS] + [at, at] for row in inserts],
        )
    for row in updates:
        columns = [c for c in row if c != "id"]
        store.conn.execute(
            f"UPDATE members SET {', '.join(f'{c} = ?' for c in columns)}, updated_at = ? "
            "WHERE id = ?",
            [row[c] for c in columns] + [at, row["id"]],
        )
    if inserts or updates:
        store.bump_data_version()


def _role_drift_errors(store: Store, records: list[_Record], existing: Existing
                       ) -> list[RowError]:
    """A re-imported row may not change a role or capacity against the member's open pairings."""
    from mentorctl.members import role_change_problem

    errors = []
    for record in records:
        stored = existing.by_id[record.id]
        role = record.values.get("role")
        capacity = record.values.get("capacity")
        role = None if role == stored["role"] else role
        capacity = None if capacity is None or capacity >= stored["capacity"] else capacity
        problem = role_change_problem(store, record.id, role, capacity)
        if problem:
            field = "role" if role is not None and "become" in problem else "capacity"
            errors.append(RowError(record.row.file, record.row.line, field,
                                   f"{record.id} {problem}"))
    return errors


_DEFAULTS = {"schools": "[]", "interests": "[]", "friends": "[]", "languages": "[]",
             "capacity": 1, "available": 1, "extra": "{}"}


_EMPTY_ROW = {**{c: None for c in COLUMNS}, **_DEFAULTS}


def _plan_changes(records: list[_Record], existing: Existing, result: _Tally):
    """Split records into inserts and updates; a row equal to what is stored is unchanged."""
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for record in records:
        stored = existing.by_id.get(record.id)
        values = stored_form(record.values)
        if stored is None:
            row = {**_EMPTY_ROW, **values}
            row["id"] = record.id
            inserts.append(row)
            result.created.append(record.id)
            continue
        # Extra columns accumulate: a later file without a column does not erase it.
        values["extra"] = dumps({**json.loads(stored["extra"] or "{}"), **record.row.extra})
        if stored["id_source"] != "given" and record.values.get("id_source") == "given":
            values["id_source"] = "given"
        elif stored["id_source"] == "given":
            values.pop("id_source", None)
        changed = {k: v for k, v in values.items() if stored.get(k) != v}
        if changed:
            updates.append({"id": record.id, **changed})
            result.updated.append(record.id)
        else:
            result.unchanged.append(record.id)
    return inserts, updates
