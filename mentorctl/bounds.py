"""Upper bounds on pair scores, cheap enough for every pair a pricing pass looks at.

Pricing (`mentorctl.pricing`) must find every pair whose score beats its prices without scoring
every pair exactly: it bounds pairs first and scores only those whose bound clears the prices.
A bound that is ever below a pair's true score would make the certificate a lie, so each term
here is at least the feature it stands for (`mentorctl.match`) on every pair without a mutual
friend (those few pairs are scored exactly, `pricing.friend_pairs`; their friends feature is the
only one left out here):

- location: 1 same place; 0.85 where the chord test that `match._distances_within` uses as its
  own prefilter says the pair may be within reach (the graded score of a near pair is at most
  0.85); 0.4 same region; 0.2 same country; else 0 — the order of `location_feature`, with its
  exact "near" replaced by a superset of it.
- occupation: exact (`occupation_feature`: a few array lookups).
- school, languages, interests: exact through bit masks of the mentors' items (64 a word) tested
  against each mentee's few items; where a program has too many items for masks, or a mentee
  too many items for the slots, the feature is bounded by 1 (still valid).

`coarse` is cheaper and looser (any school on both sides, interests and languages at their
mentee's maximum); `fine` is exact for everything but location. Both add MARGIN: scores are
rounded to 0.1, and the interest shares here are summed in another order than the exact ones.
"""

from __future__ import annotations

import numpy as np

from mentorctl.geo import EARTH_RADIUS_KM
from mentorctl.match import occupation_feature, weights
from mentorctl.model import FEATURES
from mentorctl.program import Program
from mentorctl.sparse_rows import Csr

MARGIN = 0.06  # points: scores are rounded to 0.1 (and a hair for float sums)
MAX_WORDS = 64  # bit mask words per mentor (4,096 items); wider item sets are bounded by 1
MAX_SLOTS = 16  # items per mentee tested one by one; a mentee with more is bounded by 1


def reach_chord2(p: Program, members: np.ndarray) -> np.ndarray:
    """The squared chord of each member's reach (max of rules.nearby_km and its place's radius),
    with the slack `match._distances_within` gives its prefilter: a pair may be near only when
    its squared chord is at most the larger of its two members' values (the chord grows with the
    distance, so the larger reach decides)."""
    reach = np.maximum(float(p.settings.rules.nearby_km), p.radius_km[members])
    half_angle = np.minimum(reach / (2 * EARTH_RADIUS_KM), np.pi / 2)
    return (2 * np.sin(half_angle)) ** 2 * (1 + 1e-9) + 1e-12


class _Bits:
    """Which items (columns of a Csr) each of `members` holds, as uint64 masks, row-major."""

    def __init__(self, matrix: Csr, members: np.ndarray):
        self.words = (matrix.shape[1] + 63) // 64
        self.flat = None
        if self.words > MAX_WORDS:
            return
        lengths = matrix.row_lengths[members]
        rows = np.repeat(np.arange(len(members)), lengths)
        positions = np.repeat(matrix.indptr[members] - np.r_[0, np.cumsum(lengths)[:-1]],
                              lengths) + np.arange(int(lengths.sum()))
        columns = matrix.indices[positions].astype(np.int64)
        flat = np.zeros(len(members) * self.words, dtype=np.uint64)
        np.bitwise_or.at(flat, rows * self.words + (columns >> 6),
                         np.left_shift(np.uint64(1), (columns & 63).astype(np.uint64)))
        self.flat = flat

    def holds(self, cj: np.ndarray, codes: np.ndarray) -> np.ndarray:
        """Whether member cj[k] holds item codes[k] (codes >= 0)."""
        word = self.flat[cj * self.words + (codes >> 6)]
        return (np.right_shift(word, (codes & 63).astype(np.uint64)) & np.uint64(1)).astype(bool)


class _Slots:
    """Each of `members`' items as a padded table (code, weight; -1 pads); `over` marks members
    with more than MAX_SLOTS items (bounded by 1 instead)."""

    def __init__(self, matrix: Csr, members: np.ndarray, weight: Csr | None = None):
        lengths = matrix.row_lengths[members]
        self.over = lengths > MAX_SLOTS
        width = int(min(lengths.max(initial=0), MAX_SLOTS))
        self.count = np.where(self.over, 0, lengths)  # slots filled, from the first
        self.codes = np.full((len(members), width), -1, dtype=np.int64)
        self.weights = np.zeros((len(members), width))
        source = weight if weight is not None else matrix
        for s in range(width):
            has = (lengths > s) & ~self.over
            at = matrix.indptr[members[has]] + s
            self.codes[has, s] = matrix.indices[at]
            self.weights[has, s] = source.data[at]


