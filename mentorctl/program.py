"""The program as arrays: every member's normalized facts, ready for vectorized scoring.

`load_program` reads members, their resolutions and the open pairings once, and turns them into
numpy arrays (one entry per member) and sparse matrices (member x school, interest, language,
friend). Scoring then works on whole arrays of mentee-mentor pairs, never a Python loop over them.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import operator
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from mentorctl.config import Settings
from mentorctl.errors import MentorctlError
from mentorctl.model import MENTEE_ROLES, MENTOR_ROLES, OPEN_STATES
from mentorctl.normalize import ResolutionLookup, resolver_signature
from mentorctl.occupation_data import catch_all, title_bound
from mentorctl.resolution import fold, language_key
from mentorctl.rules import PairFacts, history_arrays
from mentorctl.sparse_rows import Csr
from mentorctl.store import Store


class _Codes:
    """Assigns small integer codes to values; -1 stands for 'none'."""

    def __init__(self):
        self.index: dict[Any, int] = {}
        self.values: list[Any] = []

    def code(self, value) -> int:
        if value is None:
            return -1
        found = self.index.get(value)
        if found is None:
            found = self.index[value] = len(self.values)
            self.values.append(value)
        return found


class MemberTexts:
    """Members' own words and what they resolved to, for wording shared points and intros.

    Read on demand through the caller's open store (a suggestion needs a handful of rows, an
    export all of them), so it lives only as long as the api call that made it.
    """

    EAGER_AFTER = 64

    def __init__(self, store: Store, ids: list[str], resolutions: ResolutionLookup):
        self._store = store
        self._ids = ids
        self._all: list[dict[str, Any]] | None = None
        self._some: dict[int, dict[str, Any]] = {}
        self._lists: dict[tuple[int, str], list[str]] = {}
        self._columns: dict[str, list[list[str]]] = {}
        self._fields: dict[str, list[Any]] = {}
        self.resolutions = resolutions
        self.wording: Any = None  # shared.py's words of members met so far, for the next pairs

    def row(self, i: int) -> dict[str, Any]:
        """Member i's row: id, name, email, role, the free text and the list fields (JSON)."""
        if self._all is not None:
            return self._all[i]
        if i in self._some:
            return self._some[i]
        conn = self._store.conn
        if len(self._some) >= self.EAGER_AFTER:
            # Plain tuples zipped with the names: dict(sqlite3.Row) is twice as slow (100k rows).
            cursor = conn.cursor()
            cursor.row_factory = None
            cursor.execute(f"{_ROW_SQL} ORDER BY id")
            names = [d[0] for d in cursor.description]
            self._all = [dict(zip(names, r, strict=True)) for r in cursor]
            return self._all[i]
        row = conn.execute(f"{_ROW_SQL} WHERE id = ?", (self._ids[i],)).fetchone()
        self._some[i] = dict(row)
        return self._some[i]

    def list_field(self, i: int, name: str) -> list[str]:
        """A list field, decoded once (a member appears in many pairs)."""
        key = (i, name)
        if key not in self._lists:
            row = self.row(i)
            if self._all is not None:
                return self._column(name)[i]
            self._lists[key] = json.loads(row[name])
        return self._lists[key]

    def _column(self, name: str) -> list[list[str]]:
        """A list field of every member, decoded in one json.loads call: once every row is read
        (a plan's shared points need most of them), 168k separate calls took 1-2 s at 100k."""
        if name not in self._columns:
            self._columns[name] = _decoded([r[name] for r in self._all or []])
        return self._columns[name]

    def columns(self, *names: str) -> dict[str, list[Any]]:
        """Fields of every member by position, as stored (list fields as their JSON text, which
        many members share), read in one query of just those columns: a plan's shared points need
        a few fields of nearly every member, and whole rows (goals, bio) cost ~1 s at 100k."""
        missing = [n for n in dict.fromkeys(names) if n not in self._fields]
        if missing:
            unknown = set(missing) - set(_COLUMNS)
            if unknown:
                raise ValueError(f"no such member field: {', '.join(sorted(unknown))}")
            if self._all is not None:
                values = [[r[n] for r in self._all] for n in missing]
            else:
                cursor = self._store.conn.cursor()
                cursor.row_factory = None
                cursor.execute(f"SELECT id, {', '.join(missing)} FROM members")
                # By id, as ORDER BY id gives them (UTF-8 sorts as the code points do): sorted
                # here, as SQLite's walk of the id index looks up each row (twice the time).
                rows = sorted(cursor.fetchall(), key=operator.itemgetter(0))
                values = [list(v) for v in zip(*rows, strict=True)][1:] if rows else \
                    [[] for _ in missing]
            self._fields.update(zip(missing, values, strict=True))
        return {n: self._fields[n] for n in names}

    def resolution(self, kind: str, text: str | None):
        return self.resolutions.get(kind, text)


