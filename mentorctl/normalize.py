"""Resolution of members' free text, kept in the `resolutions` table.

Each distinct string of each kind is resolved once and stored beside its canonical entry. When
the shipped reference data or the program's aliases change, every stored string is resolved again
(the signature in `meta` tells), so stored members always reflect the data in force.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path

from mentorctl.errors import UsageError
from mentorctl.model import KINDS, Resolution, StoredResolution, Unresolved
from mentorctl.store import Store, dumps

# Bump when the resolvers' rules change meaning; changes to the data files are noticed by hash.
# 10: the name shown for an occupation leads back to it, supervisors of entertainment, gambling
# and non-retail sales workers have their own codes, an occupation's alias may name a SOC code;
# 9: an instructor alone is a college teacher's best guess, deputies and departments are read
# through, a qualified field no longer overrules O*NET's own listing;
# 8: a spaced dash parts a title, parts and sides that say how the work is held are dropped,
# teacher typos are the teacher guess, official titles name one worker ("Carpenter Helper");
# 7: best guesses among the few codes a title names ("Content Manager", "Teacher"); 6: first-
# line supervisors' display names, supervisors of a kind of work; 5: physicians 29-1221..29-1229
# in broad group 29-1210; 4: weak listings yield
DATA_VERSION = "10"
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
    for path in sorted(DATA_DIR.rglob("*")):  # data/occupations/*.yaml too
        if path.is_file() and path.suffix in (".gz", ".yaml", ".tsv", ".json"):
            digest.update(path.relative_to(DATA_DIR).as_posix().encode())
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


def _is_current(store: Store, signature: str) -> bool:
    return store.get_meta("resolver_signature") == signature and \
        store.get_meta("resolved_version") == str(store.data_version())


def _pending_texts(store: Store, kind: str) -> list[str]:
    known = {row[0] for row in store.conn.execute(
        "SELECT text FROM resolutions WHERE kind = ?", (kind,))}
    return [row[0] for row in store.conn.execute(_DISTINCT_SQL[kind]) if row[0] not in known]


class ResolutionLookup:
    """The resolutions in force, for reading: the stored table, overlaid with what a read
    command had to resolve in memory because the table is behind (new aliases, new data)."""

    EAGER_AFTER = 256

    def __init__(self, store: Store, overlay: dict[str, dict[str, Resolution]], use_table: bool):
        self._store = store
        self._overlay = overlay
        self._use_table = use_table
        self._cache: dict[str, dict[str, Resolution | None]] = {kind: {} for kind in KINDS}
        self._complete: set[str] = set()

    def get(self, kind: str, text: str | None) -> Resolution | None:
        if not text:
            return None
        found = self._overlay.get(kind, {}).get(text)
        if found is not None or not self._use_table:
            return found
        cache = self._cache[kind]
        if text not in cache and kind not in self._complete:
            if len(cache) >= self.EAGER_AFTER:
                # Many texts asked for (a plan's shared points): read the kind whole, one query
                # instead of one per text (25k queries at 100k).
                self.all(kind)
                return self._cache[kind].get(text)
            row = self._store.conn.execute(
                "SELECT key, canonical, score, method, attrs FROM resolutions "
                "WHERE kind = ? AND text = ?", (kind, text)).fetchone()
            cache[text] = None if row is None else Resolution(
                text, row[1], row[0], row[2], row[3], json.loads(row[4]))
        return cache.get(text)

    def all(self, kind: str) -> dict[str, Resolution]:
        """Every resolution of a kind, by input text."""
        if self._use_table and kind not in self._complete:
            self._cache[kind] = dict(load_resolutions(self._store, kind))
            self._complete.add(kind)
        stored = self._cache[kind] if self._use_table else {}
        return {**stored, **self._overlay.get(kind, {})}


def resolutions_in_force(store: Store, aliases) -> ResolutionLookup:
    """The program's resolutions as the current data and aliases give them, writing nothing.

    Normally the stored table (every write keeps it current). When it is behind, because the
    aliases or the shipped data changed since the last write, the missing texts are resolved in
    memory for this command only; the next write stores them (`refresh_resolutions`).
    """
    signature = _signature(aliases.to_dict())
    if _is_current(store, signature):
        return ResolutionLookup(store, {}, use_table=True)
    everything = store.get_meta("resolver_signature") != signature
    overlay = {}
    for kind in KINDS:
        texts = [row[0] for row in store.conn.execute(_DISTINCT_SQL[kind])] if everything \
            else _pending_texts(store, kind)
        if texts:
            overlay[kind] = dict(zip(texts, resolve_texts(kind, texts, aliases.for_kind(kind)),
                                     strict=True))
    return ResolutionLookup(store, overlay, use_table=not everything)


def resolver_signature(aliases) -> str:
    return _signature(aliases.to_dict())


def refresh_resolutions(store: Store, aliases) -> int:
    """Resolve every stored string not yet resolved (all of them if data or aliases changed).

    Runs inside the caller's transaction when there is one. Returns how many strings it resolved.
    """
    signature = _signature(aliases.to_dict())
    # Nothing changed since the last refresh: no need to look at every member again.
    if _is_current(store, signature):
        return 0
    with store.write():
        everything = store.get_meta("resolver_signature") != signature
        if everything:
            store.conn.execute("DELETE FROM resolutions")
        count = 0
        for kind in KINDS:
            texts = _pending_texts(store, kind)
            if not texts:
                continue
            results = resolve_texts(kind, texts, aliases.for_kind(kind))
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


_COUNT_SQL = {
    "occupation": "SELECT occupation, count(*) FROM members WHERE occupation IS NOT NULL "
                  "GROUP BY occupation",
    "location": "SELECT location, count(*) FROM members WHERE location IS NOT NULL "
                "GROUP BY location",
    "school": "SELECT j.value, count(*) FROM members, json_each(members.schools) j "
              "GROUP BY j.value",
}


def text_counts(store: Store, kind: str) -> list[tuple[str, int]]:
    """Each distinct text of a kind in the program, and how many members wrote it."""
    return [(row[0], row[1]) for row in store.conn.execute(_COUNT_SQL[kind])]


def stored_resolutions(store: Store, lookup: ResolutionLookup,
                       kind: str | None = None) -> list[StoredResolution]:
    """Every distinct text of the program beside what it resolves to, most frequent first."""
    out = []
    for k in [kind] if kind else KINDS:
        resolved = lookup.all(k)
        for text, count in text_counts(store, k):
            r = resolved.get(text)
            out.append(StoredResolution(k, text, r.canonical if r else None,
                                        r.method if r else "pending", r.score if r else 0.0,
                                        count))
    out.sort(key=lambda r: (-r.members, r.kind, r.text.lower()))
    return out


def unresolved_texts(store: Store, lookup: ResolutionLookup,
                     kind: str | None = None) -> list[Unresolved]:
    """Stored strings that resolved to nothing, or only to a best guess among several well-known
    entries (attrs "ambiguous": a bare "Washington"), the most frequent first: where aliases help
    most."""
    if kind is not None and kind not in KINDS:
        raise UsageError(f"unknown kind {kind!r}: use {', '.join(KINDS)}")
    out: list[Unresolved] = []
    for k in [kind] if kind else KINDS:
        resolved = lookup.all(k)
        for text, count in store.conn.execute(_COUNT_SQL[k]):
            found = resolved.get(text)
            if found is None or found.key is None:
                out.append(Unresolved(k, text, count))
            elif found.attrs.get("ambiguous"):
                # an occupation's best guess names its code ("Elementary School Teacher" for
                # "Teacher"); a place's canonical name is its guess
                alternatives = (found.attrs.get("guessed") or found.canonical,
                                *found.attrs.get("alternatives", ()))
                out.append(Unresolved(k, text, count, tuple(alternatives)))
    out.sort(key=lambda u: (-u.members, u.kind, u.text.lower()))
    return _with_closest(out)


def _with_closest(found: list[Unresolved]) -> list[Unresolved]:
    """Unresolved occupations with the closest standard occupations, to start an alias from."""
    nothing = [i for i, u in enumerate(found) if u.kind == "occupation" and not u.alternatives]
    if not nothing:
        return found
    from mentorctl.occupations import closest_to_unresolved

    closest = closest_to_unresolved([found[i].text for i in nothing])
    for i, near in zip(nothing, closest, strict=True):
        found[i] = replace(found[i], closest=tuple((c.code, c.name) for c in near))
    return found


def load_resolutions(store: Store, kind: str) -> dict[str, Resolution]:
    """Every stored resolution of a kind, by input text."""
    rows = store.conn.execute(
        "SELECT text, key, canonical, score, method, attrs FROM resolutions WHERE kind = ?", (kind,)
    ).fetchall()
    try:  # every attrs in one json.loads call: 20k separate calls took 0.3 s at 100k
        attrs = json.loads("[" + ",".join(row[5] for row in rows) + "]")
    except (TypeError, ValueError):
        attrs = [json.loads(row[5]) for row in rows]
    return {row[0]: Resolution(row[0], row[2], row[1], row[3], row[4], a)
            for row, a in zip(rows, attrs, strict=True)}
