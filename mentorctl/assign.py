"""The whole-program assignment: the best total score within every mentor's remaining capacity.

A min-cost flow (`mentorctl.flow`). Small programs (up to DENSE_LIMIT mentee x mentor pairs) are
scored and solved over every allowed pair: optimal by construction. Larger ones first solve each
mentee's best CANDIDATES_PER_MENTEE among the mentors of a few blocks of likely ones, friends of
friends and a few random mentors (`mentorctl.candidates`), then price (`mentorctl.pricing`):
pairs outside the graph that beat the flow's prices are added and the flow re-solved until none
is left, which proves the plan optimal over every allowed pair; each pass also proves an upper
bound (`Plan.optimality`). Without --certify, only the passes a size-based estimate fits in a
time budget (`passes_within`). Not a greedy loop.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from mentorctl.candidates import best_candidates
from mentorctl.match import pair_features, pair_scores
from mentorctl.model import Optimality, Plan, PlannedPair, Unmatched
from mentorctl.parallel import alongside
from mentorctl.program import MemberTexts, Program
from mentorctl.rules import Rule, check, eligible_mentors
from mentorctl.shared import shared_points_for

DENSE_LIMIT = 1_500_000  # mentee x mentor pairs up to which every pair is scored and solved
MAX_PRICING_ROUNDS = 10  # without --certify, pricing passes at most
# Without --certify, a plan that is not certified keeps pricing until its proven gap is at most
# GAP_TARGET (each pass proves a bound; see plan_assignment): at 100,000 members the first pass
# proves ~0.3 %, the second ~0.04 %. Beyond that, it runs as many passes as fit PRICING_BUDGET
# seconds of plan_assignment, then reports the bound of the last pass (a proven bound, with its
# gap). Both rules depend only on the program, not on the clock: the same program gets the
# same passes and so the same plan on any machine and under any load (a clock would make the
# plan depend on both). The costs below were measured on the reference machine (2 cores), at
# 100,000 members (61,796 mentees x 39,256 mentors), before the passes ran on threads and took
# only the mentee's own spot's mentors that could clear the price (a pass is now ~6 s there, so
# they are conservative): candidates, first solve and the plan's output 25 s; the pricing index
# 2.2 s; one pass 15.6 s; a re-solve 6.8 s (1 s at 30,000 members, 18,563 mentees: it grows as
# mentees^1.5). So 100,000 members fit no pass in 25 s (the gap target then takes two); 30,000
# fit six (certified after five), 10,000 the ten.
GAP_TARGET = 0.001
PRICING_BUDGET = 25.0  # seconds
SECONDS_PER_MENTEE = 4.0e-4  # candidates, first solve, output
RESOLVE_PER_MENTEE15 = 4.4e-7  # one re-solve of the flow, per mentees^1.5
SETUP_PER_PAIR = 0.9e-9  # the pricing index (per mentee x mentor pair), once
PASS_PER_PAIR = 6.5e-9  # one pricing pass
CANDIDATES_PER_MENTEE = 20  # each mentee's best-scoring candidates (large programs)
PRUNE_POINTS = 4  # see plan_assignment


def passes_within(mentees: int, mentors: int, budget: float) -> int:
    """The pricing passes (each with its re-solve) that the estimate above fits in `budget`."""
    pairs = mentees * mentors
    left = budget - SECONDS_PER_MENTEE * mentees - SETUP_PER_PAIR * pairs
    per_pass = PASS_PER_PAIR * pairs + RESOLVE_PER_MENTEE15 * mentees ** 1.5
    return int(min(MAX_PRICING_ROUNDS, max(0.0, left // per_pass)))


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
    pricing_budget: float = PRICING_BUDGET,
    pricing_passes: int | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> Plan:
    """Pairs for every mentee who can take one, maximizing the total score. Deterministic.

    Without `certify`, at most `pricing_passes` pricing passes; by default, as many as the size
    says fit `pricing_budget` seconds (`passes_within`), and more until the proven gap is at most
    GAP_TARGET (or MAX_PRICING_ROUNDS)."""
    from mentorctl import flow
    from mentorctl.pricing import PricingIndex, RarePairs, price

    p = program
    stage = on_stage or (lambda _name: None)
    mentees = mentees_to_match(p)
    mentors = mentors_with_room(p)
    room = p.mentor_room()
    if len(mentees) == 0:
        return Plan((), 0.0, (), "none", 0, Optimality(0.0, 0.0, True))
    exhaustive = len(mentees) * len(mentors) <= dense_limit
    stage("scoring")
    friends = None  # the pairs with a mutual friend, scored (pricing needs every one)
    if exhaustive:
        e = np.repeat(mentees, len(mentors))
        m = np.tile(mentors, len(mentees))
        keep = allowed(p, e, m)
        e, m = e[keep], m[keep]
        scores, _ = pair_scores(p, e, m)
    else:
        mutual: list = []
        e, m, scores = best_candidates(p, mentees, mentors, candidates_per_mentee, allowed,
                                       on_progress, friend_pairs=mutual)
        friends = RarePairs(*(np.concatenate([part[k] for part in mutual])
                              for k in range(3))) if mutual else None
    keep = scores >= min_score
    e, m, scores = e[keep], m[keep], scores[keep]
    scale = flow.scale_for(len(mentees))
    row_of = np.full(p.size, -1, dtype=np.int64)
    row_of[mentees] = np.arange(len(mentees))
    col_of = np.full(p.size, -1, dtype=np.int64)
    col_of[mentors] = np.arange(len(mentors))
    rounds, scored = 0, 0
    index = None
    gap_rule = pricing_passes is None  # given a number of passes, just those
    if pricing_passes is None:
        pricing_passes = passes_within(len(mentees), len(mentors), pricing_budget)
    bound_tenths = None  # not proven until a pass prices every pair outside the graph
    priced_later = not exhaustive and (certify or gap_rule or pricing_passes > 0)
    # A solve whose prices only start pricing uses plain tenths (scale 1, no tie-break: ~35 %
    # faster at 100k); the plans that may be returned use the tie-break (`flow.weights_of`).
    solve_scale = 1 if priced_later else scale
    while True:
        stage("solving")
        weight = flow.weights_of(scores, solve_scale)
        solve = functools.partial(flow.solve, row_of[e], col_of[m], weight, room[mentors],
                                  len(mentees))
        if index is None and priced_later:
            # The pricing index does not depend on the solve: built while the solver runs.
            solved, index = alongside(solve, lambda: PricingIndex(
                p, mentees, mentors, allowed, min_score, friends))
        else:
            solved = solve()
        chosen = solved.chosen
        plan_tenths = int(np.rint(scores[chosen] * 10).sum())
        if exhaustive:  # every allowed pair is in the graph: optimal by construction
            bound_tenths = plan_tenths
            break
        if not priced_later or (bound_tenths is not None and bound_tenths <= plan_tenths):
            break  # no pass (so no bound), or the tie-break's solve of a certified graph
        stage("pricing")
        priced = price(p, mentees, mentors, solved.u, solved.v, solve_scale, min_score,
                       allowed, index, on_progress)
        rounds, scored = rounds + 1, scored + priced.scored
        # The prices raised to cover every allowed pair bound any plan (weak duality); a
        # weight is at least tenths x scale, so the bound in tenths is that // scale. Every
        # pass's bound holds: keep the lowest.
        proven = (int(priced.need.sum()) + int((room[mentors] * solved.v).sum())) // solve_scale
        bound_tenths = proven if bound_tenths is None else min(bound_tenths, proven)
        if len(priced.e) == 0:
            if solve_scale == scale:
                break  # certified, tie-break included
            # Certified, from a solve without the tie-break: once more with it (the same
            # total, and more pairs if a plan of that total has more).
            solve_scale = scale
            continue
        close_enough = not gap_rule or bound_tenths - plan_tenths <= GAP_TARGET * bound_tenths
        if not certify and (rounds >= MAX_PRICING_ROUNDS
                            or (rounds >= pricing_passes and close_enough)):
            # Done: this plan, with the bound just proven (a re-solve with the pairs found
            # would improve the plan a little, not the bound).
            break
        if not certify:
            # Without --certify the next solve keeps only the graph's pairs within
            # PRUNE_POINTS of their prices, besides those chosen: the others would rarely
            # enter the plan, and pricing still checks every pair, so the bound stays proven
            # (a third of the arcs at 100k: a 2 s solve instead of 5 s). --certify keeps
            # every pair, so that its passes end.
            keep = (weight - solved.u[row_of[e]] - solved.v[col_of[m]]
                    >= -PRUNE_POINTS * 10 * solve_scale)
            keep[chosen] = True
            e, m, scores = e[keep], m[keep], scores[keep]
        e, m, scores = np.concatenate([e, priced.e]), np.concatenate([m, priced.m]), \
            np.concatenate([scores, priced.scores])
        solve_scale = scale
    if not exhaustive:
        # A mentee left out while an allowed mentor keeps a free place can still be placed:
        # each such pair adds to the total of a plan not proven optimal, and keeps the total
        # of a certified one (its score is then 0) while matching one more.
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
    shared = shared_points_for(p, texts, e[chosen], m[chosen], features)
    pairs = [
        PlannedPair(p.ids[e[k]], p.ids[m[k]], float(scores[k]), shared[n], p.names[e[k]],
                    p.names[m[k]])
        for n, k in enumerate(chosen)
    ]
    pairs.sort(key=lambda pair: pair.mentee)
    total_tenths = int(np.rint(scores[chosen] * 10).sum())
    if bound_tenths is None:
        optimality = Optimality(None, None, False)
    else:
        shown = max(bound_tenths, total_tenths)
        optimality = Optimality(shown / 10, round(1 - total_tenths / shown, 6)
                                if shown > 0 else 0.0, bound_tenths <= total_tenths)
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