_ROW_SQL = ("SELECT id, name, email, role, occupation, schools, location, interests, friends, "
            "languages, capacity, available, organization, goals, bio FROM members")
_COLUMNS = ("id", "name", "email", "role", "occupation", "schools", "location", "interests",
            "friends", "languages", "capacity", "available", "organization", "goals", "bio")


def _decoded(values: list[str]) -> list[Any]:
    """JSON values decoded in one json.loads call (168k separate calls took 1-2 s at 100k)."""
    try:
        return json.loads("[" + ",".join(values) + "]")
    except (TypeError, ValueError):  # a malformed value: decode one by one, as before
        return [json.loads(v) for v in values]


# The arrays derived from members' text (resolutions, lists, friends): slow to build at 100k, so
# cached in a file beside the database, valid while the members' data and the resolver signature
# are unchanged. Role, availability and capacity are cached beside them under their own version
# (a `member set` re-reads only those); the pairings are always read fresh.
_ARRAYS = ("occupation", "family", "profession", "seniority", "place", "region", "country", "lat", "lon",
           "radius_km", "organization", "interest_idf")
_STATE = ("role_mentor", "role_mentee", "available", "capacity")
_MATRICES = ("schools", "interests", "languages", "friends", "friends_weighted")
SNAPSHOT_FORMAT = "6"


@dataclass
class Program:
    """Every member's normalized facts as arrays, by position (members sorted by id)."""

    settings: Settings
    ids: list[str]
    names: list[str]
    role_mentor: np.ndarray  # bool: role mentor or both
    role_mentee: np.ndarray  # bool: role mentee or both
    available: np.ndarray
    capacity: np.ndarray
    occupation: np.ndarray  # code of the canonical occupation, -1 none
    family: np.ndarray  # code of the SOC broad occupation (the same kind of work), -1 none
    profession: np.ndarray  # code of the SOC minor group when it names a profession, -1 none
    seniority: np.ndarray  # float, nan when unknown
    place: np.ndarray  # code of the resolved place key
    region: np.ndarray  # code of (country, region)
    country: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    radius_km: np.ndarray
    organization: np.ndarray
    schools: Csr
    interests: Csr
    interest_idf: np.ndarray
    languages: Csr
    friends: Csr  # symmetric adjacency
    friends_weighted: Csr  # adjacency, columns scaled by 1/log(degree): Adamic-Adar
    interest_codes: dict[str, int]  # folded interest -> column of `interests`
    open_as_mentor: np.ndarray
    open_as_mentee: np.ndarray
    completed_as_mentee: np.ndarray  # bool: finished a pairing as the mentee
    facts: PairFacts  # what the hard rules look at (mentorctl.rules)

    def __post_init__(self):
        # Each member's interests weighted by rarity (idf), and their total: the share of a
        # mentee's interests a mentor covers is a dot product over this, divided by the norm.
        self.interests_weighted = self.interests.scale_columns(self.interest_idf)
        self.interest_norm = self.interests_weighted.row_sums()

    @property
    def size(self) -> int:
        return len(self.ids)

    @cached_property
    def unit_xyz(self) -> np.ndarray:
        """Each member's place as a point on the unit sphere (nan when unknown): the distance
        of a pair is then a chord, with no trigonometry per pair."""
        lat, lon = np.radians(self.lat), np.radians(self.lon)
        return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)],
                        axis=1)

    @cached_property
    def index(self) -> dict[str, int]:
        """Member id -> position (built on first use: one lookup does not need it)."""
        return {member_id: i for i, member_id in enumerate(self.ids)}

    def position(self, member_id: str) -> int | None:
        """The position of a member id; ids are sorted, so a binary search answers it."""
        if "index" in self.__dict__:
            return self.index.get(member_id)
        i = bisect.bisect_left(self.ids, member_id)
        return i if i < len(self.ids) and self.ids[i] == member_id else None

    def mentor_room(self) -> np.ndarray:
        return np.maximum(self.capacity - self.open_as_mentor, 0)


