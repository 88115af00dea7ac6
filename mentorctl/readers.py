"""Reading sign-up files: CSV as spreadsheets and form tools write it, and YAML.

A reader turns bytes into `SourceRow`s: one per member, with the line it started on, the values
of the fields its columns map to, and every other column kept as extra data. File-level problems
(undecodable bytes, a binary file, an unsafe YAML tag, a missing required column) raise
InvalidInput naming the file and, where there is one, the line.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from typing import Any

from mentorctl.errors import InvalidInput, UsageError
from mentorctl.headers import FIELD_NAMES as _FIELD_NAMES
from mentorctl.headers import HEADER_SYNONYMS as _HEADER_SYNONYMS
from mentorctl.headers import SAMPLE_ANSWERS, recognize
from mentorctl.model import ColumnMapping
from mentorctl.resolution import fold

MAX_FILE_BYTES = 200_000_000  # a sign-up export of a million members is ~300 MB of CSV: split it
MAX_CELL_CHARS = 1_000_000  # a cell larger than this is a broken file, not a bio
# YAML: aliases let a small file stand for a huge value, so what is bounded is the value as it
# would be built (every alias expanded), and how deep it nests; counting aliases is not enough.
MAX_YAML_CHARS = 20_000_000  # YAML is read by a pure-Python parser: a large program is CSV
MAX_YAML_VALUES = 2_000_000  # scalars, lists and mappings in the expanded document
MAX_YAML_DEPTH = 50

# How columns map to fields lives in mentorctl.headers; these names are kept for callers.
FIELD_NAMES = _FIELD_NAMES
HEADER_SYNONYMS = _HEADER_SYNONYMS
EXTRA = "extra"  # --map 'Column=extra' keeps a column as extra data whatever it looks like


@dataclass
class SourceRow:
    """One member as read from a file, before validation."""

    file: str
    line: int
    values: dict[str, Any]  # field name -> raw value (str, or list/scalar from YAML)
    extra: dict[str, Any] = field(default_factory=dict)
    present: frozenset[str] = frozenset()  # fields this file has a column for


def read_files(names) -> list[tuple[str, bytes]]:
    """(name, bytes) for each file to import; '-' reads standard input. Only regular files (and
    stdin) are read, each up to MAX_FILE_BYTES: a device, a FIFO or a folder is refused."""
    import stat
    import sys

    sources = []
    for name in map(str, names):
        if name == "-":
            sources.append((name, _read_capped(name, sys.stdin.buffer)))
            continue
        try:
            # Looked at before opening: opening a FIFO would wait for a writer forever.
            kind = os.stat(name).st_mode
            if not stat.S_ISREG(kind):
                what = "is a directory" if stat.S_ISDIR(kind) else "is not a regular file"
                raise InvalidInput(f"{name}: {what}; give a CSV or YAML file")
            with open(name, "rb") as stream:
                sources.append((name, _read_capped(name, stream)))
        except FileNotFoundError:
            raise InvalidInput(f"{name}: no such file") from None
        except IsADirectoryError:
            raise InvalidInput(f"{name}: is a directory, not a CSV or YAML file") from None
        except OSError as exc:
            raise InvalidInput(f"{name}: cannot read: {exc.strerror or exc}") from None
    return sources


def _read_capped(name: str, stream) -> bytes:
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(f"{name}: larger than {MAX_FILE_BYTES // 1_000_000} MB; split the "
                           "file, or import its parts one after another")
    return data


def parse_mapping(pairs: list[str], source: str = "--map") -> dict[str, tuple[str | None, str]]:
    """`--map "Header=field"` options -> {folded header: (field, source)}; the field `extra`
    keeps the column as extra data (None)."""
    mapping: dict[str, tuple[str | None, str]] = {}
    for pair in pairs:
        header, sep, target = pair.rpartition("=")
        target = target.strip().lower()
        if not sep or not header.strip():
            raise UsageError(f"--map {pair!r}: write it as 'Column header=field'")
        if target not in FIELD_NAMES and target != EXTRA:
            raise UsageError(
                f"--map {pair!r}: unknown field {target!r}; fields are {', '.join(FIELD_NAMES)} "
                f"(or {EXTRA} to keep the column as extra data)"
            )
        mapping[fold(header)] = (None if target == EXTRA else target, source)
    return mapping


# --- decoding ------------------------------------------------------------------------------


def decode(file: str, data: bytes, encoding: str | None) -> str:
    """Bytes to text: UTF-8 (a BOM is dropped) unless --encoding says otherwise."""
    if not data.strip():
        raise InvalidInput(f"{file}: the file is empty")
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not utf16 and b"\x00" in data:
        line = data[:data.index(b"\x00")].count(b"\n") + 1
        where = "" if line == 1 else f":{line}"
        raise InvalidInput(f"{file}{where}: a NUL byte: this looks like a binary file, not CSV "
                           "or YAML")
    codec = encoding or "utf-8-sig"
    try:
        text = data.decode(codec)
    except LookupError:
        raise UsageError(f"--encoding {encoding!r}: unknown encoding") from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInput(
            f"{file}:{line}: bytes that are not valid {codec.replace('-sig', '')} text; "
            "if the file came from Excel try --encoding cp1252 (or latin-1)"
        ) from None
    if not text.strip():
        raise InvalidInput(f"{file}: the file is empty")
    return text


def looks_like_yaml(text: str) -> bool:
    """For stdin and unknown extensions: YAML starts with a document marker, a list or a key."""
    first = next((line for line in text.splitlines() if line.strip() and
                  not line.lstrip().startswith("#")), "")
    stripped = first.strip()
    return stripped.startswith(("---", "- ", "members:")) or stripped == "-"


def read_rows(
    file: str,
    data: bytes,
    *,
    encoding: str | None = None,
    mapping: dict[str, tuple[str | None, str]] | None = None,
    need_role: bool = True,
) -> tuple[list[SourceRow], list[ColumnMapping]]:
    """Read one file (its name decides the format; `-` or an unknown suffix is sniffed): its
    rows, and how each column was read."""
    text = decode(file, data, encoding)
    lower = file.lower()
    if lower.endswith((".yaml", ".yml")):
        is_yaml = True
    elif lower.endswith((".csv", ".tsv", ".txt")):
        is_yaml = False
    else:
        is_yaml = looks_like_yaml(text)
    if is_yaml and len(text) > MAX_YAML_CHARS:
        raise InvalidInput(f"{file}: a YAML file over {MAX_YAML_CHARS // 1_000_000} million "
                           "characters; give a large program as CSV")
    reader = read_yaml if is_yaml else read_csv
    rows, columns = reader(file, text, mapping or {}, need_role=need_role)
    if not rows:
        raise InvalidInput(f"{file}: no members in the file (only a header?)")
    return rows, columns


# --- CSV -----------------------------------------------------------------------------------


# Exports prefix a quote to cells a spreadsheet would run as a formula; importing takes it off.
_NEUTRALIZED = ("'=", "'+", "'-", "'@", "'\t", "'\r")


def restore(cell: str) -> str:
    """Undo mentorctl's export-side formula neutralization ("'=SUM(A1)" -> "=SUM(A1)")."""
    return cell[1:] if cell.startswith(_NEUTRALIZED) else cell


