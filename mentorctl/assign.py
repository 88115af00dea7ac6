"""The whole-program assignment: the best total score within every mentor's remaining capacity.

A min-cost flow (`mentorctl.flow`). Small programs (up to DENSE_LIMIT mentee x mentor pairs) are
scored and solved over every allowed pair: optimal by construction. Larger ones first score a
pool of likely mentors for each mentee (sharing occupation or broad occupation with place or
region, school, place, or a friend; plus the roomiest mentors), keep each mentee's best
CANDIDATES_PER_MENTEE and SPARE_CANDIDATES among mentors who would otherwise keep free places,
solve those, then price (`mentorctl.pricing`): pairs outside the graph that beat the flow's
prices are added and the flow re-solved until none is left, which proves the plan optimal over
every allowed pair; each pass also proves an upper bound (`Plan.optimality`). Not a greedy loop.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from mentorctl.match import pair_features, pair_scores
from mentorctl.model import Optimality, Plan, PlannedPair, Unmatched
from mentorctl.program import MemberTexts, Program
from mentorctl.rules import Rule, check, eligible_mentors
from mentorctl.shared import shared_points

# A tiny bonus per pair made: among assignments with the same total score, match more mentees.
MATCH_BONUS = 1e-6
DENSE_LIMIT = 1_500_000  # mentee x mentor pairs up to which every pair is scored and solved
MAX_PRICING_ROUNDS = 10  # without --certify, pricing rounds before the plan is taken as is
# Without --certify, pricing (and so a proven bound) only up to this many mentee x mentor pairs:
# a pass takes about 2 s at 24 M pairs (10,000 members) but minutes at 2.3 billion (100,000).
PRICING_LIMIT = 60_000_000
BUCKET_TAKE = 5  # candidates taken from each bucket of similar mentors (large programs)
CANDIDATES_PER_MENTEE = 10  # each mentee's best-scoring candidates (large programs)
SPARE_CANDIDATES = 2  # more per mentee among mentors who would otherwise keep free places


def mentees_to_match(p: Program) -> np.ndarray:
    limit = p.facts.max_open_per_mentee
    # A mentee who completed a pairing has been mentored: next for them is promotion, not
    # another automatic match (a coordinator can still pair them by hand).
    return np.flatnonzero(p.role_mentee & p.available & (p.open_as_mentee < limit)
                          & ~p.completed_as_mentee)


def mentors_with_room(p: Program) -> np.ndarray:
    return np.flatnonzero(p.role_mentor & p.available & (p.mentor_room() > 0))


def allowed(p: Program, e: np.ndarray, m: np.ndarray) -> np.ndarray:
    """The hard rules (mentorctl.rules) for arrays of pairs: True where a pair may be proposed."""
    return check(p.facts, e, m, mentee_side=False) == Rule.OK


def plan_assignment(
    program: Program,
    texts: MemberTexts,
    *,
    min_score: float = 0.0,
    on_progress: Callable[[int, int], None] | None = None,
    dense_limit: int = DENSE_LIMIT,
    candidates_per_mentee: int = CANDIDATES_PER_MENTEE,
    certify: bool = False,
    pricing_limit: int = PRICING_LIMIT,
    on_stage: Callable[[str], None] | None = None,
) -> Plan:
    """Pairs for every mentee who can take one, maximizing the total score. Deterministic."""
    from mentorctl import flow
    from mentorctl.pricing import PricingIndex, price

    p = program
    stage = on_stage or (lambda _name: None)
    mentees = mentees_to_match(p)
    mentors = mentors_with_room(p)
    room = p.mentor_room()
    if len(mentees) == 0:
        return Plan((), 0.0, (), "none", 0, Optimality(0.0, 0.0, True))
    exhaustive = len(mentees) * len(mentors) <= dense_limit
    stage("scoring")
    if exhaustive:
        e = np.repeat(mentees, len(mentors))
        m = np.tile(mentors, len(mentees))
        keep = allowed(p, e, m)
        e, m = e[keep], m[keep]
        scores, _ = pair_scores(p, e, m)
    else:
        e, m, scores = _best_candidates(p, mentees, mentors, candidates_per_mentee, on_progress)
    keep = scores >= min_score
    e, m, scores = e[keep], m[keep], scores[keep]
    scale = flow.scale_for(len(mentees))
    row_of = np.full(p.size, -1, dtype=np.int64)
    row_of[mentees] = np.arange(len(mentees))
    col_of = np.full(p.size, -1, dtype=np.int64)
    col_of[mentors] = np.arange(len(mentors))
    rounds, scored = 0, 0
    index = None
    while True:
        stage("solving")
        solved = flow.solve(row_of[e], col_of[m], flow.weights_of(scores, scale), room[mentors],
                            len(mentees))
        chosen = solved.chosen
        plan_weight = int(flow.weights_of(scores[chosen], scale).sum())
        if exhaustive:  # every allowed pair is in the graph: optimal by construction
            bound_weight = plan_weight
            break
        if not certify and len(mentees) * len(mentors) > pricing_limit:
            bound_weight = None  # not proven: the plan of the candidates, as solved
            break
        stage("pricing")
        if index is None:
            index = PricingIndex(p, mentees, mentors, allowed, min_score)
        priced = price(p, mentees, mentors, solved.u, solved.v, scale, min_score, allowed,
                       index, on_progress)
        rounds, scored = rounds + 1, scored + priced.scored
        # The prices raised to cover every allowed pair bound any plan (weak duality).
        bound_weight = int(priced.need.sum()) + int((room[mentors] * solved.v).sum())
        if len(priced.e) == 0 or (rounds >= MAX_PRICING_ROUNDS and not certify):
            break
        e, m, scores = np.concatenate([e, priced.e]), np.concatenate([m, priced.m]), \
            np.concatenate([scores, priced.scores])
    if bound_weight is None or bound_weight > plan_weight:
        # Not proven optimal: a mentee left out while an allowed mentor keeps a free place can
        # still be placed, and each such pair only adds to the total.
        load = np.bincount(m[chosen], minlength=p.size)
        matched = np.zeros(p.size, dtype=bool)
        matched[e[chosen]] = True
        add_e, add_m, add_s = _fill_free_places(p, mentees[~matched[mentees]], room - load,
                                                min_score)
        chosen = np.concatenate([chosen, len(e) + np.arange(len(add_e))])
        e, m, scores = np.concatenate([e, add_e]), np.concatenate([m, add_m]), \
            np.concatenate([scores, add_s])
    chosen = chosen[np.argsort(e[chosen], kind="stable")]
    features = pair_features(p, e[chosen], m[chosen])
    pairs = [
        PlannedPair(p.ids[e[k]], p.ids[m[k]], float(scores[k]), tuple(shared_points(
            p, texts, int(e[k]), int(m[k]), {name: float(v[n]) for name, v in features.items()})),
            p.names[e[k]], p.names[m[k]])
        for n, k in enumerate(chosen)
    ]
    pairs.sort(key=lambda pair: pair.mentee)
    total_tenths = int(np.rint(scores[chosen] * 10).sum())
    # weight = tenths x scale + 1 per pair and fewer than `scale` pairs: a plan of total T
    # tenths weighs at least T x scale, so T <= bound_weight // scale.
    if bound_weight is None:
        optimality = Optimality(None, None, False)
    else:
        bound_tenths = max(bound_weight // scale, total_tenths)
        optimality = Optimality(bound_tenths / 10, round(1 - total_tenths / bound_tenths, 6)
                                if bound_tenths > 0 else 0.0, bound_weight <= plan_weight)
    load = np.bincount(m[chosen], minlength=p.size)
    matched = np.zeros(p.size, dtype=bool)
    matched[e[chosen]] = True
    best_any = _best_per_mentee(e, scores, p.size)
    left = mentees[~matched[mentees]]
    reasons = _reasons(p, left, best_any, min_score, room - load)
    unmatched = tuple(Unmatched(p.ids[i], reasons[n], p.names[i]) for n, i in enumerate(left))
    solver = "min-cost-flow" if exhaustive else "min-cost-flow (candidates)" if not rounds else \
        f"min-cost-flow+pricing({rounds} rounds, {scored} pairs scored)"
    return Plan(tuple(pairs), round(total_tenths / 10, 1),
                tuple(sorted(unmatched, key=lambda u: u.mentee)), solver, len(e), optimality)


def _best_per_mentee(e: np.ndarray, scores: np.ndarray, size: int) -> np.ndarray:
    best = np.full(size, -np.inf)
    np.maximum.at(best, e, scores)
    return best


def _fill_free_places(p: Program, left: np.ndarray, room_after: np.ndarray, min_score: float):
    """Each mentee in `left` (in order) with the best allowed mentor who still has a place."""
    open_mentors = mentors_with_room(p)
    open_mentors = open_mentors[room_after[open_mentors] > 0]
    room_after = room_after.copy()
    added: list[tuple[int, int, float]] = []
    for i in left:
        if len(open_mentors) == 0:
            break
        mi = np.full(len(open_mentors), int(i))
        ok = allowed(p, mi, open_mentors)
        candidates = open_mentors[ok]
        scores, _ = pair_scores(p, mi[ok], candidates)
        good = np.flatnonzero(scores >= min_score)
        if len(good) == 0:
            continue
        k = good[np.lexsort((candidates[good], -scores[good]))[0]]
        mentor = int(candidates[k])
        added.append((int(i), mentor, float(scores[k])))
        room_after[mentor] -= 1
        if room_after[mentor] == 0:
            open_mentors = open_mentors[open_mentors != mentor]
    return (np.array([a[0] for a in added], dtype=np.int64),
            np.array([a[1] for a in added], dtype=np.int64), np.array([a[2] for a in added]))


def _reasons(p: Program, left: np.ndarray, best: np.ndarray, min_score: float,
             room_after: np.ndarray) -> list[str]:
    """Why each mentee in `left` is unmatched, true of the plan as made: 'every eligible mentor
    is full' only when every allowed mentor scoring at least min_score has no place left."""
    open_mentors = mentors_with_room(p)
    open_mentors = open_mentors[room_after[open_mentors] > 0]
    reasons = []
    for i in left:
        i = int(i)
        if len(open_mentors):
            mi = np.full(len(open_mentors), i)
            ok = allowed(p, mi, open_mentors)
            if ok.any():
                scores, _ = pair_scores(p, mi[ok], open_mentors[ok])
                if (scores >= min_score).any():
                    top = float(scores.max())
                    reasons.append(f"not placed although a mentor with a free place scores "
                                   f"{top:.1f}: please report it")
                    continue
        mentors, why = eligible_mentors(p.facts, i)
        if len(mentors) == 0:
            reasons.append(f"no eligible mentor: {why}" if why else "no eligible mentor")
            continue
        top = best[i]
        if top < min_score:
            scores, _ = pair_scores(p, np.full(len(mentors), i), mentors)
            top = float(scores.max())
        if top < min_score:
            reasons.append(f"best score {top:.1f} is below the minimum {min_score:g}")
        else:
            reasons.append("every eligible mentor is full: their places went to mentees with a "
                           "better fit")
    return reasons


