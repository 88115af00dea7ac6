"""The SQLite file: where it lives, how it opens, its schema and migrations, and transactions.

Everything that touches the database goes through a `Store`. The file is created private (0600)
before SQLite first opens it, uses WAL so readers never block the writer, and is migrated to the
current schema on every open. Writes happen inside `Store.write()`, a `BEGIN IMMEDIATE`
transaction: it takes the write lock up front, so two processes checking a mentor's capacity
cannot both see room and both fill it; a busy database waits (busy_timeout) instead of failing.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from mentorctl.errors import InvalidInput, MentorctlError
from mentorctl.migrations import MIGRATION_SET, MIGRATIONS

APP_NAME = "mentorctl"
DB_ENV = "MENTORCTL_DB"
BUSY_TIMEOUT_MS = 60_000



def app_dir() -> Path:
    """The per-user folder for mentorctl's data, where `typer.get_app_dir("mentorctl")` puts it.

    Written out (it is a few lines) so the core never imports click or typer; a test holds it
    equal to click's answer on this platform.
    """
    if sys.platform.startswith("win"):
        base = os.environ.get("APPDATA")
        return Path(base if base is not None else os.path.expanduser("~")) / APP_NAME
    if sys.platform == "darwin":
        return Path(os.path.expanduser("~/Library/Application Support")) / APP_NAME
    return Path(os.environ.get("XDG_CONFIG_HOME", os.path.expanduser("~/.config"))) / APP_NAME


def default_db_path() -> Path:
    return app_dir() / "mentorctl.db"


def resolve_db_path(flag: str | os.PathLike | None = None) -> Path:
    """The database in use: the --db flag, else $MENTORCTL_DB, else the app directory."""
    if flag:
        return Path(flag).expanduser()
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return default_db_path()


def now_iso() -> str:
    """The current UTC time as stored everywhere: ISO 8601 with seconds, e.g. 2026-11-28T10:00:00Z.

    MENTORCTL_NOW (ISO 8601) freezes the clock, for the demo and for tests of stale pairings.
    """
    frozen = os.environ.get("MENTORCTL_NOW")
    if frozen:
        try:
            return parse_time(frozen).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        except (ValueError, OverflowError):
            raise InvalidInput(f"MENTORCTL_NOW={frozen[:40]!r}: not a time; use ISO 8601, e.g. "
                               "2026-11-28T10:00:00Z (or unset it)") from None
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _create_private(path: Path) -> None:
    """Create an empty file readable only by its owner, so personal data never sits world-readable."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)
    os.chmod(path, 0o600)  # the umask may have narrowed it further; never widened