def _delimiter(file: str, header_line: str) -> str:
    if file.lower().endswith(".tsv") or ("\t" in header_line and "," not in header_line):
        return "\t"
    if ";" in header_line and "," not in header_line:
        return ";"  # spreadsheets in many European locales
    return ","


def read_csv(file: str, text: str, mapping: dict[str, tuple[str | None, str]], *,
             need_role: bool) -> tuple[list[SourceRow], list[ColumnMapping]]:
    csv.field_size_limit(MAX_CELL_CHARS)
    header_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(file, header_line),
                        strict=True)
    line = 1
    # Every row is read before the columns are mapped: a column's answers help say what it is.
    raw: list[tuple[int, list[str]]] = []
    try:
        headers = [h.strip() for h in next(reader)]
        line = reader.line_num + 1
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(headers) and any(c.strip() for c in cells[len(headers):]):
                raise InvalidInput(
                    f"{file}:{start}: {len(cells)} cells but {len(headers)} headers; "
                    "check for an unquoted comma or a missing quote"
                )
            raw.append((start, cells))
    except csv.Error as exc:
        message = str(exc)
        if "field larger than field limit" in message:
            message = f"a cell longer than {MAX_CELL_CHARS:,} characters"
        elif "unexpected end of data" in message or "EOF" in message:
            message = "a quoted cell is never closed (unbalanced quotes)"
        raise InvalidInput(f"{file}:{line}: unreadable CSV: {message}") from None
    except StopIteration:
        raise InvalidInput(f"{file}: the file is empty") from None
    columns = recognize(file, headers, _answers(len(headers), (c for _, c in raw)), mapping,
                        need_role=need_role)
    name_parts = [i for i, c in enumerate(columns) if c.how == "first + last name"]
    plan = [(c.field if c.how != "first + last name" else None, h)
            for c, h in zip(columns, headers, strict=True)]
    present = frozenset(c.field for c in columns if c.field)
    rows: list[SourceRow] = []
    for start, cells in raw:
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for (target, header), cell in zip(plan, cells, strict=False):
            if cell[:1] == "'":
                cell = restore(cell)
            if target:
                values[target] = cell
            elif header and cell.strip() and not (name_parts and header in
                                                  (headers[i] for i in name_parts)):
                extra[header] = cell.strip()
        if name_parts:
            values["name"] = " ".join(
                cells[i].strip() for i in name_parts if i < len(cells) and cells[i].strip())
        rows.append(SourceRow(file, start, values, extra, present))
    return rows, columns


def _answers(width: int, rows) -> list[list[str]]:
    """Each column's first non-empty answers (up to SAMPLE_ANSWERS), for recognition."""
    answers: list[list[str]] = [[] for _ in range(width)]
    for cells in rows:
        for index, cell in enumerate(cells[:width]):
            if cell.strip() and len(answers[index]) < SAMPLE_ANSWERS:
                answers[index].append(cell.strip())
        if all(len(a) >= SAMPLE_ANSWERS for a in answers):
            break
    return answers


