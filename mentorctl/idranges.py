"""Lists of pairing ids as people type them (`3 7 10-50`, or `3,7,10-50`), and back to text.

Pure: no database, no terminal. A reversed, empty, huge or garbled range is a usage error that
names the word at fault; nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from mentorctl.errors import UsageError
from mentorctl.model import MAX_PAIRING_ID

MAX_IDS = 1_000_000  # ids one command may name: more is a typo (10-5000000), not a program
_WORD = re.compile(r"(\d+)(?:-(\d+))?")
EXAMPLE = "e.g. 3 7 10-50"


def parse_ids(words: Iterable[int | str]) -> list[int]:
    """The ids that `words` name, in the order given, each once. A word is an id (`7`), a range
    (`10-50`, both ends included), or several of them separated by commas."""
    seen: dict[int, None] = {}
    for word in words:
        if isinstance(word, bool):
            raise UsageError(f"{word!r} is not a pairing id ({EXAMPLE})")
        if isinstance(word, int):
            _check_id(word, str(word))
            seen[word] = None
            continue
        parts = [part for part in re.split(r"[,\s]+", str(word).strip()) if part]
        if not parts:
            raise UsageError(f"{str(word)!r} is not a pairing id or range ({EXAMPLE})")
        for part in parts:
            match = _WORD.fullmatch(part)
            if not match:
                raise UsageError(f"{part[:40]!r} is not a pairing id or range ({EXAMPLE})")
            first = int(match.group(1))
            last = int(match.group(2)) if match.group(2) is not None else first
            _check_id(first, part)
            _check_id(last, part)
            if last < first:
                raise UsageError(f"{part}: a range goes from low to high, e.g. {last}-{first}")
            if last - first + 1 > MAX_IDS or len(seen) + (last - first + 1) > MAX_IDS:
                raise UsageError(f"{part[:40]}: more than {MAX_IDS:,} ids in one command")
            if first == last:
                seen[first] = None
            else:
                seen.update(dict.fromkeys(range(first, last + 1)))
    return list(seen)


def _check_id(value: int, word: str) -> None:
    if not 1 <= value <= MAX_PAIRING_ID:
        raise UsageError(f"{word[:40]}: pairing ids are whole numbers from 1 ({EXAMPLE})")


def id_ranges(ids: Sequence[int], *, limit: int = 6) -> str:
    """Ids as short text: `3-122, 130, 140-141`; past `limit` runs, `... (N more)`."""
    runs: list[tuple[int, int]] = []
    for value in sorted(set(ids)):
        if runs and value == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], value)
        else:
            runs.append((value, value))
    text = [str(a) if a == b else f"{a}-{b}" for a, b in runs[:limit]]
    if len(runs) > limit:
        rest = sum(b - a + 1 for a, b in runs[limit:])
        text.append(f"... ({rest:,} more)")
    return ", ".join(text)
