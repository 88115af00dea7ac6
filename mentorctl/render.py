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


RICH_TABLE_ROWS = 500  # beyond this, rich's layout costs seconds: print aligned plain text


def print_table(columns: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str | None = None,
                empty: str = "nothing to show") -> None:
    rows = [["" if cell is None else str(cell) for cell in row] for row in rows]
    if not rows:
        message(empty)
        return
    if len(rows) > RICH_TABLE_ROWS:
        _print_plain_table(columns, rows, title)
        return
    from rich import box
    from rich.table import Table

    table = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, title_justify="left")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(escape(cell) for cell in row))
    out().print(table)


def _print_plain_table(columns: Sequence[str], rows: list[list[str]], title: str | None) -> None:
    """Columns padded to their widest cell (capped), one line per row: fast at any size."""
    widths = [min(max([len(c)] + [len(r[i]) for r in rows]), 60) for i, c in enumerate(columns)]
    lines = [title] if title else []
    lines.append("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)).rstrip()
                 for row in rows)
    sys.stdout.write("\n".join(lines) + "\n")


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