# --- YAML ----------------------------------------------------------------------------------


def _safe_loader():
    import yaml

    class LimitedSafeLoader(yaml.SafeLoader):
        """yaml.SafeLoader (no Python tags ever run) that refuses documents nesting deeper than
        MAX_YAML_DEPTH while it composes them (before Python's own recursion limit)."""

        depth = 0

        def compose_node(self, parent, index):
            self.depth += 1
            try:
                if self.depth > MAX_YAML_DEPTH:
                    mark = self.peek_event().start_mark
                    raise InvalidInput(f"{self.name}:{mark.line + 1}: YAML nested more than "
                                       f"{MAX_YAML_DEPTH} levels deep")
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    return yaml, LimitedSafeLoader


def _check_expanded_size(file: str, root) -> None:
    """Refuse a document whose value, aliases expanded, would be too large or would contain
    itself. Counted on the node graph (each node once, its expanded size remembered), so a
    'billion laughs' file is refused in the time it takes to read it."""
    from yaml.nodes import MappingNode, SequenceNode

    def children(node):
        if isinstance(node, SequenceNode):
            return node.value
        if isinstance(node, MappingNode):
            return [part for pair in node.value for part in pair]
        return []

    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            size[key] = 1 + sum(size[id(child)] for child in children(node))
            if size[key] > MAX_YAML_VALUES:
                raise InvalidInput(
                    f"{file}:{node.start_mark.line + 1}: this YAML value expands to more than "
                    f"{MAX_YAML_VALUES:,} values (aliases repeat it); write the values out")
            continue
        if key in size:
            continue
        if key in on_path:
            raise InvalidInput(f"{file}:{node.start_mark.line + 1}: a YAML value that contains "
                               "itself (an alias to its own anchor)")
        on_path.add(key)
        stack.append((node, True))
        for child in children(node):
            if id(child) in on_path:
                raise InvalidInput(f"{file}:{child.start_mark.line + 1}: a YAML value that "
                                   "contains itself (an alias to its own anchor)")
            if id(child) not in size:
                stack.append((child, False))


def read_yaml(file: str, text: str, mapping: dict[str, tuple[str | None, str]], *,
              need_role: bool) -> tuple[list[SourceRow], list[ColumnMapping]]:
    """A list of members, or a mapping with a `members` list. Keys map like CSV headers."""
    yaml, loader_class = _safe_loader()
    loader = None
    try:
        loader = loader_class(text)
        loader.name = file
        root = loader.get_single_node()
        if root is None:
            raise InvalidInput(f"{file}: the file is empty")
        _check_expanded_size(file, root)
        data = loader.construct_document(root)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InvalidInput(f"{file}{where}: invalid YAML: {problem}") from None
    except RecursionError:
        raise InvalidInput(f"{file}: YAML nested too deeply to read") from None
    finally:
        if loader is not None:
            loader.dispose()

    items_node = root
    if isinstance(data, dict):
        if "members" not in data:
            raise InvalidInput(f"{file}: expected a list of members or a 'members:' list")
        data = data["members"]
        items_node = next(v for k, v in root.value if k.value == "members")
    if not isinstance(data, list):
        raise InvalidInput(f"{file}: expected a list of members or a 'members:' list")

    if not data:
        return [], []
    items: list[tuple[int, dict]] = []
    keys: dict[str, None] = {}  # every key, in the order first met
    for item, node in zip(data, items_node.value, strict=True):
        line = node.start_mark.line + 1
        if not isinstance(item, dict):
            raise InvalidInput(f"{file}:{line}: each member must be a mapping of field: value")
        items.append((line, item))
        keys.update((str(k), None) for k in item)
    headers = list(keys)
    scalars = ([str(item.get(h, "")) if isinstance(item.get(h), (str, int, float)) else ""
                for h in headers] for _, item in items)
    # YAML omits keys freely: a field is 'present' for a row only when the row has it; `name` is
    # required of the file, `role` of each row.
    columns = recognize(file, headers, _answers(len(headers), scalars), mapping,
                        need_role=False)
    target = {c.column: c.field for c in columns if c.how != "first + last name"}
    name_parts = [c.column for c in columns if c.how == "first + last name"]
    rows: list[SourceRow] = []
    for line, item in items:
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for raw_key, value in item.items():
            field_name = target.get(str(raw_key))
            if field_name and field_name not in values:
                values[field_name] = value
            elif value not in (None, "") and str(raw_key) not in name_parts:
                extra[str(raw_key)] = _plain(value)
        if name_parts:
            values["name"] = " ".join(str(item[k]).strip() for k in name_parts
                                      if item.get(k) not in (None, ""))
        rows.append(SourceRow(file, line, values, extra, frozenset(values)))
    return rows, columns


def _plain(value: Any) -> Any:
    """Extra YAML values as JSON-safe scalars or lists (dates become ISO text)."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)