def database_problem(path: Path, exc: sqlite3.DatabaseError) -> MentorctlError:
    """SQLite's error as the one line a coordinator can act on."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return MentorctlError(f"{path}: busy: another mentorctl is still writing; try again")
    if "readonly" in text:
        return MentorctlError(f"{path}: read-only here: read commands work, but changing the "
                              "program needs write access to the file and its folder")
    if "disk is full" in text or "disk I/O" in text:
        return MentorctlError(f"{path}: cannot write: {text} (free some space and try again; "
                              "nothing was changed)")
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return MentorctlError(f"{path}: the database file is damaged ({text}); check it with "
                              f"`sqlite3 {path} 'PRAGMA integrity_check'`, or restore a backup")
    return MentorctlError(f"{path}: database error: {text}")


# sqlite_utils.Migrations' bookkeeping table, as it creates it (see Store._apply_migrations).
_MIGRATIONS_TABLE = """CREATE TABLE IF NOT EXISTS "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
)"""
_MIGRATIONS_INDEX = """CREATE UNIQUE INDEX IF NOT EXISTS "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name")"""


class Store:
    """An open program database."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        if self.path.is_dir():
            raise InvalidInput(f"{self.path}: is a directory; --db needs a file path")
        try:
            exists = self.path.exists()
            if not exists:
                _create_private(self.path)
            conn = self._connect()
        except (OSError, sqlite3.DatabaseError) as exc:
            raise MentorctlError(f"{self.path}: cannot open the database: {exc}") from None
        conn.row_factory = sqlite3.Row
        self.conn = conn
        self._wrote = False
        try:
            pending = self._pending_migrations()
        except sqlite3.DatabaseError as exc:
            raise MentorctlError(f"{self.path}: not a mentorctl database ({exc}); check it with "
                                 f"`sqlite3 {self.path} 'PRAGMA integrity_check'`, or restore a "
                                 "backup") from None
        if pending:
            try:
                with self.write():
                    self._apply_migrations()
            except sqlite3.OperationalError as exc:
                if "readonly" in str(exc):
                    raise MentorctlError(
                        f"{self.path}: written by an older mentorctl and read-only here; it needs "
                        f"an upgrade ({pending[0]}): open it once where it can be written"
                    ) from None
                raise MentorctlError(f"{self.path}: cannot upgrade the database: {exc}") from None
            except sqlite3.DatabaseError as exc:
                raise MentorctlError(f"{self.path}: not a mentorctl database ({exc})") from None

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            return conn
        except sqlite3.OperationalError as exc:
            conn.close()
            if "readonly" not in str(exc) and "unable to open" not in str(exc):
                raise
        # A read-only file or folder: SQLite cannot make the WAL's shared-memory file beside
        # it, so open the file as immutable (nothing can write it here anyway). Reads work;
        # a write is refused by SQLite with "attempt to write a readonly database".
        from urllib.request import pathname2url

        uri = f"file:{pathname2url(str(self.path.resolve()))}?mode=ro&immutable=1"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    def _pending_migrations(self) -> list[str]:
        if not self.scalar("SELECT 1 FROM sqlite_master WHERE name = '_sqlite_migrations'"):
            if self.scalar("SELECT count(*) FROM sqlite_master"):
                raise MentorctlError(f"{self.path}: an SQLite database, but not mentorctl's "
                                     "(give --db a new file name, or the program's database)")
            return [name for name, _ in MIGRATIONS]
        applied = {row[0] for row in self.conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", (MIGRATION_SET,))}
        known = {name for name, _ in MIGRATIONS}
        unknown = sorted(applied - known)
        if unknown:
            from mentorctl import __version__

            writer = self.scalar("SELECT value FROM meta WHERE key = 'written_by'") or "a newer mentorctl"
            raise MentorctlError(
                f"{self.path}: written by mentorctl {writer} (schema {unknown[-1]}), newer than "
                f"this mentorctl {__version__}; upgrade mentorctl to use it")
        return [name for name, _ in MIGRATIONS if name not in applied]

    def _apply_migrations(self) -> None:
        """Apply the pending migrations inside the caller's write transaction, recorded in
        `_sqlite_migrations` exactly as sqlite_utils.Migrations records them (same table, index
        and rows), so databases stay readable by builds that use it. Not sqlite_utils itself:
        importing it imports pandas and numpy when installed (ortools brings pandas), 0.3-0.8 s
        on every new database for four CREATE TABLE scripts."""
        from mentorctl import __version__

        self.conn.execute(_MIGRATIONS_TABLE)
        self.conn.execute(_MIGRATIONS_INDEX)
        applied = {row[0] for row in self.conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", (MIGRATION_SET,))}
        for name, fn in MIGRATIONS:
            if name in applied:
                continue
            fn(self)  # a migration uses only `.conn` of what it is given
            self.conn.execute(
                "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
                (MIGRATION_SET, name, str(datetime.now(UTC))))
        # Which version last moved the schema: named when an older mentorctl refuses the file.
        self.set_meta("written_by", __version__)

    @property
    def db(self):
        """The sqlite_utils view of this connection, for code that wants its helpers."""
        from sqlite_utils import Database

        if not hasattr(self, "_db"):
            self._db = Database(self.conn)
        return self._db

    def close(self) -> None:
        """Close; after a write, first fold the write-ahead log into the database file, so the
        `.db` file alone holds every committed change (a copy of it is complete)."""
        if self._wrote:
            with contextlib.suppress(sqlite3.DatabaseError):
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @contextlib.contextmanager
    def write(self) -> Iterator[Store]:
        """One write transaction. Nested calls join the outer one (a savepoint)."""
        if self.conn.in_transaction:
            self.conn.execute("SAVEPOINT nested_write")
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK TO SAVEPOINT nested_write")
                    self.conn.execute("RELEASE SAVEPOINT nested_write")
                raise
            else:
                self.conn.execute("RELEASE SAVEPOINT nested_write")
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
            self._wrote = True

    @contextlib.contextmanager
    def read(self) -> Iterator[Store]:
        """One read transaction: every query inside sees the same state of the database.
        Inside a write it is that write's view."""
        if self.conn.in_transaction:
            yield self
            return
        self.conn.execute("BEGIN")
        try:
            yield self
        finally:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")

    def query(self, sql: str, params: tuple | list | dict = ()) -> list[dict]:
        return [dict(row) for row in self.conn.execute(sql, params)]

    def iter_query(self, sql: str, params: tuple | list | dict = ()) -> Iterator[dict]:
        """Rows as dicts, one at a time (for exports of large programs)."""
        for row in self.conn.execute(sql, params):
            yield dict(row)

    def scalar(self, sql: str, params: tuple | list | dict = ()):
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def get_meta(self, key: str) -> str | None:
        return self.scalar("SELECT value FROM meta WHERE key = ?", (key,))

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def data_version(self) -> str:
        """A token that changes whenever members or their resolutions change.

        A random value rather than a counter: two databases (a backup and its original, say) that
        both saw three changes never claim the same version, so a cache keyed by it cannot mix
        them up.
        """
        return self.get_meta("data_version") or "0"

    def bump_data_version(self) -> None:
        """Call inside the write that changes members or resolutions."""
        self.conn.execute("UPDATE meta SET value = lower(hex(randomblob(8))) "
                          "WHERE key = 'data_version'")

    def state_version(self) -> str:
        """A token that changes whenever a member's role, availability or capacity changes
        (and with every data_version): the scoring cache keeps those arrays too."""
        return f"{self.data_version()}:{self.get_meta('state_version') or '0'}"

    def bump_state_version(self) -> None:
        """Call inside the write that changes roles, availability or capacity (not text)."""
        self.set_meta("state_version", os.urandom(8).hex())

    def backup(self, dest: str | os.PathLike) -> Path:
        """A consistent copy of the whole database (VACUUM INTO), private like the original.

        Written under a temporary name in the destination folder and renamed when complete, so a
        killed backup never leaves a half file under the name asked for. The folder must exist.
        """
        dest = Path(dest).expanduser()
        if dest.is_dir():
            dest = dest / self.path.name
        if dest.exists() or dest.is_symlink():
            raise InvalidInput(f"{dest}: already exists; choose a new file name for the backup")
        if not dest.parent.is_dir():
            raise InvalidInput(f"{dest.parent}: no such folder; create it first, or choose "
                               "another place for the backup")
        temporary = dest.with_name(f".{dest.name}.{os.getpid()}.partial")
        old_umask = os.umask(0o077)  # VACUUM INTO creates the file itself: keep it private
        try:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
            self.conn.execute("VACUUM INTO ?", (str(temporary),))
            os.chmod(temporary, 0o600)
            if dest.exists():
                raise InvalidInput(f"{dest}: appeared while the backup was written; kept it")
            os.replace(temporary, dest)
        except sqlite3.DatabaseError as exc:
            raise MentorctlError(f"{dest}: backup failed: {exc}") from None
        except OSError as exc:
            raise InvalidInput(f"{dest}: backup failed: {exc.strerror or exc}") from None
        finally:
            os.umask(old_umask)
            with contextlib.suppress(OSError):
                temporary.unlink()
        return dest


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dumps(value) -> str:
    """JSON as stored in list and mapping columns: compact, non-ASCII kept readable."""
    return _ENCODER.encode(value)