def load_program(store: Store, settings: Settings, resolutions: ResolutionLookup) -> Program:
    """The program as arrays, read through `store` and writing nothing to it.

    The text-derived arrays come from the snapshot file beside the database when it matches the
    members' data and the resolver signature, else they are built afresh; the members' state
    (role, availability, capacity) likewise under its own version. Whatever was read afresh is
    written back to the file (skipped silently where the folder is read-only). The pairings are
    always read fresh.
    """
    version = (f"{SNAPSHOT_FORMAT}:{store.data_version()}:"
               f"{resolver_signature(settings.aliases)}")
    cache = snapshot_path(store.path)
    state_version = store.state_version()
    parts = _read_snapshot(cache, version)
    if parts is None:
        parts = _build_parts(store, resolutions)
    if parts.get("state_version") != state_version:
        # Roles, availability or capacity changed (or the text did): read them afresh, in the
        # order of the snapshot's ids, and keep them in the cache for the next command.
        parts.update(_member_state(store, parts["ids"]), state_version=state_version)
        _write_snapshot(cache, version, parts)
    parts.pop("state_version")
    state = {name: parts.pop(name) for name in _STATE}
    ids = parts.pop("ids")
    open_mentor, open_mentee, completed, history = _pairing_state(store, ids)
    limits = settings.rules
    facts = PairFacts(
        ids=ids, roles=None, role_mentor=state["role_mentor"], role_mentee=state["role_mentee"],
        available=state["available"], capacity=state["capacity"], open_as_mentor=open_mentor,
        open_as_mentee=open_mentee, organization=parts["organization"],
        languages=parts["languages"], history_keys=history[0], history_rule=history[1],
        require_shared_language=limits.require_shared_language,
        different_organization=limits.different_organization,
        max_open_per_mentee=limits.max_open_pairings_per_mentee)
    return Program(settings=settings, ids=ids, **state, **parts, open_as_mentor=open_mentor,
                   open_as_mentee=open_mentee, completed_as_mentee=completed, facts=facts)


def snapshot_path(db_path: Path) -> Path:
    """The scoring cache beside the database: `program.db` -> `program.db-snapshot`."""
    return db_path.with_name(db_path.name + "-snapshot")


def _member_state(store: Store, ids: list[str]) -> dict[str, np.ndarray]:
    rows = store.conn.execute("SELECT id, role, available, capacity FROM members").fetchall()
    if len(rows) != len(ids):  # a member came or went without a data_version change
        raise MentorctlError("the members changed while they were read; run the command again")
    order = np.argsort(np.array([r[0] for r in rows]), kind="stable")
    role = np.array([r[1] for r in rows], dtype=object)[order]
    return {"role_mentor": np.isin(role, MENTOR_ROLES), "role_mentee": np.isin(role, MENTEE_ROLES),
            "available": np.array([bool(r[2]) for r in rows], dtype=bool)[order],
            "capacity": np.array([r[3] for r in rows], dtype=np.int64)[order]}


def _read_snapshot(path: Path, version: str) -> dict[str, Any] | None:
    try:
        stored = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError):
        return None
    with stored:
        try:
            header = json.loads(bytes(stored["header"]).decode("utf-8"))
            if header.get("version") != version:
                return None
            parts: dict[str, Any] = {name: stored[name] for name in _ARRAYS}
            if header.get("state_version"):
                parts.update({name: stored[name] for name in _STATE},
                             state_version=header["state_version"])
            for name in _MATRICES:
                parts[name] = matrix = Csr(stored[f"{name}.data"], stored[f"{name}.indices"],
                                           stored[f"{name}.indptr"], tuple(stored[f"{name}.shape"]))
                # The transposed index was computed once, when the snapshot was taken.
                matrix.__dict__["transposed"] = Csr(
                    stored[f"{name}.T.data"], stored[f"{name}.T.indices"],
                    stored[f"{name}.T.indptr"], matrix.shape[::-1])
        except (KeyError, ValueError, OSError):
            return None  # an older or damaged cache: build afresh
    parts.update(ids=header["ids"], names=header["names"],
                 interest_codes={k: i for i, k in enumerate(header["interests"])})
    return parts


