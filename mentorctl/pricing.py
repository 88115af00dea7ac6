"""Pricing: the pairs outside the solved graph that could still improve the plan.

With the prices u (mentee) and v (mentor) of the solved graph (`mentorctl.flow`), a pair can
improve the plan only when its weight exceeds u[e] + v[m]. Pricing finds every such pair
without scoring every mentee x mentor pair, by blocks whose best possible score is known:

- rare pairs: a mutual friend or a shared school. Found by sparse products, scored exactly once
  per plan (`RarePairs`), and checked against the prices on each pass.
- every other pair scores at most 100 x (w_location x location + w_occupation x occupation +
  w_interests + w_languages), its friends and school features being 0. The occupation feature is
  0 unless the two share an occupation, a broad occupation or a profession, so:
  - pairs in the same occupation group (joined on those codes) are bounded exactly that way;
  - any other pair scores at most 100 x (w_location + w_interests + w_languages): a mentee whose
    price is above that, less the lowest mentor price, needs no look at the rest; the others
    (few: mostly the unmatched) are bounded against every mentor.
Pairs whose bound clears the prices are scored exactly and checked against the rules.

The same pass proves a bound on the best total: raising each u[e] to cover the pairs it found
makes the prices cover every allowed pair, so sum(u) + sum(room x v) bounds any plan (weak
duality) — whether or not the plan is then re-solved with those pairs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mentorctl.match import location_feature, occupation_feature, pair_scores, weights
from mentorctl.model import FEATURES
from mentorctl.program import Program

BLOCK_PAIRS = 1_000_000  # pairs bounded at once
MARGIN = 0.06  # points: scores are rounded to 0.1 (and a hair for float sums)
PER_MENTEE = 10  # improving pairs added per mentee and round (the best by reduced cost)


@dataclass(frozen=True)
class Priced:
    e: np.ndarray  # improving pairs (members), their scores
    m: np.ndarray
    scores: np.ndarray
    need: np.ndarray  # per mentee row: the price that covers every allowed pair (weight units)
    scored: int  # pairs scored exactly


@dataclass(frozen=True)
class RarePairs:
    """Allowed pairs (mentee row, mentor column) with a mutual friend or a shared school."""

    rows: np.ndarray
    cols: np.ndarray
    scores: np.ndarray


def rare_pairs(p: Program, mentees: np.ndarray, mentors: np.ndarray, allowed: Callable,
               min_score: float) -> RarePairs:
    keys = []
    for left, right in ((p.friends_weighted, p.friends), (p.schools, p.schools)):
        product = (left.scipy[mentees] @ right.scipy[mentors].T).tocoo()
        keys.append(product.row.astype(np.int64) * len(mentors) + product.col)
    key = _distinct(np.concatenate(keys))
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


def _groups(p: Program, mentees: np.ndarray, mentors: np.ndarray):
    """Per occupation code kind: (sorted mentor columns, their codes, each mentee row's code)."""
    out = []
    for codes in (p.occupation, p.family, p.profession):
        order = np.argsort(codes[mentors], kind="stable")
        out.append((order, codes[mentors][order], codes[mentees]))
    return out


def _expand(rows: np.ndarray, starts: np.ndarray, ends: np.ndarray):
    """(row, position) for every position in [starts[i], ends[i]) of every rows[i]."""
    lengths = np.maximum(ends - starts, 0)
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    first = np.repeat(starts - np.r_[0, np.cumsum(lengths)[:-1]], lengths)
    return np.repeat(rows, lengths), first + np.arange(total)


def price(p: Program, mentees: np.ndarray, mentors: np.ndarray, u: np.ndarray, v: np.ndarray,
          scale: int, min_score: float, allowed: Callable, rare: RarePairs,
          on_progress: Callable[[int, int], None] | None = None) -> Priced:
    """Every allowed pair (score >= min_score) whose weight exceeds its prices, the best
    PER_MENTEE of them per mentee; u[i] prices mentees[i], v[j] mentors[j] (weight units:
    score x 10 x scale + 1)."""
    w = dict(zip(FEATURES, weights(p), strict=True))
    need = u.copy()
    found = []

    def consider(ri, cj, scores, weight):
        gain = weight - u[ri] - v[cj]
        better = (gain > 0) & (scores >= min_score)
        np.maximum.at(need, ri[better], weight[better] - v[cj[better]])
        found.append((ri[better], cj[better], scores[better], gain[better]))

    consider(rare.rows, rare.cols, rare.scores,
             np.rint(rare.scores * 10.0).astype(np.int64) * scale + 1)
    # Any pair outside the rare ones and the occupation groups scores at most `flat`.
    flat = 100.0 * (w["location"] + w["interests"] + w["languages"]) + MARGIN
    flat_weight = np.floor(flat * 10.0) * scale + 1
    open_rows = np.flatnonzero(flat_weight > u + v.min(initial=0))
    groups = _groups(p, mentees, mentors)
    scored = 0

    def flush(ri, cj, first_row, row_count):
        nonlocal scored
        # The block's rows are contiguous, so a cell mask removes duplicates in row, column
        # order in one linear pass (a sort of the pair keys took a fifth of pricing).
        seen = np.zeros((row_count, len(mentors)), dtype=bool)
        seen[ri - first_row, cj] = True
        cell = np.flatnonzero(seen)
        ri, cj = cell // len(mentors) + first_row, cell % len(mentors)
        e, m = mentees[ri], mentors[cj]
        bound = 100.0 * (w["location"] * location_feature(p, e, m)
                         + w["occupation"] * occupation_feature(p, e, m)
                         + w["interests"] + w["languages"]) + MARGIN
        hit = np.floor(bound * 10.0) * scale + 1 > u[ri] + v[cj]
        hit &= bound >= min_score
        ri, cj = ri[hit], cj[hit]
        ok = allowed(p, mentees[ri], mentors[cj])
        ri, cj = ri[ok], cj[ok]
        scores, _ = pair_scores(p, mentees[ri], mentors[cj])
        scored += len(ri)
        consider(ri, cj, scores, np.rint(scores * 10.0).astype(np.int64) * scale + 1)

    is_open = np.zeros(len(mentees), dtype=bool)
    is_open[open_rows] = True
    step = max(1, BLOCK_PAIRS // max(len(mentors), 1))
    rows_all = np.arange(len(mentees))
    for start in range(0, len(mentees), step):
        rows = rows_all[start:start + step]
        parts_r, parts_c = [], []
        for order, sorted_codes, mentee_codes in groups:
            codes = mentee_codes[rows]
            lo = np.searchsorted(sorted_codes, codes, side="left")
            hi = np.where(codes >= 0, np.searchsorted(sorted_codes, codes, side="right"), lo)
            r, pos = _expand(rows, lo, hi)
            parts_r.append(r)
            parts_c.append(order[pos])
        opened = rows[is_open[rows]]
        parts_r.append(np.repeat(opened, len(mentors)))
        parts_c.append(np.tile(np.arange(len(mentors)), len(opened)))
        flush(np.concatenate(parts_r), np.concatenate(parts_c), start, len(rows))
        if on_progress:
            on_progress(int(rows[-1]) + 1, len(mentees))
    ri, cj, scores, gain = (np.concatenate([f[k] for f in found]) for k in range(4))
    key = ri.astype(np.int64) * len(mentors) + cj
    order = np.argsort(key, kind="stable")
    first = order[np.r_[True, key[order][1:] != key[order][:-1]]] if len(key) else order
    ri, cj, scores, gain = ri[first], cj[first], scores[first], gain[first]
    order = np.lexsort((cj, -gain, ri))
    ri, cj, scores = ri[order], cj[order], scores[order]
    starts = np.r_[0, np.flatnonzero(ri[1:] != ri[:-1]) + 1] if len(ri) else ri
    rank = np.arange(len(ri)) - np.repeat(starts, np.diff(np.r_[starts, len(ri)]))
    keep = rank < PER_MENTEE
    return Priced(mentees[ri[keep]], mentors[cj[keep]], scores[keep], need, scored)
