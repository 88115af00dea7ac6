"""Candidate pairs for large programs: each mentee's best mentors among a few blocks of likely ones.

A large program cannot score every mentee x mentor pair, so the assignment (`mentorctl.assign`)
first solves a candidate graph and then prices the pairs outside it (`mentorctl.pricing`). The
closer the graph's optimum is to the true one, the higher its first prices and the fewer pairs a
pricing pass has to look at, so the graph should hold each mentee's genuinely best mentors and
enough *different* mentors per mentee that mentees of one group do not all compete for the
same few. For each mentee, every mentor of its blocks is scored:

- the same occupation and place, occupation and school, occupation and region, broad occupation
  (family) and place, family and region;
- the same occupation and one of the mentee's RARE_INTERESTS rarest interests (the best of a
  big occupation far away), and the same occupation anywhere (a WIDE_CAP sample);
- when the mentee's occupation is unresolved (no occupation block holds it): the same place,
  school and region, school and one of its rarest interests, and school anywhere (WIDE_CAP);
- mentors a mutual friend connects (friends of friends);
- RANDOM_MENTORS mentors drawn at random, so no mentee is left with nothing to compare.

A block with more than BLOCK_CAP mentors is sampled rather than scored whole: each mentee takes
BLOCK_CAP consecutive mentors of the block's shuffled order from its own random offset, so the
mentees of a big block see different mentors (taking the roomiest, as before, made them all
compete for the same five). Each mentee keeps its best `keep` candidates; equal scores are
ordered by a hash of the pair, not by member order, for the same reason.

Everything random is a hash of member positions seeded by the program (its member ids), so the
same program always gets the same candidates. Work is done in blocks of mentee rows so memory
stays bounded whatever the size of the program.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

import numpy as np

from mentorctl.match import pair_scores
from mentorctl.parallel import in_threads
from mentorctl.program import Program

BLOCK_CAP = 60  # mentors scored per mentee and block at most (a sample of bigger blocks)
WIDE_CAP = 40  # the same for blocks without a place, region or interest (their samples count less)
RARE_INTERESTS = 3  # the mentee's rarest interests looked up within its occupation
RANDOM_MENTORS = 20  # mentors drawn at random per mentee
SPARE_POOL = 10  # ranks past `keep` still considered for mentors nobody else ranks
SPARE_CANDIDATES = 2  # more per mentee among mentors who would otherwise keep free places
CHUNK_CELLS = 32_000_000  # mentee rows x mentors per chunk (memory stays bounded; 8 million
# made the candidates ~15 % slower at 100k: per-chunk overhead)


def _mix(x: np.ndarray, seed: int) -> np.ndarray:
    """A 64-bit hash of each value (splitmix64's finalizer): cheap, well mixed, vectorized."""
    with np.errstate(over="ignore"):
        z = x.astype(np.uint64) + np.uint64(seed & 0xFFFFFFFFFFFFFFFF) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def program_seed(p: Program) -> int:
    """The seed of everything random here: the program's member ids, so reruns agree."""
    return zlib.crc32("\n".join(p.ids).encode())


def _expand(starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(entry, 0..length-1) for every entry's range."""
    total = int(lengths.sum())
    entry = np.repeat(np.arange(len(lengths)), lengths)
    within = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return entry, within


def _cross(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) for every i, j with a[i] == b[j]; a and b sorted."""
    first, last = np.searchsorted(b, a), np.searchsorted(b, a, side="right")
    i, within = _expand(first, last - first)
    return i, first[i] + within


class _Block:
    """Mentee rows and mentor columns sharing an int64 key (< 0: none), joined."""

    def __init__(self, rows: np.ndarray, row_keys: np.ndarray, cols: np.ndarray,
                 col_keys: np.ndarray, cap: int, seed: int):
        ok = col_keys >= 0
        cols, col_keys = cols[ok], col_keys[ok]
        # Mentors of a key in a random order, so a sample of a big block is a random one.
        order = np.lexsort((_mix(cols, seed), col_keys))
        self.cols, col_keys = cols[order], col_keys[order]
        keys, starts, counts = (np.zeros(0, np.int64),) * 3
        if len(col_keys):
            starts = np.r_[0, np.flatnonzero(col_keys[1:] != col_keys[:-1]) + 1]
            keys, counts = col_keys[starts], np.diff(np.r_[starts, len(col_keys)])
        ok = row_keys >= 0
        rows, row_keys = rows[ok], row_keys[ok]
        slot = np.minimum(np.searchsorted(keys, row_keys), max(len(keys) - 1, 0))
        has = (keys[slot] == row_keys) if len(keys) else np.zeros(len(rows), dtype=bool)
        order = np.argsort(rows[has], kind="stable")
        self.rows = rows[has][order]
        self.start, self.count = starts[slot[has]][order], counts[slot[has]][order]
        self.take = np.minimum(self.count, cap)
        # Each mentee's own window of a big block: different mentees, different mentors.
        self.offset = np.where(self.count > cap,
                               _mix(self.rows, seed + 1) % self.count.astype(np.uint64), 0)

    def pairs(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        """(row, column) pairs of the mentee rows in [lo, hi)."""
        a, b = np.searchsorted(self.rows, [lo, hi])
        entry, within = _expand(self.start[a:b], self.take[a:b])
        entry += a
        pos = self.start[entry] + (self.offset[entry].astype(np.int64) + within) % self.count[entry]
        return self.rows[entry], self.cols[pos]


def _blocks(p: Program, mentees: np.ndarray, mentors: np.ndarray, seed: int) -> list[_Block]:
    n_places = np.int64(int(p.place.max(initial=0)) + 2)
    n_regions = np.int64(int(p.region.max(initial=0)) + 2)
    n_schools = np.int64(p.schools.shape[1] + 1)

    def pair_key(a, b, width):
        a, b = a.astype(np.int64), b.astype(np.int64)
        return np.where((a >= 0) & (b >= 0), a * width + b, -1)

    rows_all, cols_all = np.arange(len(mentees)), np.arange(len(mentors))
    blocks = []
    for kind, (a, b, width) in enumerate([(p.occupation, p.place, n_places),
                                          (p.family, p.place, n_places),
                                          (p.occupation, p.region, n_regions),
                                          (p.family, p.region, n_regions)]):
        key = pair_key(a, b, width)
        blocks.append(_Block(rows_all, key[mentees], cols_all, key[mentors], BLOCK_CAP,
                             seed + 10 * kind))
    # Occupation x school: one entry per school a member lists.
    entries = []
    for members in (mentees, mentors):
        lengths = p.schools.row_lengths[members]
        owner, within = _expand(p.schools.indptr[members], lengths)
        school = p.schools.indices[p.schools.indptr[members][owner] + within]
        entries.append((owner, school.astype(np.int64),
                        pair_key(p.occupation[members][owner], school, n_schools)))
    (e_owner, e_school, e_key), (m_owner, m_school, m_key) = entries
    blocks.append(_Block(e_owner, e_key, m_owner, m_key, BLOCK_CAP, seed + 40))
    # The same place or school, for mentees whose occupation is unresolved (no occupation block
    # holds them).
    place = p.place.astype(np.int64)
    unresolved = p.occupation[mentees] < 0
    blocks.append(_Block(rows_all, np.where(unresolved, place[mentees], -1),
                         cols_all, place[mentors], BLOCK_CAP, seed + 50))
    blocks.append(_Block(e_owner, np.where(unresolved[e_owner], e_school, -1), m_owner,
                         m_school, WIDE_CAP, seed + 60))
    region = p.region.astype(np.int64)
    school_region = [pair_key(school, region[members][owner], n_regions) for members, owner, school
                     in ((mentees, e_owner, e_school), (mentors, m_owner, m_school))]
    blocks.append(_Block(e_owner, np.where(unresolved[e_owner], school_region[0], -1), m_owner,
                         school_region[1], BLOCK_CAP, seed + 65))
    # The same occupation (or school, when the occupation is unresolved) and one of the
    # mentee's RARE_INTERESTS rarest interests: the best of a big group far away.
    n_interests = np.int64(p.interests.shape[1] + 1)
    sides = []
    for members in (mentees, mentors):
        lengths = p.interests.row_lengths[members]
        owner, within = _expand(p.interests.indptr[members], lengths)
        at = p.interests.indptr[members][owner] + within
        sides.append((owner, p.interests.indices[at].astype(np.int64),
                      p.interests_weighted.data[at]))
    (i_owner, i_item, i_weight), (j_owner, j_item, _) = sides
    order = np.lexsort((i_item, -i_weight, i_owner))
    rare = order[_rank_in_group(i_owner[order]) < RARE_INTERESTS]
    i_owner, i_item = i_owner[rare], i_item[rare]
    group_e = np.where(unresolved, -1, p.occupation[mentees]).astype(np.int64)
    blocks.append(_Block(i_owner, pair_key(group_e[i_owner], i_item, n_interests), j_owner,
                         pair_key(p.occupation[mentors][j_owner], j_item, n_interests),
                         BLOCK_CAP, seed + 75))
    school_e = np.where(unresolved[e_owner], e_school, -1)
    entry_i, entry_s = _cross(i_owner, e_owner)
    key_e = pair_key(school_e[entry_s], i_item[entry_i], n_interests)
    entry_j, entry_t = _cross(j_owner, m_owner)
    key_m = pair_key(m_school[entry_t], j_item[entry_j], n_interests)
    blocks.append(_Block(i_owner[entry_i], key_e, j_owner[entry_j], key_m, BLOCK_CAP, seed + 77))
    # The same occupation anywhere: a mentor far away in the same work still scores well.
    occupation = p.occupation.astype(np.int64)
    blocks.append(_Block(rows_all, occupation[mentees], cols_all, occupation[mentors],
                         WIDE_CAP, seed + 70))
    return blocks


def best_candidates(p: Program, mentees: np.ndarray, mentors: np.ndarray, keep: int,
                    allowed: Callable, on_progress: Callable[[int, int], None] | None = None,
                    friend_pairs: list | None = None
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mentee, mentor, score) of each mentee's `keep` best candidates, plus up to
    SPARE_CANDIDATES among mentors who would otherwise keep free places. Deterministic.

    Every allowed pair with a mutual friend is scored on the way: given a list, `friend_pairs`
    gets them as (mentee rows, mentor columns, scores), for pricing (which needs every such
    pair scored: its bounds leave the friends feature out)."""
    seed = program_seed(p)
    blocks = _blocks(p, mentees, mentors, seed)
    friends = (p.friends.scipy[mentees] @ p.friends.scipy[:, mentors]).tocsr()
    n_cols = len(mentors)
    step = max(1, CHUNK_CELLS // max(n_cols, 1))
    pool = keep + SPARE_POOL
    out_r, out_c, out_s = [], [], []

    def chunk(lo):
        hi = min(lo + step, len(mentees))
        parts = [block.pairs(lo, hi) for block in blocks]
        fof = friends[lo:hi].tocoo()
        parts.append((fof.row.astype(np.int64) + lo, fof.col.astype(np.int64)))
        rand_r = np.repeat(np.arange(lo, hi), RANDOM_MENTORS)
        draws = rand_r * RANDOM_MENTORS + np.tile(np.arange(RANDOM_MENTORS), hi - lo)
        parts.append((rand_r, (_mix(draws, seed + 80) % np.uint64(n_cols)).astype(np.int64)))
        # Distinct pairs, mentor by mentor, so scoring looks the mentors' items up in order
        # (a sort of the chunk's few pairs: a mentee x mentor cell mask cost as much as scoring).
        cell = np.sort(np.concatenate([c * np.int64(hi - lo) + (r - lo) for r, c in parts]))
        cell = cell[np.r_[True, cell[1:] != cell[:-1]]] if len(cell) else cell
        r, c = cell % (hi - lo) + lo, cell // (hi - lo)
        ok = allowed(p, mentees[r], mentors[c])
        r, c = r[ok], c[ok]
        scores, _ = pair_scores(p, mentees[r], mentors[c])
        friend = np.zeros(len(r), dtype=bool)
        if friend_pairs is not None and fof.nnz:
            friend_cells = np.sort(fof.col.astype(np.int64) * (hi - lo) + fof.row)
            ok_cells = c * np.int64(hi - lo) + (r - lo)
            at = np.minimum(np.searchsorted(friend_cells, ok_cells), len(friend_cells) - 1)
            friend = friend_cells[at] == ok_cells
        mutual = (r[friend], c[friend], scores[friend])
        order = np.lexsort((_mix(r * np.int64(n_cols) + c, seed + 90), -scores, r))
        r, c, scores = r[order], c[order], scores[order]
        best = _rank_in_group(r) < pool
        return hi, r[best], c[best], scores[best], mutual

    for hi, r, c, scores, mutual in in_threads(chunk, range(0, len(mentees), step)):
        out_r.append(r), out_c.append(c), out_s.append(scores)
        if friend_pairs is not None:
            friend_pairs.append(mutual)
        if on_progress:
            on_progress(hi, len(mentees))
    r, c, scores = np.concatenate(out_r), np.concatenate(out_c), np.concatenate(out_s)
    rank = _rank_in_group(r)
    top = rank < keep
    # Mentors whom fewer mentees rank in their top than they have room for would go unused:
    # give every mentee its best SPARE_CANDIDATES of those too, so nobody is left out only
    # because their top candidates were contested.
    room = p.mentor_room()[mentors]
    demand = np.bincount(c[top], minlength=n_cols)
    spare = np.flatnonzero(~top & (demand[c] < room[c]))
    extra = spare[_rank_in_group(r[spare]) < SPARE_CANDIDATES]
    chosen = np.sort(np.concatenate([np.flatnonzero(top), extra]))
    return mentees[r[chosen]], mentors[c[chosen]], scores[chosen]


def _rank_in_group(groups: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... within each run of equal values of a sorted array."""
    if len(groups) == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.r_[0, np.flatnonzero(groups[1:] != groups[:-1]) + 1]
    return np.arange(len(groups)) - np.repeat(starts, np.diff(np.r_[starts, len(groups)]))
