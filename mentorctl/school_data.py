"""The school resolver's tables and lookup indexes, loaded once per process.

The indexes (every name of the table folded, rule keys, fuzzy blocks) are computed at build time
by tools/build_schools.py with the resolver's own key functions and shipped in
school_index.tsv.gz: folding and normalizing ~33,000 names took about a second at every start.
What is cheap to derive (compact keys, acronyms, the fuzzy blocks' members) is derived here, by
the same claims the build makes, to keep the shipped file small.
"""

from __future__ import annotations

import gzip
import hashlib
from collections import namedtuple
from collections.abc import Iterable
from functools import cache
from importlib import resources
from itertools import accumulate, groupby
from operator import itemgetter

import yaml

# The index is built from these; its first line holds their sha256 (see index()).
INDEX_SOURCES = ("schools.tsv.gz", "school_words.yaml", "school_aliases.yaml")

Hit = int | tuple[int, ...]  # one entry (a row of schools.tsv.gz), or the entries an ambiguous key names
# rows: the lines of schools.tsv.gz, then columns of it (others: "|"-separated other domains);
# exact: fold(name) -> entry; aliases: folded alias -> entry; ambiguous: keys that name no entry
Data = namedtuple("Data", "rows ids names countries regions others alts exact aliases ambiguous")
# rules: rule key -> entry; compact: rule key without spaces; loose: one-word names of one school
More = namedtuple("More", "rules compact acronyms loose alias_keys sorted_names")


def read_bytes(name: str) -> bytes:
    return resources.files("mentorctl").joinpath("data", name).read_bytes()


def read(name: str) -> str:
    data = read_bytes(name)
    return (gzip.decompress(data) if name.endswith(".gz") else data).decode("utf-8")