# --- candidates for large programs -----------------------------------------------------------------


def _bucket_keys(p: Program) -> list[np.ndarray]:
    """Per member, one int64 key per kind of common ground (-1: none); equal keys share it."""
    size = np.int64(p.size + 2)
    first_school = np.where(np.diff(p.schools.indptr) > 0,
                            p.schools.indices[np.minimum(p.schools.indptr[:-1],
                                                         max(p.schools.nnz - 1, 0))], -1)
    pairs = [(p.occupation, p.place), (p.family, p.place), (p.occupation, p.region),
             (p.occupation, None), (first_school, None), (p.place, None)]
    keys = []
    for a, b in pairs:
        a = a.astype(np.int64)
        if b is None:
            keys.append(np.where(a >= 0, a, -1))
        else:
            b = b.astype(np.int64)
            keys.append(np.where((a >= 0) & (b >= 0), a * size + b, -1))
    return keys


def _bucket_table(mentor_keys: np.ndarray, mentee_keys: np.ndarray, mentors: np.ndarray,
                  room: np.ndarray, take: int) -> np.ndarray:
    """For each mentee, up to `take` mentors with the same key (the roomiest first); -1 pads."""
    valid = mentor_keys >= 0
    ranked = mentors[valid]
    order = np.lexsort((ranked, -room[ranked], mentor_keys[valid]))
    ranked, keys = ranked[order], mentor_keys[valid][order]
    unique_keys, starts, counts = np.unique(keys, return_index=True, return_counts=True)
    table = np.full((len(mentee_keys), take), -1, dtype=np.int64)
    if len(unique_keys) == 0:
        return table
    slot = np.minimum(np.searchsorted(unique_keys, mentee_keys), len(unique_keys) - 1)
    has = (unique_keys[slot] == mentee_keys) & (mentee_keys >= 0)
    for t in range(take):
        ok = has & (counts[slot] > t)
        table[ok, t] = ranked[starts[slot[ok]] + t]
    return table


