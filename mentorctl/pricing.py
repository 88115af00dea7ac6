"""Pricing: the pairs outside the solved graph that could still improve the plan.

With the prices u (mentee) and v (mentor) of the solved graph (`mentorctl.flow`), a pair outside
it can improve the plan only when weight(e, m) > u[e] + v[m]. A cheap upper bound on the score
(the location and occupation features exactly; friends, school, interests and languages at their
most, 1, whenever the two members have any at all) rules most pairs out without scoring them;
the rest are scored exactly. When no pair is left, the prices cover every allowed pair, so
sum(u) + sum(room x v) is a proven upper bound on the best total (weak duality).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from mentorctl.match import location_feature, occupation_feature, pair_scores, weights
from mentorctl.model import FEATURES
from mentorctl.program import Program

BLOCK_PAIRS = 4_000_000  # pairs bounded at once


def score_bound(p: Program, e: np.ndarray, m: np.ndarray, has: dict[str, np.ndarray]
                ) -> np.ndarray:
    """An upper bound on pair_scores (0-100) for arrays of pairs, without the sparse features."""
    w = dict(zip(FEATURES, weights(p), strict=True))
    total = w["location"] * location_feature(p, e, m) + \
        w["occupation"] * occupation_feature(p, e, m)
    for name in ("friends", "school", "interests", "languages"):
        total = total + w[name] * (has[name][e] & has[name][m])
    return 100.0 * total + 0.05  # scores are rounded to 0.1


def member_has(p: Program) -> dict[str, np.ndarray]:
    """Per member: has any friend, school, interest (weighted above 0), language."""
    def nonempty(csr) -> np.ndarray:
        return np.diff(csr.indptr) > 0
    return {"friends": nonempty(p.friends), "school": nonempty(p.schools),
            "interests": nonempty(p.interests), "languages": nonempty(p.languages)}


def price(p: Program, mentees: np.ndarray, mentors: np.ndarray, u_e: np.ndarray,
          v_m: np.ndarray, scale: int, min_score: float, allowed: Callable,
          on_progress: Callable[[int, int], None] | None = None
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every allowed pair (mentee, mentor, score >= min_score) whose weight exceeds its prices.

    u_e[i] is the price of mentees[i], v_m[j] of mentors[j], in weight units (score x 10 x
    scale + 1)."""
    has = member_has(p)
    per_block = max(1, BLOCK_PAIRS // max(len(mentors), 1))
    found_e, found_m, found_s = [], [], []
    for start in range(0, len(mentees), per_block):
        rows = np.arange(start, min(start + per_block, len(mentees)))
        ri = np.repeat(rows, len(mentors))
        cj = np.tile(np.arange(len(mentors)), len(rows))
        bound = score_bound(p, mentees[ri], mentors[cj], has)
        # weight <= floor(bound x 10) x scale + 1; it can matter only above u + v.
        room_for = np.floor(bound * 10.0) * scale + 1 > u_e[ri] + v_m[cj]
        room_for &= bound >= min_score
        ri, cj = ri[room_for], cj[room_for]
        if len(ri):
            ok = allowed(p, mentees[ri], mentors[cj])
            ri, cj = ri[ok], cj[ok]
            scores, _ = pair_scores(p, mentees[ri], mentors[cj])
            better = (np.rint(scores * 10.0) * scale + 1 > u_e[ri] + v_m[cj]) & \
                (scores >= min_score)
            found_e.append(mentees[ri[better]])
            found_m.append(mentors[cj[better]])
            found_s.append(scores[better])
        if on_progress:
            on_progress(int(rows[-1]) + 1, len(mentees))
    if not found_e:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(found_e), np.concatenate(found_m), np.concatenate(found_s)
