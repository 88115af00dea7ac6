"""Output for the command line: two consoles, tables, JSON and CSV, all in one place.

Results go to stdout, everything else to stderr. Rich turns colour off by itself for NO_COLOR and
for pipes; user text is escaped before it meets rich markup, so `[red]x` prints as written.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@cache
def out():
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        # Piped tables are for reading in full or for grep: never fold them at 80 columns.
        console.width = 400
    return console


@cache
def err():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def escape(text: Any) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape("" if text is None else str(text))


def message(text: str, *, style: str | None = None) -> None:
    """A plain message on stderr (markup in `text` is the caller's, user values pre-escaped)."""
    err().print(text, style=style, soft_wrap=True)


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def print_table(columns: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str | None = None,
                empty: str = "nothing to show") -> None:
    from rich import box
    from rich.table import Table

    table = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, title_justify="left")
    for column in columns:
        table.add_column(column, overflow="fold")
    count = 0
    for row in rows:
        table.add_row(*(escape(cell) for cell in row))
        count += 1
    if count == 0:
        message(empty)
        return
    out().print(table)


def neutralize(value: Any) -> Any:
    """OWASP CSV injection: a text cell a spreadsheet would run as a formula gets a leading quote.

    Numbers stay numbers. The import side strips exactly this quote again (see `restore`).
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_csv(stream, header: Sequence[str], rows: Iterable[Sequence[Any]], *,
              bom: bool = False) -> int:
    if bom:
        stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([neutralize("" if v is None else v) for v in row])
        count += 1
    return count
