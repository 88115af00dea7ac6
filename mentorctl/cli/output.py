"""Everything the command line prints: two consoles, the shared output options, and `emit`, the
one function that renders a result as a table, JSON or CSV.

Results go to stdout, everything else to stderr. Every piece of text that reaches rich passes
through `clean` here, which neutralizes control characters (ANSI and OSC escape sequences, bidi
overrides) and escapes rich markup, so a member named `Bob [/]` or `\\x1b]8;;https://evil\\x07`
prints as written and no caller can forget. Rich turns colour off for NO_COLOR and for pipes.
"""


import contextlib
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Annotated, Any

import typer

from mentorctl.errors import UsageError


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[Format | None, typer.Option(
    "--format", "-f", help="Output format: table, json or csv.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")]


def chosen(format_: Format | None, json_: bool, default: Format = Format.table) -> Format:
    """The format asked for by --format and --json together."""
    if json_ and format_ not in (None, Format.json):
        raise UsageError(f"--json and --format {format_.value} disagree: give one of them")
    return Format.json if json_ else (format_ or default)


# --- consoles and safe text ----------------------------------------------------------------------


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


# C0 and C1 controls except tab and newline, DEL, and the bidi overrides that reorder a line.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe_text(value: Any) -> str:
    """User text made harmless for a terminal: each control character shown as an escape."""
    text = "" if value is None else str(value)
    if _UNSAFE.search(text):
        text = _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                           else f"\\u{ord(m.group()):04x}", text)
    return text


def clean(value: Any) -> str:
    """Text ready for rich: controls neutralized, markup escaped."""
    from rich.markup import escape

    return escape(safe_text(value))


def message(text: str) -> None:
    """One line (or a few) on stderr. Plain text: nothing in it is read as markup."""
    err().print(clean(text), soft_wrap=True)


# --- tables, JSON and CSV ---------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    columns: Sequence[str]
    rows: Iterable[Sequence[Any]]
    title: str | None = None
    empty: str = "nothing to show"


RICH_TABLE_ROWS = 500  # beyond this, rich's layout costs seconds: print aligned plain text


def print_table(table: Table, *, stderr: bool = False) -> None:
    """A table on stdout, or on stderr (`stderr=True`) when it accompanies another result."""
    rows = [[safe_text(cell) for cell in row] for row in table.rows]
    if not rows:
        if table.empty:
            message(table.empty)
        return
    if len(rows) > RICH_TABLE_ROWS:
        _print_plain_table(table.columns, rows, table.title, sys.stderr if stderr else sys.stdout)
        return
    from rich import box
    from rich.table import Table as RichTable

    shown = RichTable(title=clean(table.title) if table.title else None, box=box.SIMPLE_HEAD,
                      show_edge=False, title_justify="left")
    for column in table.columns:
        shown.add_column(clean(column), overflow="fold")
    for row in rows:
        shown.add_row(*(clean(cell) for cell in row))
    (err() if stderr else out()).print(shown)


def _print_plain_table(columns: Sequence[str], rows: list[list[str]], title: str | None,
                       stream=None) -> None:
    """Columns padded to their widest cell (capped), one line per row: fast at any size."""
    widths = [min(max([len(c)] + [len(r[i]) for r in rows]), 60) for i, c in enumerate(columns)]
    lines = [safe_text(title)] if title else []
    lines.append("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)).rstrip()
                 for row in rows)
    (stream or sys.stdout).write("\n".join(lines) + "\n")


def print_json(value: Any) -> None:
    # JSON escapes every control character, so it needs no cleaning.
    sys.stdout.write(dumps_indented(value) + "\n")


class _Unusual(Exception):
    """A value dumps_indented leaves to json.dumps."""


def dumps_indented(value: Any) -> str:
    """json.dumps(value, ensure_ascii=False, indent=2), byte for byte, faster.

    With an indent, json.dumps gives up its C encoder for nested Python generators (2.8 s for
    `pair --auto --json` at 100k); this writes the same text with list comprehensions, a lookup
    by exact type and the C string escaper. Anything but str/int/float/bool/None in dicts (str
    keys) and lists/tuples (subclasses included: StrEnum, IntEnum) goes to json.dumps itself,
    which also reports what it cannot encode.
    """
    import json  # here: most commands print no JSON
    from json.encoder import encode_basestring  # the C escaper when available

    def number(x: float) -> str:
        if x != x:
            return "NaN"
        if x in (float("inf"), float("-inf")):
            return "Infinity" if x > 0 else "-Infinity"
        return float.__repr__(x)

    def unusual(x: Any) -> str:
        raise _Unusual

    scalars = {str: encode_basestring, int: int.__repr__, float: number,
               bool: lambda x: "true" if x else "false", type(None): lambda x: "null"}

    def encode(x: Any, outer: str) -> str:
        inner = outer + "  "
        if type(x) is dict:
            if not x:
                return "{}"
            items = [(encode_basestring(k) if type(k) is str else unusual(k)) + ": " + (
                scalars[type(v)](v) if type(v) in scalars else encode(v, inner))
                for k, v in x.items()]
            return "{" + inner + ("," + inner).join(items) + outer + "}"
        if type(x) is list or type(x) is tuple:
            if not x:
                return "[]"
            items = [scalars[type(v)](v) if type(v) in scalars else encode(v, inner) for v in x]
            return "[" + inner + ("," + inner).join(items) + outer + "]"
        raise _Unusual

    try:
        return scalars[type(value)](value) if type(value) in scalars else encode(value, "\n")
    except (_Unusual, RecursionError):
        return json.dumps(value, ensure_ascii=False, indent=2)


