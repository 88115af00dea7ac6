"""The program as arrays: every member's normalized facts, ready for vectorized scoring.

`load_program` reads members, their resolutions and the open pairings once, and turns them into
numpy arrays (one entry per member) and sparse matrices (member x school, interest, language,
friend). Scoring then works on whole arrays of mentee-mentor pairs, never a Python loop over them.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from mentorctl.config import Settings
from mentorctl.normalize import load_resolutions, refresh_resolutions
from mentorctl.resolution import fold
from mentorctl.sparse_rows import Csr
from mentorctl.store import Store

OPEN_STATES = ["proposed", "introduced", "active", "paused"]
_LANGUAGE_NAMES = {"espanol": "spanish", "castellano": "spanish", "francais": "french",
                   "deutsch": "german", "portugues": "portuguese", "italiano": "italian",
                   "mandarin chinese": "mandarin", "chinese mandarin": "mandarin",
                   "putonghua": "mandarin", "farsi": "persian", "tagalog": "filipino",
                   "asl": "american sign language", "nihongo": "japanese", "hangul": "korean"}


def language_key(text: str) -> str:
    key = fold(text)
    return _LANGUAGE_NAMES.get(key, key)


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


class _Reader:
    """One read-only connection, opened on first use, for the wording lookups below. (The CLI
    may have closed its own Store by the time it renders.)"""

    def __init__(self, db_path):
        self._db_path = db_path
        self._conn = None

    @property
    def conn(self):
        if self._conn is None:
            import sqlite3

            self._conn = sqlite3.connect(f"file:{self._db_path}?mode=ro", uri=True)
            self._conn.row_factory = sqlite3.Row
        return self._conn


class MemberRows:
    """Member rows by index, read from the database only when wording needs them.

    A suggestion needs the rows of a handful of members; an export needs them all. The first few
    are fetched one by one, after that the whole table is read at once.
    """

    EAGER_AFTER = 64

    def __init__(self, reader: _Reader, ids: list[str]):
        self._reader = reader
        self._ids = ids
        self._all: list[dict[str, Any]] | None = None
        self._some: dict[int, dict[str, Any]] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def __getitem__(self, i: int) -> dict[str, Any]:
        if self._all is not None:
            return self._all[i]
        if i in self._some:
            return self._some[i]
        conn = self._reader.conn
        if len(self._some) >= self.EAGER_AFTER:
            self._all = [dict(r) for r in conn.execute(f"{_ROW_SQL} ORDER BY id")]
            return self._all[i]
        row = conn.execute(f"{_ROW_SQL} WHERE id = ?", (self._ids[i],)).fetchone()
        self._some[i] = dict(row)
        return self._some[i]


class Resolutions:
    """Stored resolutions of one kind, looked up by text on demand (see MemberRows)."""

    def __init__(self, reader: _Reader, kind: str):
        self._reader = reader
        self._kind = kind
        self._cache: dict[str, Any] = {}

    def get(self, text: str | None):
        if not text:
            return None
        if text not in self._cache:
            from mentorctl.resolution import Resolution

            row = self._reader.conn.execute(
                "SELECT key, canonical, score, method, attrs FROM resolutions "
                "WHERE kind = ? AND text = ?", (self._kind, text)).fetchone()
            self._cache[text] = None if row is None else Resolution(
                text, row[1], row[0], row[2], row[3], json.loads(row[4]))
        return self._cache[text]


_ROW_SQL = ("SELECT id, name, email, role, occupation, schools, location, interests, friends, "
            "languages, capacity, available, organization, goals, bio FROM members")

# Arrays of a program snapshot (members + resolutions), cached in the database between commands.
_ARRAYS = ("role_mentor", "role_mentee", "available", "capacity", "occupation", "family",
           "seniority", "place", "region", "country", "lat", "lon", "radius_km", "organization",
           "interest_idf")
_MATRICES = ("schools", "interests", "languages", "friends", "friends_weighted")
SNAPSHOT_FORMAT = "3"


@dataclass
class Program:
    settings: Settings
    ids: list[str]
    names: list[str]
    role_mentor: np.ndarray  # bool: role mentor or both
    role_mentee: np.ndarray  # bool: role mentee or both
    available: np.ndarray
    capacity: np.ndarray
    occupation: np.ndarray  # code of the canonical occupation, -1 none
    family: np.ndarray
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
    raw: Any = None  # MemberRows: the member rows, for wording
    resolved: dict[str, Any] = field(default_factory=dict)  # kind -> Resolutions
    open_as_mentor: np.ndarray | None = None
    open_as_mentee: np.ndarray | None = None
    blocked: dict[int, np.ndarray] = field(default_factory=dict)  # mentee -> excluded mentors
    completed_as_mentee: np.ndarray | None = None  # bool: finished a pairing as the mentee

    def __post_init__(self):
        # Each member's interests weighted by rarity (idf), and their total: the share of a
        # mentee's interests a mentor covers is a dot product over this, divided by the norm.
        self.interests_weighted = self.interests.scale_columns(self.interest_idf)
        self.interest_norm = self.interests_weighted.row_sums()

    @property
    def size(self) -> int:
        return len(self.ids)

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


def load_program(store: Store, settings: Settings) -> Program:
    """The program as arrays: from the snapshot cached in the database when the members and
    resolutions have not changed since it was taken, else built afresh (and cached).
    The pairing state (open pairings, excluded pairs) is always read fresh."""
    refresh_resolutions(store, settings.aliases)
    version = f"{SNAPSHOT_FORMAT}:{store.data_version()}"
    parts = _read_snapshot(store, version)
    if parts is None:
        parts = _build_parts(store)
        _write_snapshot(store, version, parts)
    ids = parts.pop("ids")
    reader = _Reader(store.path)
    program = Program(
        settings=settings, ids=ids, raw=MemberRows(reader, ids), resolved={
            kind: Resolutions(reader, kind) for kind in ("occupation", "school", "location")},
        **parts)
    (program.open_as_mentor, program.open_as_mentee, program.blocked,
     program.completed_as_mentee) = _pairing_state(store, ids)
    return program


def _read_snapshot(store: Store, version: str) -> dict[str, Any] | None:
    import io

    row = store.conn.execute("SELECT header, arrays FROM program_snapshot WHERE version = ?",
                             (version,)).fetchone()
    if row is None:
        return None
    header = json.loads(row[0])
    with np.load(io.BytesIO(row[1]), allow_pickle=False) as stored:
        parts: dict[str, Any] = {name: stored[name] for name in _ARRAYS}
        for name in _MATRICES:
            parts[name] = matrix = Csr(stored[f"{name}.data"], stored[f"{name}.indices"],
                                       stored[f"{name}.indptr"], tuple(stored[f"{name}.shape"]))
            # The transposed index was computed once, when the snapshot was taken.
            matrix.__dict__["transposed"] = Csr(
                stored[f"{name}.T.data"], stored[f"{name}.T.indices"], stored[f"{name}.T.indptr"],
                matrix.shape[::-1])
    parts.update(ids=header["ids"], names=header["names"],
                 interest_codes={k: i for i, k in enumerate(header["interests"])})
    return parts


def _write_snapshot(store: Store, version: str, parts: dict[str, Any]) -> None:
    import io

    buffer = io.BytesIO()
    payload = {name: parts[name] for name in _ARRAYS}
    for name in _MATRICES:
        matrix = parts[name]
        payload.update({f"{name}.data": matrix.data, f"{name}.indices": matrix.indices,
                        f"{name}.indptr": matrix.indptr, f"{name}.shape": np.array(matrix.shape),
                        f"{name}.T.data": matrix.transposed.data,
                        f"{name}.T.indices": matrix.transposed.indices,
                        f"{name}.T.indptr": matrix.transposed.indptr})
    np.savez(buffer, **payload)
    interests = sorted(parts["interest_codes"], key=parts["interest_codes"].get)
    header = json.dumps({"ids": parts["ids"], "names": parts["names"], "interests": interests},
                        ensure_ascii=False)
    with store.write():
        store.conn.execute("DELETE FROM program_snapshot")
        store.conn.execute("INSERT INTO program_snapshot (version, header, arrays) VALUES (?, ?, ?)",
                           (version, header, buffer.getvalue()))


def _build_parts(store: Store) -> dict[str, Any]:
    rows = store.query(f"{_ROW_SQL} ORDER BY id")
    resolved = {kind: load_resolutions(store, kind) for kind in ("occupation", "school", "location")}
    n = len(rows)
    ids = [r["id"] for r in rows]
    index = {member_id: i for i, member_id in enumerate(ids)}
    by_ref = dict(index)
    by_ref.update({member_id.lower(): i for i, member_id in enumerate(ids)})
    by_ref.update({r["email"].lower(): i for i, r in enumerate(rows) if r["email"]})

    codes = {name: _Codes() for name in ("occupation", "family", "place", "region", "country",
                                         "organization", "school", "interest", "language")}
    occupation = np.full(n, -1, np.int32)
    family = np.full(n, -1, np.int32)
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
            occupation[i] = codes["occupation"].code(occ.key)
            family[i] = codes["family"].code(occ.attrs.get("family"))
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

    role = np.array([r["role"] for r in rows], dtype=object)
    return dict(
        ids=ids, names=[r["name"] for r in rows],
        role_mentor=np.isin(role, ["mentor", "both"]), role_mentee=np.isin(role, ["mentee", "both"]),
        available=np.array([bool(r["available"]) for r in rows], dtype=bool),
        capacity=np.array([r["capacity"] for r in rows], dtype=np.int64),
        occupation=occupation, family=family, seniority=seniority, place=place, region=region,
        country=country, lat=lat, lon=lon, radius_km=radius, organization=organization,
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
    """Open pairings per mentor and per mentee, pairs never to propose again (declined, ended,
    completed, or open), and mentees who completed a pairing; vectorized over all pairings."""
    n = len(ids)
    rows = store.conn.execute(
        "SELECT mentee_id, mentor_id, status FROM pairings WHERE status IN "
        "('proposed', 'introduced', 'active', 'paused', 'declined', 'ended', 'completed')"
    ).fetchall()
    open_mentor = np.zeros(n, dtype=np.int64)
    open_mentee = np.zeros(n, dtype=np.int64)
    completed = np.zeros(n, dtype=bool)
    if not rows or not n:
        return open_mentor, open_mentee, {}, completed
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
    blocked: dict[int, list[int]] = {}
    for mentee, mentor in zip(e[known].tolist(), m[known].tolist(), strict=True):
        blocked.setdefault(mentee, []).append(mentor)
    return (open_mentor, open_mentee,
            {k: np.array(v, dtype=np.int64) for k, v in blocked.items()}, completed)


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance, vectorized over numpy arrays."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