def load_yaml(name: str) -> dict:
    return yaml.load(read(name), getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def claim(index: dict[str, tuple[int, Hit]], key: str, rank: int, hit: Hit) -> None:  # lower rank wins
    cur = index.get(key)
    if cur is None or rank < cur[0]:
        index[key] = (rank, hit)
    elif rank == cur[0] and cur[1] != hit:  # one rank: the key names all of them
        old = (cur[1],) if isinstance(cur[1], int) else cur[1]
        index[key] = (rank, old + tuple(i for i in ((hit,) if isinstance(hit, int) else hit) if i not in old))


def _claim_all(claims: Iterable[tuple[str, int, Hit]]) -> dict[str, Hit]:
    """claim() of each (key, rank, hit) in order, without the ranks. Most keys are claimed once:
    they skip the call and the (rank, hit) pair, which cost ~40 ms at start."""
    hits: dict[str, Hit] = {}
    ranks: dict[str, int] = {}
    for key, rank, hit in claims:
        if key not in hits:
            hits[key], ranks[key] = hit, rank
        else:
            pair = {key: (ranks[key], hits[key])}
            claim(pair, key, rank, hit)
            ranks[key], hits[key] = pair[key]
    return hits


class _Column:
    """One column of schools.tsv.gz, split out of its row when read: the resolver reads a few
    rows per input, and splitting all 25,000 rows at start cost ~30 ms."""

    def __init__(self, rows: list[str], column: int) -> None:
        self.rows, self.column = rows, column

    def __getitem__(self, i: int) -> str:
        return self.rows[i].split("\t", self.column + 1)[self.column]

    def __len__(self) -> int:
        return len(self.rows)


@cache
def index() -> dict[str, list[str]]:
    """The lines of school_index.tsv.gz by kind (the first field); each `kind  key  fields...`:
    E exact name, in the order the names were claimed: entries, rank (0 curated, 1 display name,
    2 other name, 3 name before a comma), rule key ("" the key itself, "-" none); A curated alias:
    entry, rule key; M ambiguous key; F fuzzy block (structural pattern, initials), then the
    positions of its rule keys in the order rules are claimed (E, then A); W a word of three
    names or more. Entries are row numbers of schools.tsv.gz ("," between several), each written as its
    difference from the first entry of the E line before: mostly 0 or 1, which gzip packs small."""
    sources = hashlib.sha256(b"".join(read_bytes(name) for name in INDEX_SOURCES)).hexdigest()
    lines = read("school_index.tsv.gz").split("\n")
    if lines[0] != f"#\tsha256\t{sources}":
        raise RuntimeError("mentorctl/data/school_index.tsv.gz was built from other school data: "
                           "run python tools/build_schools.py --index-only")
    by_kind: dict[str, list[str]] = {kind: [] for kind in "EAMFW"}
    by_kind.update((kind, list(group)) for kind, group in groupby(lines[1:-1], key=itemgetter(0)))
    return by_kind


@cache
def _exact_rows() -> tuple[tuple[str, ...], list[Hit], list[int], tuple[str, ...]]:
    """The E lines as columns: keys, entries, ranks, rule keys."""
    _, keys, entries, ranks, rules = zip(*(line.split("\t") for line in index()["E"]), strict=True)
    firsts = list(accumulate(int(e.partition(",")[0]) for e in entries))
    hits: list[Hit] = [first if "," not in e else tuple(base + int(d) for d in e.split(","))
                       for e, first, base in zip(entries, firsts, [0, *firsts], strict=False)]
    return keys, hits, list(map(int, ranks)), rules


def _aliases() -> list[tuple[str, int, str]]:  # (alias, entry, rule key)
    rows = (line.split("\t") for line in index()["A"])
    return [(alias, int(i), rule) for _, alias, i, rule in rows]


@cache
def data() -> Data:
    rows = read("schools.tsv.gz").splitlines()[1:]  # id country region curated name alts others ...
    ids, countries, regions, names, alts, others = (_Column(rows, c) for c in (0, 1, 2, 4, 5, 6))
    keys, hits, _, _ = _exact_rows()
    ambiguous = frozenset(line.split("\t")[1] for line in index()["M"])
    exact, aliases = dict(zip(keys, hits, strict=True)), {alias: i for alias, i, _ in _aliases()}
    return Data(rows, ids, names, countries, regions, others, alts, exact, aliases, ambiguous)


def entry_domains(data: Data, i: int) -> list[str]:
    """The entry's web domains, its id's first ("domain:slug" ids name no domain of their own)."""
    return [d for d in ("" if ":" in data.ids[i] else data.ids[i], *data.others[i].split("|")) if d]


@cache
def more() -> More:
    """The indexes the resolver needs once an input is not a name as written."""
    keys, hits, ranks, rule_keys = _exact_rows()
    exact_rules = ((rule or key, rank, hit) for key, hit, rank, rule  # "-": "Institue of Technology"
                   in zip(keys, hits, ranks, rule_keys, strict=True) if rule != "-")
    alias_rules = ((rule, -1, i) for _, i, rule in _aliases())  # "Penn St" -> Penn State, above all
    rules = _claim_all([*exact_rules, *alias_rules])
    compact = _claim_all((key.replace(" ", ""), 0, hit) for key, hit in rules.items() if len(key) >= 8)
    acronym_lists = (row.rsplit("\t", 2)[1] for row in data().rows)  # the column before the last
    written = [(a, i) for i, acr in enumerate(acronym_lists) if acr for a in acr.split("|") if a]
    acronyms = _claim_all((a.lstrip("="), 0, i) for a, i in written)
    loose = frozenset(a[1:] for a, _ in written  # one-word names of one school ("Unicamp")
                      if len(a) >= 5 and a[0] == "=" and isinstance(acronyms.get(a[1:]), int))
    return More(rules, compact, acronyms, loose, frozenset(rule for *_, rule in _aliases()), sorted(keys))


@cache
def locations() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """(folded country or alias -> country, folded region or code -> (country, region))."""
    rows = [line.split("\t") for line in read("school_locations.tsv.gz").splitlines()]
    return {r[1]: r[2] for r in rows if r[0] == "C"}, {r[1]: (r[2], r[3]) for r in rows if r[0] == "R"}


@cache
def fuzzy_index() -> tuple[dict[str, str], frozenset[str]]:
    """Fuzzy blocks: "structural pattern<TAB>initials" -> the positions of its rule keys (read by
    fuzzy_candidates() when an input falls in the block); the words of three names or more, that
    a fuzzy match may not correct into another ("Tokyo University" is not "Toyo University")."""
    blocks = (line[2:].rpartition("\t") for line in index()["F"])
    return {block: positions for block, _, positions in blocks}, frozenset(line[2:] for line in index()["W"])


@cache
def _rule_items() -> list[tuple[str, Hit]]:
    return list(more().rules.items())


def fuzzy_candidates(positions: str) -> tuple[list[str], list[int]]:
    """A block's rule keys, in the order they were claimed, and their entries (-1: names several)."""
    members = [_rule_items()[int(p)] for p in positions.split()]
    return [key for key, _ in members], [hit if isinstance(hit, int) else -1 for _, hit in members]
