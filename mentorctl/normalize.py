"""Resolution of members' free text, kept in the `resolutions` table.

Each distinct string of each kind is resolved once and stored beside its canonical entry. When
the shipped reference data or the program's aliases change, every stored string is resolved again
(the signature in `meta` tells), so stored members always reflect the data in force.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from mentorctl.errors import UsageError
from mentorctl.resolution import Resolution
from mentorctl.store import Store, dumps

KINDS = ("occupation", "school", "location")
# Bump when the resolvers' rules change meaning; changes to the data files are noticed by hash.
DATA_VERSION = "1"
DATA_DIR = Path(__file__).resolve().parent / "data"


def resolver(kind: str) -> Callable[[Sequence[str], Mapping[str, str] | None], list[Resolution]]:
    """The resolver for a kind, imported on first use (the reference data is loaded lazily)."""
    if kind == "occupation":
        from mentorctl.occupations import resolve_occupations

        return resolve_occupations
    if kind == "school":
        from mentorctl.schools import resolve_schools

        return resolve_schools
    if kind == "location":
        from mentorctl.places import resolve_places

        return resolve_places
    raise UsageError(f"unknown kind {kind!r}: use {', '.join(KINDS)}")


def resolve_texts(kind: str, texts: Sequence[str],
                  aliases: Mapping[str, str] | None = None) -> list[Resolution]:
    """Resolve texts of one kind. An alias's target names its entry too: after
    "Acme Coding School: Acme Academy", a member who wrote "Acme Academy" shares that school."""
    aliases = aliases or {}
    expanded = {**{target: target for target in aliases.values()}, **aliases}
    return resolver(kind)(list(texts), expanded)


@cache
def _data_fingerprint() -> str:
    digest = hashlib.sha256(DATA_VERSION.encode())
    for path in sorted(DATA_DIR.glob("*")):
        if path.is_file() and path.suffix in (".gz", ".yaml", ".tsv", ".json"):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _signature(aliases: Mapping[str, Mapping[str, str]]) -> str:
    payload = json.dumps({"data": _data_fingerprint(), "aliases": aliases}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


_DISTINCT_SQL = {
    "occupation": "SELECT DISTINCT occupation FROM members WHERE occupation IS NOT NULL",
    "location": "SELECT DISTINCT location FROM members WHERE location IS NOT NULL",
    "school": "SELECT DISTINCT j.value FROM members, json_each(members.schools) j",
}


def refresh_resolutions(store: Store, aliases: Mapping[str, Mapping[str, str]]) -> int:
    """Resolve every stored string not yet resolved (all of them if data or aliases changed).

    Runs inside the caller's transaction when there is one. Returns how many strings it resolved.
    """
    signature = _signature(aliases)
    # Nothing changed since the last refresh: no need to look at every member again.
    if store.get_meta("resolver_signature") == signature and \
            store.get_meta("resolved_version") == str(store.data_version()):
        return 0
    with store.write():
        everything = store.get_meta("resolver_signature") != signature
        if everything:
            store.conn.execute("DELETE FROM resolutions")
        count = 0
        for kind in KINDS:
            known = {row[0] for row in store.conn.execute(
                "SELECT text FROM resolutions WHERE kind = ?", (kind,))}
            texts = [row[0] for row in store.conn.execute(_DISTINCT_SQL[kind])
                     if row[0] not in known]
            if not texts:
                continue
            results = resolve_texts(kind, texts, aliases.get(kind))
            store.conn.executemany(
                "INSERT OR REPLACE INTO resolutions (kind, text, key, canonical, score, method, "
                "attrs) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(kind, text, r.key, r.canonical, r.score, r.method, dumps(r.attrs))
                 for text, r in zip(texts, results, strict=True)],
            )
            count += len(texts)
        if count:
            store.bump_data_version()
        store.set_meta("resolver_signature", signature)
        store.set_meta("resolved_version", str(store.data_version()))
    return count


@dataclass(frozen=True)
class Unresolved:
    kind: str
    text: str
    members: int


def unresolved_texts(store: Store, kind: str | None = None) -> list[Unresolved]:
    """Stored strings that resolved to nothing, the most frequent first: where aliases help most."""
    if kind is not None and kind not in KINDS:
        raise UsageError(f"unknown kind {kind!r}: use {', '.join(KINDS)}")
    kinds = [kind] if kind else list(KINDS)
    out: list[Unresolved] = []
    for k in kinds:
        if k == "school":
            sql = ("SELECT j.value AS text, count(*) AS n FROM members, json_each(members.schools) j "
                   "JOIN resolutions r ON r.kind = 'school' AND r.text = j.value "
                   "WHERE r.key IS NULL GROUP BY j.value")
        else:
            sql = (f"SELECT m.{k} AS text, count(*) AS n FROM members m "
                   f"JOIN resolutions r ON r.kind = '{k}' AND r.text = m.{k} "
                   "WHERE r.key IS NULL GROUP BY m." + k)
        out.extend(Unresolved(k, row["text"], row["n"]) for row in store.query(sql))
    out.sort(key=lambda u: (-u.members, u.kind, u.text.lower()))
    return out


def load_resolutions(store: Store, kind: str) -> dict[str, Resolution]:
    """Every stored resolution of a kind, by input text."""
    out = {}
    for row in store.conn.execute(
        "SELECT text, key, canonical, score, method, attrs FROM resolutions WHERE kind = ?", (kind,)
    ):
        out[row[0]] = Resolution(row[0], row[2], row[1], row[3], row[4], json.loads(row[5]))
    return out
