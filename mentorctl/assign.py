"""The whole-program assignment: the best total score within every mentor's remaining capacity.

Small programs are solved exactly over every allowed pair with scipy's `linear_sum_assignment`
(mentees x mentor slots, plus one "unmatched" column per mentee). Large programs (more than
DENSE_LIMIT mentee-mentor pairs) first score a pool of likely mentors for each mentee (sharing
occupation or broad occupation with place or region, school, place, or a friend; plus the roomiest
mentors), keep each mentee's best CANDIDATES_PER_MENTEE and best SPARE_CANDIDATES among mentors
who would otherwise keep free places, and then solve the capacity-constrained assignment over
those candidates as a linear program with HiGHS: bipartite b-matching is totally unimodular, so
the simplex optimum is a 0/1 assignment, optimal for the candidate set. Neither is a greedy loop.
The candidate counts trade total score for time: measured at 100,000 members in benchmarks/.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from mentorctl.errors import MentorctlError
from mentorctl.match import pair_features, pair_scores
from mentorctl.model import Plan, PlannedPair, Unmatched
from mentorctl.program import MemberTexts, Program
from mentorctl.rules import Rule, check, eligible_mentors
from mentorctl.shared import shared_points

# A tiny bonus per pair made: among assignments with the same total score, match more mentees.
MATCH_BONUS = 1e-6
DENSE_LIMIT = 3_000_000  # mentee x slot cells up to which the exact dense solver is used
BUCKET_TAKE = 5  # candidates taken from each bucket of similar mentors (large programs)
CANDIDATES_PER_MENTEE = 2  # each mentee's best-scoring candidates (large programs)
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
) -> Plan:
    """Pairs for every mentee who can take one, maximizing the total score. Deterministic."""
    p = program
    mentees = mentees_to_match(p)
    mentors = mentors_with_room(p)
    room = p.mentor_room()
    if len(mentees) == 0:
        return Plan((), 0.0, (), "none", 0)
    exhaustive = len(mentees) * len(mentors) <= dense_limit
    if exhaustive:
        e = np.repeat(mentees, len(mentors))
        m = np.tile(mentors, len(mentees))
        keep = allowed(p, e, m)
        e, m = e[keep], m[keep]
        scores, _ = pair_scores(p, e, m)
    else:
        e, m, scores = _best_candidates(p, mentees, mentors, candidates_per_mentee, on_progress)
    candidate_count = len(e)
    best_any = _best_per_mentee(e, scores, p.size)
    keep = scores >= min_score
    e, m, scores = e[keep], m[keep], scores[keep]

    slots = int(room[np.unique(m)].sum()) if len(m) else 0
    if exhaustive and len(mentees) * (slots + len(mentees)) <= dense_limit:
        chosen = _solve_dense(e, m, scores, room)
        solver = "linear_sum_assignment"
    else:
        chosen = _solve_sparse(e, m, scores, room)
        solver = "highs-lp"
    chosen = chosen[np.argsort(e[chosen], kind="stable")]
    features = pair_features(p, e[chosen], m[chosen])
    pairs = [
        PlannedPair(p.ids[e[k]], p.ids[m[k]], float(scores[k]), tuple(shared_points(
            p, texts, int(e[k]), int(m[k]), {name: float(v[n]) for name, v in features.items()})),
            p.names[e[k]], p.names[m[k]])
        for n, k in enumerate(chosen)
    ]
    pairs.sort(key=lambda pair: pair.mentee)
    matched = set(e[chosen].tolist())
    unmatched = tuple(Unmatched(p.ids[i], _reason(p, int(i), best_any, min_score, exhaustive),
                                p.names[i])
                      for i in mentees if i not in matched)
    total = round(float(sum(pair.score for pair in pairs)), 1)
    return Plan(tuple(pairs), total, tuple(sorted(unmatched, key=lambda u: u.mentee)), solver,
                candidate_count)


def _best_per_mentee(e: np.ndarray, scores: np.ndarray, size: int) -> np.ndarray:
    best = np.full(size, -np.inf)
    np.maximum.at(best, e, scores)
    return best


def _reason(p: Program, mentee: int, best: np.ndarray, min_score: float, exhaustive: bool) -> str:
    if best[mentee] == -np.inf:
        _mentors, why = eligible_mentors(p.facts, mentee)
        return f"no eligible mentor: {why}" if why else "no eligible mentor"
    if best[mentee] < min_score:
        return f"best score {best[mentee]:.1f} is below the minimum {min_score:g}"
    return "every eligible mentor is full: their places went to mentees with a better fit"


# --- solvers ------------------------------------------------------------------------------------


def _solve_dense(e: np.ndarray, m: np.ndarray, scores: np.ndarray, room: np.ndarray) -> np.ndarray:
    """Exact: mentees x (one column per mentor slot + one 'unmatched' column per mentee)."""
    from scipy.optimize import linear_sum_assignment

    if len(e) == 0:
        return np.zeros(0, dtype=np.int64)
    rows, row_of = np.unique(e, return_inverse=True)
    mentors, mentor_of = np.unique(m, return_inverse=True)
    caps = room[mentors]
    first_slot = np.concatenate([[0], np.cumsum(caps)[:-1]])
    n_slots = int(caps.sum())
    forbidden = 1e9
    cost = np.full((len(rows), n_slots + len(rows)), forbidden)
    cost[:, n_slots:] = 0.0  # staying unmatched costs nothing and gains nothing
    gain = -(scores + MATCH_BONUS)
    for copy in range(int(caps.max())):
        usable = caps[mentor_of] > copy
        cost[row_of[usable], first_slot[mentor_of[usable]] + copy] = gain[usable]
    row_ind, col_ind = linear_sum_assignment(cost)
    picked = (col_ind < n_slots) & (cost[row_ind, col_ind] < forbidden / 2)
    slot_mentor = np.repeat(np.arange(len(mentors)), caps)
    lookup = {(int(r), int(c)): k for k, (r, c) in enumerate(zip(row_of, mentor_of, strict=True))}
    return np.array([lookup[(int(r), int(slot_mentor[c]))]
                     for r, c in zip(row_ind[picked], col_ind[picked], strict=True)],
                    dtype=np.int64)


def _solve_sparse(e: np.ndarray, m: np.ndarray, scores: np.ndarray, room: np.ndarray) -> np.ndarray:
    """Optimal b-matching over the candidate edges: max sum(score) s.t. each mentee <= 1 pair,
    each mentor <= room. Totally unimodular, so HiGHS's simplex vertex is already 0/1."""
    if len(e) == 0:
        return np.zeros(0, dtype=np.int64)
    # When every mentee's best candidate fits in that mentor's room, that is the optimum.
    order = np.lexsort((m, -scores, e))
    first = order[np.r_[True, e[order][1:] != e[order][:-1]]]
    demand = np.bincount(m[first], minlength=len(room))
    if np.all(demand <= room):
        return first
    from scipy import sparse
    from scipy.optimize import linprog

    rows, row_of = np.unique(e, return_inverse=True)
    mentors, mentor_of = np.unique(m, return_inverse=True)
    edges = np.arange(len(e))
    a_mentee = sparse.csr_matrix((np.ones(len(e)), (row_of, edges)), shape=(len(rows), len(e)))
    a_mentor = sparse.csr_matrix((np.ones(len(e)), (mentor_of, edges)),
                                 shape=(len(mentors), len(e)))
    result = linprog(-(scores + MATCH_BONUS), A_ub=sparse.vstack([a_mentee, a_mentor]).tocsr(),
                     b_ub=np.concatenate([np.ones(len(rows)), room[mentors]]), bounds=(0, 1),
                     method="highs-ds")
    if result.status != 0:
        raise MentorctlError(f"the assignment solver failed ({result.message}); try --min-score to "
                             "narrow the problem, and report it")
    return np.flatnonzero(result.x > 0.5)


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
