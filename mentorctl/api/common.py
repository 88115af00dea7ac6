"""Where things are, settings, backups and the shipped files; what every unit of work shares."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from mentorctl.errors import NotFound
from mentorctl.model import AUDIENCES

if TYPE_CHECKING:
    from mentorctl.config import Settings

PathLike = str | os.PathLike
Progress = Callable[[int, int], None] | None
Stage = Callable[[str], None] | None  # called with a stage's name as it starts


def database_path(db: PathLike | None = None) -> Path:
    """The database in use: `db`, else $MENTORCTL_DB, else the app directory."""
    from mentorctl.store import resolve_db_path

    return resolve_db_path(db)


def settings_file(db: PathLike | None = None) -> Path:
    """The settings file for a database: $MENTORCTL_CONFIG, else `mentorctl.yaml` beside it."""
    from mentorctl.config import settings_path

    return settings_path(database_path(db))


def load_settings(db: PathLike | None = None) -> Settings:
    """The settings in force for a database, validated (defaults where the file is silent)."""
    from mentorctl.config import load_settings as load

    return load(settings_file(db))


def default_settings() -> Settings:
    """The settings with every default and no file (what `demo` uses)."""
    from mentorctl.config import Settings

    return Settings()


def init_settings(*, db: PathLike | None = None, force: bool = False) -> Path:
    """Write a commented starting settings file; refuses to overwrite one unless `force`."""
    from mentorctl.config import write_starter

    return write_starter(settings_file(db), force=force)


@contextlib.contextmanager
def opened_store(db: PathLike | None) -> Iterator[Any]:
    """The program's store for one unit of work; SQLite's own errors become one plain line."""
    import sqlite3

    from mentorctl.store import Store, database_problem

    path = database_path(db)
    with Store(path) as store:
        try:
            yield store
        except sqlite3.DatabaseError as exc:
            raise database_problem(path, exc) from None


def settings_in_force(db: PathLike | None, settings: Settings | None) -> Settings:
    """The settings given, else those in force for the database."""
    return settings if settings is not None else load_settings(db)


def backup(dest: PathLike, *, db: PathLike | None = None) -> Path:
    """A consistent, private copy of the database at `dest` (a new file, or into a folder)."""
    with opened_store(db) as store:
        return store.backup(dest)


def read_sources(names: Iterable[PathLike]) -> list[tuple[str, bytes]]:
    """(name, bytes) for each file to import; '-' reads standard input."""
    from mentorctl.readers import read_files

    return read_files(names)


def write_csv(stream: TextIO, header: Sequence[Any], rows: Iterable[Sequence[Any]], *,
              bom: bool = False) -> int:
    """CSV with every cell a spreadsheet would run as a formula neutralized."""
    from mentorctl.csvfile import write_csv as write

    return write(stream, header, rows, bom=bom)


def guidelines() -> dict[str, str]:
    """The shipped guidelines: audience -> what they cover."""
    from mentorctl.report import GUIDELINES

    return {audience: GUIDELINES[audience] for audience in AUDIENCES}


def guideline(audience: str) -> str:
    """The Markdown text of the guidelines for `mentor`, `mentee` or `coordinator`."""
    from mentorctl.report import guideline as text

    return text(audience)


def sample_files() -> list[Path]:
    """The sample program shipped with mentorctl (a form export and a YAML list)."""
    from mentorctl.report import shipped_path

    folder = shipped_path("sample_data")
    files = [folder / name for name in ("members.csv", "members.yaml")]
    missing = [f for f in files if not f.is_file()]
    if missing:
        raise NotFound(f"{missing[0]}: missing from this installation; reinstall mentorctl")
    return files