def _best_candidates(p: Program, mentees: np.ndarray, mentors: np.ndarray, keep: int,
                     on_progress) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each mentee's `keep` best-scoring mentors among those who share something with them:
    the same occupation or family in the same place or region, the same school, the same place,
    a mutual friend; plus the roomiest mentors as a fallback. All vectorized."""
    room = p.mentor_room()
    tables = [_bucket_table(keys[mentors], keys[mentees], mentors, room, BUCKET_TAKE)
              for keys in _bucket_keys(p)]
    fallback = mentors[np.lexsort((mentors, -room[mentors]))][:BUCKET_TAKE]
    tables.append(np.broadcast_to(fallback, (len(mentees), len(fallback))))
    candidates = np.hstack(tables)
    e = np.repeat(mentees, candidates.shape[1])
    m = candidates.ravel()
    e, m = e[m >= 0], m[m >= 0]
    # Friends of friends who can mentor: the members a mutual friend connects.
    friends_of_friends = (p.friends.scipy[mentees] @ p.friends.scipy[:, mentors]).tocoo()
    e = np.concatenate([e, mentees[friends_of_friends.row]])
    m = np.concatenate([m, mentors[friends_of_friends.col]])
    pair_keys = np.sort(e.astype(np.int64) * p.size + m)
    pair_keys = pair_keys[np.r_[True, pair_keys[1:] != pair_keys[:-1]]]
    e, m = pair_keys // p.size, pair_keys % p.size
    ok = allowed(p, e, m)
    e, m = e[ok], m[ok]
    scores = np.empty(len(e))
    block = 1_000_000
    for start in range(0, len(e), block):
        scores[start:start + block], _ = pair_scores(p, e[start:start + block],
                                                     m[start:start + block])
        if on_progress:
            on_progress(min(start + block, len(e)), len(e))
    order = np.lexsort((m, -scores, e))
    e, m, scores = e[order], m[order], scores[order]
    top = _rank_in_group(e) < keep
    # Mentors whom fewer mentees rank in their top than they have room for would go unused:
    # give every mentee its best SPARE_CANDIDATES of those too, so nobody is left out only
    # because their top candidates were contested. The solve stays exact for this set.
    demand = np.bincount(m[top], minlength=p.size)
    spare = ~top & (demand[m] < room[m])
    spare_idx = np.flatnonzero(spare)
    extra = spare_idx[_rank_in_group(e[spare_idx]) < SPARE_CANDIDATES]
    chosen = np.sort(np.concatenate([np.flatnonzero(top), extra]))
    return e[chosen], m[chosen], scores[chosen]


def _rank_in_group(groups: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... within each run of equal values of a sorted array."""
    if len(groups) == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.r_[0, np.flatnonzero(groups[1:] != groups[:-1]) + 1]
    return np.arange(len(groups)) - np.repeat(starts, np.diff(np.r_[starts, len(groups)]))