class Bounds:
    """Score bounds (points) for pairs (mentee row ri, mentor column cj) of a plan."""

    def __init__(self, p: Program, mentees: np.ndarray, mentors: np.ndarray):
        self.p, self.mentees, self.mentors = p, mentees, mentors
        self.w = {name: 100.0 * value for name, value in zip(FEATURES, weights(p), strict=True)}
        self.side = {}
        for name, members in (("e", mentees), ("m", mentors)):
            self.side[name] = {
                "place": p.place[members], "region": p.region[members],
                "country": p.country[members], "xyz": np.ascontiguousarray(p.unit_xyz[members]),
                "reach2": reach_chord2(p, members)}
        self.school_e = p.schools.row_lengths[mentees] > 0
        self.school_m = p.schools.row_lengths[mentors] > 0
        norm = p.interest_norm[mentees]
        self.interest_max = (norm > 0).astype(np.float64)
        self.language_max = (p.languages.row_lengths[mentees] > 0).astype(np.float64)
        self.bits = {name: _Bits(matrix, mentors) for name, matrix in
                     (("school", p.schools), ("language", p.languages),
                      ("interest", p.interests))}
        self.slots = {"school": _Slots(p.schools, mentees),
                      "language": _Slots(p.languages, mentees),
                      "interest": _Slots(p.interests, mentees, p.interests_weighted)}
        interest = self.slots["interest"]
        # The share of the mentee's interests each slot carries (its idf over their total).
        interest.weights = np.divide(interest.weights, norm[:, None],
                                     out=np.zeros_like(interest.weights), where=norm[:, None] > 0)

    def location(self, ri: np.ndarray, cj: np.ndarray) -> np.ndarray:
        """At least `location_feature` of each pair (see the module doc)."""
        e, m = self.side["e"], self.side["m"]
        same_place = (e["place"][ri] == m["place"][cj]) & (e["place"][ri] >= 0)
        chord2 = np.zeros(len(ri))
        for axis in range(3):
            chord2 += (e["xyz"][ri, axis] - m["xyz"][cj, axis]) ** 2
        near = chord2 <= np.maximum(e["reach2"][ri], m["reach2"][cj])  # False where nan
        same_region = (e["region"][ri] == m["region"][cj]) & (e["region"][ri] >= 0)
        same_country = (e["country"][ri] == m["country"][cj]) & (e["country"][ri] >= 0)
        return np.select([same_place, near, same_region, same_country], [1.0, 0.85, 0.4, 0.2],
                         default=0.0)

    def base(self, ri: np.ndarray, cj: np.ndarray) -> np.ndarray:
        """Location (bounded) and occupation (exact), in points."""
        return (self.w["location"] * self.location(ri, cj)
                + self.w["occupation"] * occupation_feature(self.p, self.mentees[ri],
                                                            self.mentors[cj]))

    def coarse(self, ri: np.ndarray, cj: np.ndarray, base: np.ndarray) -> np.ndarray:
        """base + school, interests and languages at their most for the mentee, + MARGIN."""
        return (base + self.w["school"] * (self.school_e[ri] & self.school_m[cj])
                + self.w["interests"] * self.interest_max[ri]
                + self.w["languages"] * self.language_max[ri] + MARGIN)

    def fine(self, ri: np.ndarray, cj: np.ndarray, base: np.ndarray) -> np.ndarray:
        """base + school, interests and languages as they are for the pair, + MARGIN."""
        share = {name: self._shared(name, ri, cj) for name in ("school", "language", "interest")}
        return (base + self.w["school"] * np.minimum(share["school"], 1.0)
                + self.w["interests"] * np.minimum(share["interest"], 1.0)
                + self.w["languages"] * np.minimum(share["language"], 1.0) + MARGIN)

    def _shared(self, name: str, ri: np.ndarray, cj: np.ndarray) -> np.ndarray:
        """Interests: the share of the mentee's interests the mentor holds; schools and
        languages: how many the two share (only > 0 matters). 1 where masks or slots can't
        tell (never below the truth)."""
        bits, slots = self.bits[name], self.slots[name]
        if bits.flat is None:
            return np.ones(len(ri))
        total = np.zeros(len(ri))
        # Slot by slot, only the pairs whose mentee fills it (most fill few of the slots): the
        # same sums, in the same order, as over every pair and slot, for a fraction of the work.
        filled = slots.count[ri]
        active = np.flatnonzero(filled > 0)
        for s in range(slots.codes.shape[1]):
            if s:
                active = active[filled[active] > s]
            if len(active) == 0:
                break
            rows = ri[active]
            hit = bits.holds(cj[active], slots.codes[rows, s])
            total[active] += (slots.weights[rows, s] if name == "interest" else 1.0) * hit
        return np.where(slots.over[ri], 1.0, total)