def _write_snapshot(path: Path, version: str, parts: dict[str, Any]) -> None:
    """Write the cache privately (it holds names) and atomically; a failure only costs speed."""
    payload = {name: parts[name] for name in (*_ARRAYS, *_STATE)}
    for name in _MATRICES:
        matrix = parts[name]
        payload.update({f"{name}.data": matrix.data, f"{name}.indices": matrix.indices,
                        f"{name}.indptr": matrix.indptr, f"{name}.shape": np.array(matrix.shape),
                        f"{name}.T.data": matrix.transposed.data,
                        f"{name}.T.indices": matrix.transposed.indices,
                        f"{name}.T.indptr": matrix.transposed.indptr})
    interests = sorted(parts["interest_codes"], key=parts["interest_codes"].get)
    header = json.dumps({"version": version, "state_version": parts["state_version"],
                         "ids": parts["ids"], "names": parts["names"], "interests": interests},
                        ensure_ascii=False).encode("utf-8")
    payload["header"] = np.frombuffer(header, dtype=np.uint8)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as stream:
            np.savez(stream, **payload)
        os.replace(temporary, path)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _build_parts(store: Store, resolutions: ResolutionLookup) -> dict[str, Any]:
    rows = store.query(f"{_ROW_SQL} ORDER BY id")
    resolved = {kind: resolutions.all(kind) for kind in ("occupation", "school", "location")}
    n = len(rows)
    ids = [r["id"] for r in rows]
    index = {member_id: i for i, member_id in enumerate(ids)}
    by_ref = dict(index)
    by_ref.update({member_id.lower(): i for i, member_id in enumerate(ids)})
    by_ref.update({r["email"].lower(): i for i, r in enumerate(rows) if r["email"]})
    # A friend named by the email or id of a record merged into another (`member merge`).
    for alias, member_id in store.conn.execute("SELECT alias, member_id FROM member_aliases"):
        if member_id in index:
            by_ref.setdefault(alias.lower(), index[member_id])

    codes = {name: _Codes() for name in ("occupation", "family", "profession", "place", "region", "country",
                                         "organization", "school", "interest", "language")}
    occupation = np.full(n, -1, np.int32)
    family = np.full(n, -1, np.int32)
    profession = np.full(n, -1, np.int32)
    seniority = np.full(n, np.nan)
    place = np.full(n, -1, np.int32)
    region = np.full(n, -1, np.int32)
    country = np.full(n, -1, np.int32)
    lat = np.full(n, np.nan)
    lon = np.full(n, np.nan)
    radius = np.zeros(n)
    organization = np.full(n, -1, np.int32)
    school_rows: list[list[int]] = []
    interest_rows: list[list[int]] = []
    language_rows: list[list[int]] = []
    edges: list[tuple[int, int]] = []
    for i, row in enumerate(rows):
        occ = resolved["occupation"].get(row["occupation"]) if row["occupation"] else None
        if occ is not None and occ.key:
            levels = occ.attrs.get("family") or {}
            if title_bound(occ.attrs):  # "Compliance Manager" and "Program Manager" share no job
                occupation[i] = codes["occupation"].code(f"{occ.key}|{fold(occ.canonical)}")
            else:
                occupation[i] = codes["occupation"].code(occ.key)
            if not catch_all(occ.attrs):  # a best guess's family: the level all its codes share
                family[i] = codes["family"].code(levels.get("broad"))
            profession[i] = codes["profession"].code(occ.attrs.get("profession"))
            level = occ.attrs.get("seniority")
            if level is not None:
                seniority[i] = float(level)
        loc = resolved["location"].get(row["location"]) if row["location"] else None
        if loc is not None and loc.key:
            attrs = loc.attrs
            place[i] = codes["place"].code(loc.key)
            cc = attrs.get("country_code")
            country[i] = codes["country"].code(cc)
            if cc and attrs.get("region_code"):
                region[i] = codes["region"].code((cc, attrs["region_code"]))
            if attrs.get("lat") is not None and attrs.get("lon") is not None:
                lat[i], lon[i] = attrs["lat"], attrs["lon"]
            radius[i] = attrs.get("radius_km") or 0.0
        if row["organization"]:
            organization[i] = codes["organization"].code(fold(row["organization"]))
        school_rows.append([codes["school"].code(res.key) for text in json.loads(row["schools"])
                            if (res := resolved["school"].get(text)) is not None and res.key])
        interest_rows.append([codes["interest"].code(fold(t)) for t in json.loads(row["interests"])
                              if fold(t)])
        language_rows.append([codes["language"].code(language_key(t))
                              for t in json.loads(row["languages"]) if fold(t)])
        for ref in json.loads(row["friends"]):
            j = by_ref.get(ref) if ref in by_ref else by_ref.get(ref.lower())
            if j is not None and j != i:
                edges.append((i, j))

    schools = Csr.from_rows(school_rows, len(codes["school"].values))
    interests = Csr.from_rows(interest_rows, len(codes["interest"].values))
    df = np.bincount(interests.indices, minlength=interests.shape[1])
    interest_idf = np.log1p(max(n, 1) / np.maximum(df, 1)).astype(np.float32)
    languages = Csr.from_rows(language_rows, len(codes["language"].values))
    friends, friends_weighted = _friend_graph(edges, n)

    return dict(
        ids=ids, names=[r["name"] for r in rows],
        occupation=occupation, family=family, profession=profession, seniority=seniority,
        place=place, region=region, country=country, lat=lat, lon=lon, radius_km=radius,
        organization=organization,
        schools=schools, interests=interests, interest_idf=interest_idf, languages=languages,
        friends=friends, friends_weighted=friends_weighted,
        interest_codes=dict(codes["interest"].index),
    )


