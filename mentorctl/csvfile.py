"""CSV that is safe to open in a spreadsheet, and output files that never clobber what is there.

A text cell a spreadsheet would run as a formula gets a leading quote (OWASP CSV injection); the
import side strips exactly this quote again (`readers.restore`). Files are written private
(0600: they hold names and emails) beside their target and renamed over it only when complete.
"""

from __future__ import annotations

import contextlib
import csv
import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from mentorctl.errors import InvalidInput

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula gets a leading quote; numbers stay."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_csv(stream: TextIO, header: Sequence[Any], rows: Iterable[Sequence[Any]], *,
              bom: bool = False) -> int:
    """Write header and rows as CSV (CRLF rows, neutralized cells); returns the row count."""
    if bom:
        stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow([neutralize(h) for h in header])
    count = 0
    for row in rows:
        writer.writerow([neutralize("" if v is None else v) for v in row])
        count += 1
    return count


def write_csv_file(path: Path, header: Sequence[Any], rows: Iterable[Sequence[Any]], *,
                   bom: bool = False) -> int:
    """Write an export to `path` without ever replacing something that is not a plain file.

    A symlink is followed to its target. A FIFO or a character device (`-o /dev/null`, a named
    pipe) is written through, as it is. A regular file (or a new name) is written private (0600)
    under a temporary name in the same folder and renamed over the target when complete, so a
    failed export never leaves half a file; the temporary file is removed on failure.
    """
    target = Path(os.path.realpath(path))
    try:
        kind = target.stat().st_mode
    except FileNotFoundError:
        kind = None
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot write: {exc.strerror or exc}") from None
    if kind is not None and stat.S_ISDIR(kind):
        raise InvalidInput(f"{path}: is a directory; give -o a file name")
    if kind is not None and (stat.S_ISFIFO(kind) or stat.S_ISCHR(kind)):
        try:
            with open(target, "w", encoding="utf-8", newline="") as stream:
                return write_csv(stream, header, rows, bom=bom)
        except OSError as exc:
            raise InvalidInput(f"{path}: cannot write: {exc.strerror or exc}") from None
    if kind is not None and not stat.S_ISREG(kind):
        raise InvalidInput(f"{path}: not a regular file; give -o a file name")
    if not target.parent.is_dir():
        raise InvalidInput(f"{target.parent}: no such folder for the export")
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(fd, "w", encoding="utf-8", newline="") as stream:
            count = write_csv(stream, header, rows, bom=bom)
        os.replace(temporary, target)
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
    return count
