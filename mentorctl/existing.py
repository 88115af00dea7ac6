"""What the database already holds, for an import to match its rows against, and what a
re-import must leave alone: the coordinator's edits and the records they merged into others."""

from __future__ import annotations

from typing import Any

from mentorctl.model import LIST_FIELDS
from mentorctl.store import Store, dumps


def stored_form(values: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in values.items():
        if key in LIST_FIELDS:
            out[key] = dumps(value) if value else "[]"
        elif key == "available":
            out[key] = int(value)
        elif key == "extra":
            out[key] = dumps(value) if value else "{}"
        else:
            out[key] = value
    return out


class Existing:
    """What the database already holds, indexed for matching incoming rows."""

    def __init__(self, store: Store):
        self.by_id: dict[str, dict[str, Any]] = {}
        self.id_by_email: dict[str, str] = {}
        self.ids_by_name: dict[str, list[str]] = {}
        for row in store.query("SELECT * FROM members WHERE removed_at IS NULL"):
            self.by_id[row["id"]] = row
            if row["email"]:
                self.id_by_email[row["email"].lower()] = row["id"]
            if row["id_source"] == "name":
                self.ids_by_name.setdefault(row["name"].lower(), []).append(row["id"])
        # Emails and ids of records merged into another (`member merge`).
        self.merged_into: dict[str, str] = dict(store.conn.execute(
            "SELECT alias, member_id FROM member_aliases"))
        self.edits: dict[str, set[str]] = {}
        for member_id, name in store.conn.execute("SELECT member_id, field FROM member_edits"):
            self.edits.setdefault(member_id, set()).add(name)


def split_merged(records: list, existing: Existing
                  ) -> tuple[list, list[str]]:
    """Rows of a record the coordinator merged into another (by its old email or id) are left
    alone: the person's data lives on the kept record. The rest, and the kept ids of those."""
    rest, merged = [], []
    for record in records:
        email = record.values.get("email")
        into = None
        if email and email not in existing.id_by_email:
            into = existing.merged_into.get(email)
        if into is None and record.id is not None and record.id not in existing.by_id:
            into = existing.merged_into.get(record.id)
        if into is None:
            rest.append(record)
        else:
            merged.append(into)
    return rest, merged


def keep_edits(records: list, existing: Existing) -> list[tuple[str, str]]:
    """Drop from each row the fields the coordinator edited by hand where the file differs;
    (member id, field) for each value kept."""
    kept = []
    for record in records:
        edited = existing.edits.get(record.id)
        if not edited:
            continue
        stored = existing.by_id[record.id]
        for name in sorted(edited):
            if name not in record.values:
                continue
            value = stored_form({name: record.values[name]})[name]
            if value != stored[name]:
                del record.values[name]
                kept.append((record.id, name))
    return kept


def forget_edits(store: Store, updates: list[dict[str, Any]]) -> None:
    """The file's values were taken over the coordinator's edits: they are no longer edits."""
    store.conn.executemany(
        "DELETE FROM member_edits WHERE member_id = ? AND field = ?",
        [(row["id"], name) for row in updates for name in row if name != "id"])
