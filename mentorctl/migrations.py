"""The schema, as numbered migrations: append-only, never edited once shipped.

`Store` applies the pending ones when it opens a database, in one write transaction, and records
them in `_sqlite_migrations` as sqlite_utils.Migrations does (Store._apply_migrations).
"""

from __future__ import annotations

import sqlite3
from typing import Any

MIGRATION_SET = "mentorctl"
# (name, function) in order.
MIGRATIONS: list[tuple[str, Any]] = []


def migration(name: str):
    def register(fn):
        MIGRATIONS.append((name, fn))
        return fn

    return register


def _run_script(db, script: str) -> None:
    """Run each statement of a script inside the caller's transaction.

    sqlite3's executescript() would COMMIT first, breaking the one-transaction-per-migration rule.
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement.strip()[:60]}")


# --- migrations: numbered, append-only. Never edit one that has shipped. ---------------------


@migration("0001_members_pairings_events")
def _m0001(db) -> None:
    _run_script(
        db,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);

        -- One row per person. List fields are JSON arrays (query them with json_each).
        CREATE TABLE members (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            email TEXT,
            role TEXT NOT NULL CHECK (role IN ('mentor', 'mentee', 'both')),
            occupation TEXT,
            schools TEXT NOT NULL DEFAULT '[]',
            location TEXT,
            interests TEXT NOT NULL DEFAULT '[]',
            friends TEXT NOT NULL DEFAULT '[]',
            languages TEXT NOT NULL DEFAULT '[]',
            capacity INTEGER NOT NULL DEFAULT 1 CHECK (capacity >= 0),
            available INTEGER NOT NULL DEFAULT 1 CHECK (available IN (0, 1)),
            goals TEXT,
            bio TEXT,
            organization TEXT,
            extra TEXT NOT NULL DEFAULT '{}',
            id_source TEXT NOT NULL DEFAULT 'given' CHECK (id_source IN ('given', 'email', 'name')),
            promoted_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX members_email ON members (lower(email)) WHERE email IS NOT NULL;
        CREATE INDEX members_role ON members (role, available);

        -- A mentor-mentee pair and where it stands in its lifecycle.
        CREATE TABLE pairings (
            id INTEGER PRIMARY KEY,
            mentee_id TEXT NOT NULL REFERENCES members (id) ON UPDATE CASCADE,
            mentor_id TEXT NOT NULL REFERENCES members (id) ON UPDATE CASCADE,
            status TEXT NOT NULL CHECK (status IN ('proposed', 'introduced', 'active', 'paused',
                                                   'completed', 'declined', 'ended')),
            score REAL,
            shared TEXT NOT NULL DEFAULT '[]',
            note TEXT,
            created_at TEXT NOT NULL,
            introduced_at TEXT,
            started_at TEXT,
            ended_at TEXT,
            last_checkin_at TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX pairings_mentor ON pairings (mentor_id, status);
        CREATE INDEX pairings_mentee ON pairings (mentee_id, status);
        CREATE INDEX pairings_status ON pairings (status);

        -- The history: every state change, check-in and promotion.
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            pairing_id INTEGER REFERENCES pairings (id),
            member_id TEXT REFERENCES members (id) ON UPDATE CASCADE,
            old_state TEXT,
            new_state TEXT,
            note TEXT
        );
        CREATE INDEX events_pairing ON events (pairing_id);
        CREATE INDEX events_member ON events (member_id);

        -- Each distinct free-text value resolved once: raw text beside its canonical entry.
        CREATE TABLE resolutions (
            kind TEXT NOT NULL CHECK (kind IN ('occupation', 'school', 'location')),
            text TEXT NOT NULL,
            key TEXT,
            canonical TEXT,
            score REAL NOT NULL,
            method TEXT NOT NULL,
            attrs TEXT NOT NULL DEFAULT '{}',
            PRIMARY KEY (kind, text)
        );

        CREATE VIEW open_pairings AS
            SELECT * FROM pairings WHERE status IN ('proposed', 'introduced', 'active', 'paused');

        CREATE VIEW mentor_load AS
            SELECT m.id AS mentor_id, m.name, m.capacity, m.available,
                   (SELECT count(*) FROM open_pairings p WHERE p.mentor_id = m.id) AS open_pairings,
                   max(m.capacity - (SELECT count(*) FROM open_pairings p
                                     WHERE p.mentor_id = m.id), 0) AS room_left,
                   (SELECT count(*) FROM pairings p
                    WHERE p.mentor_id = m.id AND p.status = 'completed') AS completed
            FROM members m WHERE m.role IN ('mentor', 'both');

        -- Members with each free-text field beside what it resolved to.
        CREATE VIEW members_resolved AS
            SELECT m.id, m.name, m.role,
                   m.occupation, occ.canonical AS occupation_canonical,
                   json_extract(occ.attrs, '$.family') AS occupation_family,
                   m.location, loc.canonical AS location_canonical,
                   m.schools
            FROM members m
            LEFT JOIN resolutions occ ON occ.kind = 'occupation' AND occ.text = m.occupation
            LEFT JOIN resolutions loc ON loc.kind = 'location' AND loc.text = m.location;
        """
    )


@migration("0002_program_snapshot")
def _m0002(db) -> None:
    _run_script(
        db,
        """
        -- Bumped by every write that changes members or their resolutions.
        INSERT OR IGNORE INTO meta (key, value) VALUES ('data_version', '0');

        -- The program as arrays (see program.py), valid while data_version is unchanged.
        CREATE TABLE program_snapshot (
            version TEXT PRIMARY KEY,
            header TEXT NOT NULL,
            arrays BLOB NOT NULL
        );
        """,
    )


@migration("0003_program_snapshot_leaves_the_database")
def _m0003(db) -> None:
    # The scoring cache moved to a file beside the database (program.py), so read commands never
    # write the database; its table only took room.
    _run_script(db, "DROP TABLE IF EXISTS program_snapshot;")


@migration("0004_pairing_origin")
def _m0004(db) -> None:
    # How a pairing was made: 'hand' (`pair MENTEE MENTOR`) or 'auto' (`pair --auto`); NULL for
    # pairings made before this was recorded. An intro is sent to a pair that shares no
    # language only when the coordinator paired them by hand.
    _run_script(db, "ALTER TABLE pairings ADD COLUMN origin TEXT "
                    "CHECK (origin IS NULL OR origin IN ('hand', 'auto'));")


@migration("0005_living_roster")
def _m0005(db) -> None:
    _run_script(
        db,
        """
        -- Fields the coordinator changed by hand (`member set`, `promote`, a merge): a later
        -- import of the sign-up sheet keeps them unless told to take the file's values.
        CREATE TABLE member_edits (
            member_id TEXT NOT NULL REFERENCES members (id) ON UPDATE CASCADE ON DELETE CASCADE,
            field TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (member_id, field)
        );

        -- Emails and ids of records merged into another (`member merge`): a later import of a
        -- sheet that still has the old email updates the kept record instead of re-creating
        -- the merged one.
        CREATE TABLE member_aliases (
            alias TEXT PRIMARY KEY,
            member_id TEXT NOT NULL REFERENCES members (id) ON UPDATE CASCADE ON DELETE CASCADE,
            at TEXT NOT NULL
        );

        -- Set when a member was removed (`member remove`): the row stays, anonymized, so the
        -- pairings and events that name it keep the program's history and report true.
        ALTER TABLE members ADD COLUMN removed_at TEXT;
        """,
    )