@contextlib.contextmanager
def csv_stdout() -> Iterator[Any]:
    """Standard output for CSV: UTF-8 whatever the locale says, no newline translation."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        yield sys.stdout
        return
    sys.stdout.flush()
    yield _Utf8(buffer)
    buffer.flush()


def print_csv(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, bom: bool = False) -> int:
    from mentorctl.api import write_csv

    with csv_stdout() as stream:
        return write_csv(stream, header, rows, bom=bom)


class _Utf8:
    """The one method csv.writer needs, encoding straight into a binary stream."""

    def __init__(self, buffer):
        self.buffer = buffer

    def write(self, text: str) -> int:
        return self.buffer.write(text.encode("utf-8"))


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v["text"]) if isinstance(v, dict) and "text" in v else str(_cell(v))
                         for v in value)
    if isinstance(value, dict):  # JSON, never a Python repr
        import json

        return json.dumps(value, ensure_ascii=False)
    return value


def csv_rows(data: Any) -> tuple[list[str], list[list[Any]]]:
    """A JSON result as CSV: a list of objects gives a column per key; an object gives one
    row per (dotted) key."""
    if isinstance(data, list):
        header: list[str] = []
        for item in data:
            for key in item if isinstance(item, dict) else ():
                if key not in header:
                    header.append(key)
        if not header:
            return ["value"], [[_cell(item)] for item in data]
        return header, [[_cell(item.get(key)) for key in header] for item in data]
    return ["field", "value"], [[key, _cell(value)] for key, value in _flatten(data)]


def _flatten(data: Any, prefix: str = "") -> Iterable[tuple[str, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _flatten(value, f"{prefix}{key}.")
    else:
        yield prefix.rstrip("."), data


def emit(fmt: Format, data: Any, *, table: Table | Callable[[], Table] | None = None,
         csv: tuple[Sequence[Any], Iterable[Sequence[Any]]] | None = None) -> None:
    """Render a result: `data` is its JSON (the contract shape); `csv` (header, rows) overrides
    the CSV derived from it; `table` is the human view (derived from the CSV when absent)."""
    if fmt is Format.json:
        print_json(data)
        return
    if fmt is Format.csv:
        header, rows = csv if csv is not None else csv_rows(data)
        print_csv(header, rows)
        return
    if table is None:
        header, rows = csv if csv is not None else csv_rows(data)
        table = Table(list(header), rows)
    print_table(table() if callable(table) else table)


# --- progress ---------------------------------------------------------------------------------


@contextlib.contextmanager
def progressing(description: str):
    """`with progressing("Sending") as update:` a progress bar shown while the block runs (on a
    terminal; `update` is None elsewhere), removed when it ends, however it ends."""
    bar, update = progress(description)
    if bar is None:
        yield None
        return
    bar.start()
    try:
        yield update
    finally:
        bar.stop()


def progress(description: str):
    """(a rich progress bar on stderr, its update callback) on a terminal; (None, None) else."""
    console = err()
    if not console.is_terminal:
        return None, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(TextColumn(clean(description)), BarColumn(), MofNCompleteColumn(),
                   console=console, transient=True)
    task = bar.add_task(description, total=None)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    return bar, update


def staged_progress(description: str):
    """(bar, update, stage) like `progress`, and `stage(name)` names the step under way
    ("Matching: pricing") and restarts its count; (None, None, None) off a terminal."""
    console = err()
    if not console.is_terminal:
        return None, None, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   console=console, transient=True)
    task = bar.add_task(clean(description), total=None)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    def stage(name: str) -> None:
        bar.update(task, description=clean(f"{description}: {name}"), completed=0, total=None)
        bar.refresh()  # each stage shows as it starts, however short it is

    return bar, update, stage
