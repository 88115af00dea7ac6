"""Pricing: the pairs outside the solved graph that could still improve the plan.

With the prices u (mentee) and v (mentor) of the solved graph (`mentorctl.flow`), a pair can
improve the plan only when its weight exceeds u[e] + v[m]. Pricing finds every such pair
without scoring every mentee x mentor pair:

- pairs with a mutual friend (few) are scored exactly once per plan (`friend_pairs`) and checked
  against the prices on each pass;
- every other pair is enumerated by one of the reasons it could score above its mentee's price,
  then bounded (`mentorctl.bounds`), and only pairs whose bound clears the prices are scored
  exactly. The reasons: a place within reach but not the same spot (location up to 0.85,
  always taken), or the same place without coordinates (always taken); else the location is at
  most 1 (the same spot: the same coordinates), 0.4 (same region), 0.2 (same country) or 0, and
  the score at most 100 x (extra + w_location x that + w_interests x interests + w_languages),
  where
  extra is w_occupation x 1, 0.5 or 0.3 (+ w_school if the mentee has a school) for a pair
  sharing an occupation, broad occupation or profession code, w_school for one sharing a school
  but no code, 0 for the others. So a mentee whose price is above that without interests needs
  a mentor (of the group: the code's or school's mentors, or every mentor) sharing enough of its
  interests: its interests are taken from the commonest up while their summed share stays at or
  below what the price leaves for interests, and only mentors holding one of the others can
  qualify (prefix filtering). A mentee whose price is below even that is bounded against every
  mentor of the group and area class. (Taking every mentor at the mentee's own place, as this
  did before, was 90 % of a pass on a program of a few big cities: 176 of 382 million pairs.)

The same pass proves a bound on the best total: raising each u[e] to cover the pairs it found
makes the prices cover every allowed pair, so sum(u) + sum(room x v) bounds any plan (weak
duality) — whether or not the plan is then re-solved with those pairs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mentorctl.bounds import MARGIN, Bounds, reach_chord2
from mentorctl.flow import bonus_of, weights_of
from mentorctl.match import pair_scores
from mentorctl.parallel import in_threads
from mentorctl.program import Program

BLOCK_PAIRS = 1_000_000  # pairs scored at once
BLOCK_CELLS = 16_000_000  # mentee rows x mentors per block of a pass (its duplicate mask);
# 4 million made a pass ~20 % slower at 100k (per-block overhead, threads waiting on each other)
PER_MENTEE = 10  # improving pairs added per mentee and round (the best by reduced cost)
KEEP_FOUND = 4_000_000  # improving pairs held before all but each mentee's best are dropped
CLASSES = (0.0, 0.2, 0.4)  # location at most, away from the mentee's place: country, region


@dataclass(frozen=True)
class Priced:
    e: np.ndarray  # improving pairs (members), their scores
    m: np.ndarray
    scores: np.ndarray
    need: np.ndarray  # per mentee row: the price that covers every allowed pair (weight units)
    scored: int  # pairs scored exactly


@dataclass(frozen=True)
class RarePairs:
    """Allowed pairs (mentee row, mentor column) with a mutual friend, scored."""

    rows: np.ndarray
    cols: np.ndarray
    scores: np.ndarray


def friend_pairs(p: Program, mentees: np.ndarray, mentors: np.ndarray, allowed: Callable,
                 min_score: float) -> RarePairs:
    product = (p.friends_weighted.scipy[mentees] @ p.friends.scipy[mentors].T).tocoo()
    key = _distinct(product.row.astype(np.int64) * len(mentors) + product.col)
    rows, cols = key // len(mentors), key % len(mentors)
    ok = allowed(p, mentees[rows], mentors[cols])
    rows, cols = rows[ok], cols[ok]
    scores = np.empty(len(rows))
    for start in range(0, len(rows), BLOCK_PAIRS):
        part = slice(start, start + BLOCK_PAIRS)
        scores[part], _ = pair_scores(p, mentees[rows[part]], mentors[cols[part]])
    keep = scores >= min_score
    return RarePairs(rows[keep], cols[keep], scores[keep])


def _distinct(keys: np.ndarray) -> np.ndarray:
    """The sorted distinct values (np.unique hashes int64 in numpy 2.3: 10x slower here)."""
    keys = np.sort(keys)
    return keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys


def _expand(rows: np.ndarray, starts: np.ndarray, ends: np.ndarray):
    """(row, position) for every position in [starts[i], ends[i]) of every rows[i]."""
    lengths = np.maximum(ends - starts, 0)
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    first = np.repeat(starts - np.r_[0, np.cumsum(lengths)[:-1]], lengths)
    return np.repeat(rows, lengths), first + np.arange(total)


class _Sorted:
    """Mentor columns sorted by an int64 key (< 0: left out), to take key ranges of them."""

    def __init__(self, keys: np.ndarray, cols: np.ndarray | None = None):
        cols = np.arange(len(keys)) if cols is None else cols
        keep = keys >= 0
        order = np.argsort(keys[keep], kind="stable")
        self.keys, self.cols = keys[keep][order], cols[keep][order]

    def take(self, rows: np.ndarray, lo_keys: np.ndarray, hi_keys: np.ndarray):
        """(row, mentor column) for every mentor with lo_keys[i] <= key < hi_keys[i]."""
        r, pos = _expand(rows, np.searchsorted(self.keys, lo_keys),
                         np.searchsorted(self.keys, hi_keys))
        return r, self.cols[pos]

    def equal(self, rows: np.ndarray, keys: np.ndarray):
        ok = keys >= 0
        return self.take(rows[ok], keys[ok], keys[ok] + 1)


class PricingIndex:
    """What every pass of a plan looks pairs up in: built once per plan."""

    def __init__(self, p: Program, mentees: np.ndarray, mentors: np.ndarray, allowed: Callable,
                 min_score: float, friends: RarePairs | None = None):
        """`friends`: every allowed pair with a mutual friend, scored, when the caller has
        them already (`candidates.best_candidates` scores them all)."""
        self.p, self.mentees, self.mentors = p, mentees, mentors
        if friends is None:
            self.friends = friend_pairs(p, mentees, mentors, allowed, min_score)
        else:
            keep = friends.scores >= min_score
            self.friends = RarePairs(friends.rows[keep], friends.cols[keep], friends.scores[keep])
        self.bounds = Bounds(p, mentees, mentors)
        self.places = (_Sorted(p.place[mentors].astype(np.int64)),
                       p.place[mentees].astype(np.int64))
        # Areas: (country, region) as one key, so a country's mentors are one range of it.
        self.per_country = np.int64(int(p.region.max(initial=0)) + 2)
        area = self._area(p.country, p.region)
        self.area_e = area[mentees]
        self.spots = _Spots(p, mentees, mentors)
        # Mentors keyed by (group, area) and by (group, spot), and the holders of each interest
        # by (group, interest, area) and (group, interest, spot): a mentee whose price rules
        # out the pairs of a group (an occupation code, a school, or everyone) outside its
        # country, region or very place takes only the group's mentors within it, and prefix
        # filtering on interests (`_by_interests`) reaches them only where the price leaves
        # room. The same place is a class of its own (location at most 1): in a program of a
        # few big cities, taking every mentor in a mentee's city took most of a pass.
        interests, holder = _entries(p.interests, mentors)
        n_items = p.interests.shape[1] + 1
        self.by_area = _Where(area[mentors], (int(p.country.max(initial=0)) + 2)
                              * int(self.per_country), n_items, interests, holder)
        self.by_spot = _Where(self.spots.spot_m, self.spots.count + 1, n_items, interests,
                              holder)
        every_col = np.arange(len(mentors))
        no_group = np.zeros(len(mentors), dtype=np.int64)
        self.everyone = (self.by_area.grouped(no_group, every_col),
                         self.by_spot.grouped(no_group, every_col))
        self.codes = []
        for level, codes in ((1.0, p.occupation), (0.5, p.family), (0.3, p.profession)):
            cols = np.flatnonzero(codes[mentors] >= 0)
            group = codes[mentors][cols].astype(np.int64)
            self.codes.append((level, self.by_area.grouped(group, cols),
                               self.by_spot.grouped(group, cols), codes[mentees].astype(np.int64)))
        items, cols = _entries(p.schools, mentors)
        self.schools = (self.by_area.grouped(items, cols), self.by_spot.grouped(items, cols),
                        *_entries(p.schools, mentees))
        slots = self.bounds.slots["interest"]
        order = np.argsort(np.where(slots.codes >= 0, slots.weights, np.inf), axis=1,
                           kind="stable")
        self.interest_codes = np.take_along_axis(slots.codes, order, axis=1)
        self.interest_cum = np.cumsum(np.take_along_axis(slots.weights, order, axis=1), axis=1)
        self.interest_over = slots.over

    def _area(self, country: np.ndarray, region: np.ndarray) -> np.ndarray:
        return (country.astype(np.int64) + 1) * self.per_country + region.astype(np.int64) + 1

    def candidates(self, rows: np.ndarray, u_points: np.ndarray):
        """Every (row, column) pair of these mentee rows that may score above u_points[row]
        without a mutual friend; duplicates included."""
        w, b = self.bounds.w, self.bounds
        # A pair sharing an occupation code (or else a school) is reached through its group,
        # within the area its price leaves room for; `extra` is what the group adds at most.
        parts = []
        for level, by_area, by_spot, mentee_codes in self.codes:
            codes = mentee_codes[rows]
            has = codes >= 0
            parts.extend(self._by_interests(rows[has], u_points[rows[has]], codes[has],
                                            w["occupation"] * level
                                            + w["school"] * b.school_e[rows[has]],
                                            by_area, by_spot))
        by_area, by_spot, entry_items, entry_rows = self.schools
        lo, hi = np.searchsorted(entry_rows, [rows[0], rows[-1] + 1])
        # A shared school without a shared occupation code (those are reached above).
        parts.extend(self._by_interests(entry_rows[lo:hi], u_points[entry_rows[lo:hi]],
                                        entry_items[lo:hi], w["school"], by_area, by_spot))
        # Within reach but not at the same spot: always taken (a pair near across a region's
        # border is in no area range). The same place without coordinates: always taken.
        no_spot = rows[self.spots.spot_e[rows] < 0]
        parts.append(self.places[0].equal(no_spot, self.places[1][no_spot]))
        parts.append(self.spots.near(rows))
        parts.extend(self._by_interests(rows, u_points[rows], np.zeros(len(rows), dtype=np.int64),
                                        0.0, *self.everyone))
        return np.concatenate([r for r, _ in parts]), np.concatenate([c for _, c in parts])

    def _by_interests(self, rows: np.ndarray, u_points: np.ndarray, group: np.ndarray, extra,
                      by_area: tuple[_Sorted, _Sorted], by_spot: tuple[_Sorted, _Sorted]):
        """Pairs among the mentors of group[k] (`extra`: what the group adds to a pair's score
        at most): prefix filtering on interests per area class (every mentor, the country's,
        the region's) and at the mentee's own spot."""
        u_points = u_points - extra
        area = self.area_e[rows]
        country_lo = area - area % self.per_country
        ranges = [(0, self.by_area.size), (country_lo, country_lo + self.per_country),
                  (area, np.where(area % self.per_country > 0, area + 1, area))]
        known = [np.ones(len(rows), dtype=bool), area >= self.per_country,
                 area % self.per_country > 0]
        taken = np.zeros(len(rows), dtype=bool)  # every mentor of a wider class already taken
        codes = self.interest_codes[rows]
        prefix_before = np.zeros(codes.shape, dtype=bool)
        out = []
        for level, (lo, hi), ok in zip(CLASSES, ranges, known, strict=True):
            share = self._share_needed(rows, u_points, level)
            ok = ok & ~taken
            every = ok & ((share < 0) | self.interest_over[rows])
            lo_all = np.broadcast_to(lo, rows.shape)
            hi_all = np.broadcast_to(hi, rows.shape)
            at = group * self.by_area.size
            out.append(by_area[0].take(rows[every], at[every] + lo_all[every],
                                       at[every] + hi_all[every]))
            # The classes nest (every mentor, the country's, the region's): a class taken
            # whole covers the narrower ones, and an interest already taken over a wider range
            # need not be taken again.
            taken |= every
            prefix = (self.interest_cum[rows] > share[:, None]) & (codes >= 0)
            new = prefix & ~prefix_before & (ok & ~every)[:, None]
            prefix_before |= prefix & ok[:, None]
            r, s = np.nonzero(new)
            base = group[r] * self.by_area.per_group + codes[r, s] * self.by_area.size
            out.append(by_area[1].take(rows[r], base + lo_all[r], base + hi_all[r]))
        # The mentee's own spot (same place, or the same coordinates): location at most 1.
        # Not nested in the area classes (a spot's members may differ in region), so taken
        # on its own; the duplicates are dropped with the rest.
        spot = self.spots.spot_e[rows]
        share = self._share_needed(rows, u_points, 1.0)
        ok = spot >= 0
        every = ok & ((share < 0) | self.interest_over[rows])
        at = group * self.by_spot.size + spot
        out.append(by_spot[0].take(rows[every], at[every], at[every] + 1))
        prefix = ((self.interest_cum[rows] > share[:, None]) & (codes >= 0)
                  & (ok & ~every)[:, None])
        r, s = np.nonzero(prefix)
        key = group[r] * self.by_spot.per_group + codes[r, s] * self.by_spot.size + spot[r]
        out.append(by_spot[1].take(rows[r], key, key + 1))
        return out

    def _share_needed(self, rows: np.ndarray, u_points: np.ndarray, location: float):
        """The share of its interests a mentor must hold for a pair to clear the price, with
        the location at most `location` (a hair lower: the shares are summed in another
        order than the exact score's); < 0: every mentor may."""
        w = self.bounds.w
        left = (u_points - w["location"] * location
                - w["languages"] * self.bounds.language_max[rows] - MARGIN)
        return (left / w["interests"] - 1e-6 if w["interests"] > 0
                else np.where(left < 0, -1.0, np.inf))


class _Where:
    """Mentors by (group, where), and the holders of each interest by (group, interest,
    where): `where` a mentor's area or spot (< 0: none, left out), below `size`."""

    def __init__(self, where_m: np.ndarray, size: int, n_items: int, interests: np.ndarray,
                 holder: np.ndarray):
        self.where_m, self.size = where_m, np.int64(size)
        self.per_group = np.int64(n_items) * self.size
        self.interests, self.holder = interests, holder

    def grouped(self, group: np.ndarray, cols: np.ndarray) -> tuple[_Sorted, _Sorted]:
        """(mentors of each group by where, holders of each group's interests by where) for
        the group entries (group[k], mentor column cols[k]), cols sorted."""
        holder = self.holder
        first, last = np.searchsorted(cols, holder), np.searchsorted(cols, holder, "right")
        entry, within = _pairs_of(first, last)
        k = first[entry] + within  # every (group entry of the mentor, interest entry)
        where_cols, where_holders = self.where_m[cols], self.where_m[holder[entry]]
        return (_Sorted(np.where(where_cols >= 0, group * self.size + where_cols, -1), cols),
                _Sorted(np.where(where_holders >= 0, group[k] * self.per_group
                                 + self.interests[entry] * self.size + where_holders, -1),
                        holder[entry]))


def _pairs_of(first: np.ndarray, last: np.ndarray):
    """(k, 0..last[k]-first[k]-1) for every k."""
    lengths = np.maximum(last - first, 0)
    entry = np.repeat(np.arange(len(first)), lengths)
    return entry, np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)


def _entries(matrix, members: np.ndarray):
    """(item, position in members) of every item the members hold, by member."""
    lengths = matrix.row_lengths[members]
    _, positions = _expand(np.zeros(len(members)), matrix.indptr[members],
                           matrix.indptr[members] + lengths)
    return matrix.indices[positions].astype(np.int64), np.repeat(np.arange(len(members)), lengths)


class _Spots:
    """Pairs whose places may be within reach of each other: places with coordinates ("spots":
    distinct latitude, longitude and radius), each mentee spot listing the mentor spots the
    chord test of `bounds.Bounds.location` lets through."""

    def __init__(self, p: Program, mentees: np.ndarray, mentors: np.ndarray):
        facts = np.stack([p.lat, p.lon, p.radius_km], axis=1)
        known = ~np.isnan(facts).any(axis=1)
        spots, spot_of = np.unique(facts[known], axis=0, return_inverse=True)
        spot = np.full(p.size, -1, dtype=np.int64)
        spot[np.flatnonzero(known)] = spot_of.ravel()
        self.spot_e, self.spot_m, self.count = spot[mentees], spot[mentors], len(spots)
        self.mentors = _Sorted(spot[mentors])
        holders = np.flatnonzero(known)[np.unique(spot_of.ravel(), return_index=True)[1]]
        xyz, reach2 = p.unit_xyz[holders], reach_chord2(p, holders)
        mentor_spots = np.unique(spot[mentors][spot[mentors] >= 0])
        pairs_a, pairs_b = [], []
        step = max(1, 4_000_000 // max(len(mentor_spots), 1))
        for start in range(0, len(spots), step):
            a = np.arange(start, min(start + step, len(spots)))
            chord2 = ((xyz[a, None, :] - xyz[None, mentor_spots, :]) ** 2).sum(axis=2)
            # Other spots only: the same spot is a class of its own (`_by_interests`).
            near = chord2 <= np.maximum(reach2[a, None], reach2[None, mentor_spots])
            near &= a[:, None] != mentor_spots[None, :]
            i, j = np.nonzero(near)
            pairs_a.append(a[i])
            pairs_b.append(mentor_spots[j])
        self.lists = _Sorted(np.concatenate(pairs_a), np.concatenate(pairs_b))

    def near(self, rows: np.ndarray):
        r, spots = self.lists.equal(rows, self.spot_e[rows])
        return self.mentors.equal(r, spots)


def price(p: Program, mentees: np.ndarray, mentors: np.ndarray, u: np.ndarray, v: np.ndarray,
          scale: int, min_score: float, allowed: Callable, index: PricingIndex,
          on_progress: Callable[[int, int], None] | None = None) -> Priced:
    """Every allowed pair (score >= min_score) whose weight exceeds its prices, the best
    PER_MENTEE of them per mentee; u[i] prices mentees[i], v[j] mentors[j] (weight units:
    score x 10 x scale + 1, or plain tenths with scale 1: `flow.weights_of`)."""
    need = u.copy()
    found = []
    held = [0]

    def consider(ri, cj, scores, weight):
        gain = weight - u[ri] - v[cj]
        better = (gain > 0) & (scores >= min_score)
        np.maximum.at(need, ri[better], weight[better] - v[cj[better]])
        found.append((ri[better], cj[better], scores[better], gain[better]))
        held[0] += int(better.sum())
        if held[0] > KEEP_FOUND:
            # `need` already holds what the bound needs: of the pairs themselves only the best
            # PER_MENTEE per mentee are ever added, so keep just those (a first pass from poor
            # prices found 46 million, 5.75 GB).
            found[:] = [_best_per_row(*(np.concatenate([f[k] for f in found]) for k in range(4)))]
            held[0] = len(found[0][0])

    friends = index.friends
    consider(friends.rows, friends.cols, friends.scores, weights_of(friends.scores, scale))
    # A pair of weight tenths x scale + bonus beats u + v only if tenths >= u / scale.
    u_points = u / (10.0 * scale)
    bonus = bonus_of(scale)
    bounds = index.bounds
    scored = 0

    def clears(bound, ri, cj):
        return (np.floor(bound * 10.0) * scale + bonus > u[ri] + v[cj]) & (bound >= min_score)

    step = max(1, BLOCK_CELLS // max(len(mentors), 1))
    rows_all = np.arange(len(mentees))

    def block(start):
        rows = rows_all[start:start + step]
        ri, cj = index.candidates(rows, u_points)
        # The block's rows are contiguous, so a cell mask removes duplicates in row, column
        # order in one linear pass (a sort of the pair keys took a fifth of pricing).
        seen = np.zeros((len(rows), len(mentors)), dtype=bool)
        seen[ri - start, cj] = True
        cell = np.flatnonzero(seen)
        ri, cj = cell // len(mentors) + start, cell % len(mentors)
        base = bounds.base(ri, cj)
        hit = clears(bounds.coarse(ri, cj, base), ri, cj)
        ri, cj, base = ri[hit], cj[hit], base[hit]
        hit = clears(bounds.fine(ri, cj, base), ri, cj)
        ri, cj = ri[hit], cj[hit]
        ok = allowed(p, mentees[ri], mentors[cj])
        ri, cj = ri[ok], cj[ok]
        scores = np.empty(len(ri))
        for first in range(0, len(ri), BLOCK_PAIRS):
            part = slice(first, first + BLOCK_PAIRS)
            scores[part], _ = pair_scores(p, mentees[ri[part]], mentors[cj[part]])
        return int(rows[-1]) + 1, ri, cj, scores

    for done, ri, cj, scores in in_threads(block, range(0, len(mentees), step)):
        consider(ri, cj, scores, weights_of(scores, scale))
        scored += len(ri)
        if on_progress:
            on_progress(done, len(mentees))
    ri, cj, scores, _ = _best_per_row(*(np.concatenate([f[k] for f in found]) for k in range(4)))
    return Priced(mentees[ri], mentors[cj], scores, need, scored)


def _best_per_row(ri, cj, scores, gain):
    """The distinct pairs, the best PER_MENTEE per row by gain (ties: lower column), by row."""
    if len(ri) == 0:
        return ri, cj, scores, gain
    # One sort on a key packing (row, descending gain, column) when it fits 63 bits (it does
    # at 100k members: 16 + 26 + 16): a lexsort of the three and a sort to drop duplicates
    # cost ~1.5 s at 100k. A pair found twice has the same gain, so its copies are adjacent.
    gmax = int(gain.max())
    widths = [int(x).bit_length() for x in (ri.max(), gmax, cj.max())]
    if sum(widths) <= 63:
        key = ((ri.astype(np.int64) << (widths[1] + widths[2]))
               | ((gmax - gain).astype(np.int64) << widths[2]) | cj.astype(np.int64))
        order = np.argsort(key)
        first = order[np.r_[True, key[order][1:] != key[order][:-1]]]
    else:
        key = ri.astype(np.int64) * (int(cj.max()) + 1) + cj
        order = np.argsort(key, kind="stable")
        first = order[np.r_[True, key[order][1:] != key[order][:-1]]]
        first = first[np.lexsort((cj[first], -gain[first], ri[first]))]
    ri, cj, scores, gain = ri[first], cj[first], scores[first], gain[first]
    starts = np.r_[0, np.flatnonzero(ri[1:] != ri[:-1]) + 1]
    rank = np.arange(len(ri)) - np.repeat(starts, np.diff(np.r_[starts, len(ri)]))
    keep = rank < PER_MENTEE
    return ri[keep], cj[keep], scores[keep], gain[keep]