def _friend_graph(edges: list[tuple[int, int]], n: int) -> tuple[Csr, Csr]:
    neighbours: list[list[int]] = [[] for _ in range(n)]
    for i, j in edges:
        neighbours[i].append(j)
        neighbours[j].append(i)
    adjacency = Csr.from_rows(neighbours, n)
    degree = np.diff(adjacency.indptr)
    # A friend shared with many counts for less: 1/log(degree) (degree >= 2 for a shared friend).
    weight = np.where(degree >= 2, 1.0 / np.log(np.maximum(degree, 2)), 0.0).astype(np.float32)
    return adjacency, adjacency.scale_columns(weight)


def _pairing_state(store: Store, ids: list[str]):
    """Open pairings per mentor and per mentee, mentees who completed a pairing, and every
    pair's history for the rules; vectorized over all pairings."""
    n = len(ids)
    rows = store.conn.execute("SELECT mentee_id, mentor_id, status FROM pairings").fetchall()
    open_mentor = np.zeros(n, dtype=np.int64)
    open_mentee = np.zeros(n, dtype=np.int64)
    completed = np.zeros(n, dtype=bool)
    if not rows or not n:
        return open_mentor, open_mentee, completed, history_arrays(n, np.zeros(0), np.zeros(0), [])
    sorted_ids = np.array(ids)
    mentees = np.array([r[0] for r in rows])
    mentors = np.array([r[1] for r in rows])
    e = np.minimum(np.searchsorted(sorted_ids, mentees), n - 1)
    m = np.minimum(np.searchsorted(sorted_ids, mentors), n - 1)
    known = (sorted_ids[e] == mentees) & (sorted_ids[m] == mentors)
    status = np.array([r[2] for r in rows])
    is_open = known & np.isin(status, OPEN_STATES)
    np.add.at(open_mentor, m[is_open], 1)
    np.add.at(open_mentee, e[is_open], 1)
    completed[e[known & (status == "completed")]] = True
    history = history_arrays(n, e[known], m[known], status[known].tolist())
    return open_mentor, open_mentee, completed, history
