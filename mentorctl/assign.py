"""The whole-program assignment: the best total score within every mentor's remaining capacity.

Small programs are solved exactly over every allowed pair with scipy's `linear_sum_assignment`
(mentees x mentor slots, plus one "unmatched" column per mentee). Large programs first pick each
mentee's best candidates (mentors who share an occupation, place, school, friend or rare interest
with them) and then solve the capacity-constrained assignment over those candidates as a linear
program with HiGHS: bipartite b-matching is totally unimodular, so the simplex optimum is a 0/1
assignment, optimal for the candidate set. Neither is a greedy loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from mentorctl.match import SharedPoint, _row_dots, eligible_mentors, pair_features, pair_scores
from mentorctl.program import Program

# A tiny bonus per pair made: among assignments with the same total score, match more mentees.
MATCH_BONUS = 1e-6
DENSE_LIMIT = 3_000_000  # mentee x slot cells up to which the exact dense solver is used
BUCKET_TAKE = 12  # candidates taken from each bucket of similar mentors (large programs)
CANDIDATES_PER_MENTEE = 40


@dataclass(frozen=True)
class PlannedPair:
    mentee: str
    mentor: str
    score: float
    shared: tuple[SharedPoint, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"mentee": self.mentee, "mentor": self.mentor, "score": self.score,
                "shared": [p.to_dict() for p in self.shared]}


@dataclass(frozen=True)
class Unmatched:
    mentee: str
    reason: str


@dataclass(frozen=True)
class Plan:
    pairs: tuple[PlannedPair, ...]
    total_score: float
    unmatched: tuple[Unmatched, ...]
    solver: str
    candidate_pairs: int

    def to_dict(self) -> dict[str, Any]:
        return {"pairs": [{"mentee": p.mentee, "mentor": p.mentor, "score": p.score,
                           "shared": [s.to_dict() for s in p.shared]} for p in self.pairs],
                "total_score": self.total_score,
                "unmatched": [{"mentee": u.mentee, "reason": u.reason} for u in self.unmatched],
                "solver": self.solver, "candidate_pairs": self.candidate_pairs}


def mentees_to_match(p: Program) -> np.ndarray:
    limit = int(p.settings.rules["max_open_pairings_per_mentee"])
    return np.flatnonzero(p.role_mentee & p.available & (p.open_as_mentee < limit))


def mentors_with_room(p: Program) -> np.ndarray:
    return np.flatnonzero(p.role_mentor & p.available & (p.mentor_room() > 0))


def allowed(p: Program, e: np.ndarray, m: np.ndarray) -> np.ndarray:
    """The hard rules that depend on both people, for arrays of pairs."""
    ok = e != m
    if p.blocked:
        blocked_keys = np.concatenate([np.int64(k) * p.size + v for k, v in p.blocked.items()])
        ok &= ~np.isin(e.astype(np.int64) * p.size + m, blocked_keys)
    if p.settings.rules["require_shared_language"]:
        ok &= _row_dots(p.languages, p.languages, e, m) > 0
    if p.settings.rules["different_organization"]:
        ok &= (p.organization[e] < 0) | (p.organization[e] != p.organization[m])
    return ok


def plan_assignment(
    program: Program,
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
    from mentorctl.shared import shared_points

    chosen = chosen[np.argsort(e[chosen], kind="stable")]
    features = pair_features(p, e[chosen], m[chosen])
    pairs = [
        PlannedPair(p.ids[e[k]], p.ids[m[k]], float(scores[k]), tuple(shared_points(
            p, int(e[k]), int(m[k]), {name: float(v[n]) for name, v in features.items()})))
        for n, k in enumerate(chosen)
    ]
    pairs.sort(key=lambda pair: pair.mentee)
    matched = set(e[chosen].tolist())
    unmatched = tuple(Unmatched(p.ids[i], _reason(p, int(i), best_any, min_score, exhaustive))
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
        _mentors, why = eligible_mentors(p, mentee)
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
        raise RuntimeError(f"assignment solver failed: {result.message}")
    return np.flatnonzero(result.x > 0.5)


# --- candidates for large programs -----------------------------------------------------------------


def _best_candidates(p: Program, mentees: np.ndarray, mentors: np.ndarray, keep: int,
                     on_progress) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each mentee's `keep` best-scoring mentors among those who share something with them."""
    buckets = _mentor_buckets(p, mentors)
    fallback = mentors[np.lexsort((mentors, -p.mentor_room()[mentors]))][:BUCKET_TAKE]
    friends_of_friends = (p.friends @ p.friends).tocsr()
    rare_school = _rare_columns(p.schools, mentors)
    rare_interest = _rare_columns(p.interests, mentors)
    mentor_mask = np.zeros(p.size, dtype=bool)
    mentor_mask[mentors] = True

    out_e, out_m, out_s = [], [], []
    block: list[np.ndarray] = []
    block_e: list[np.ndarray] = []
    total = len(mentees)

    def flush():
        if not block:
            return
        e = np.concatenate(block_e)
        m = np.concatenate(block)
        ok = allowed(p, e, m)
        e, m = e[ok], m[ok]
        scores, _ = pair_scores(p, e, m)
        order = np.lexsort((m, -scores, e))
        e, m, scores = e[order], m[order], scores[order]
        starts = np.r_[0, np.flatnonzero(e[1:] != e[:-1]) + 1]
        rank = np.arange(len(e)) - np.repeat(starts, np.diff(np.r_[starts, len(e)]))
        top = rank < keep
        out_e.append(e[top])
        out_m.append(m[top])
        out_s.append(scores[top])
        block.clear()
        block_e.clear()

    for done, i in enumerate(mentees, 1):
        keys = [("occ_place", p.occupation[i], p.place[i]), ("fam_place", p.family[i], p.place[i]),
                ("occ_region", p.occupation[i], p.region[i]), ("occ", p.occupation[i]),
                ("place", p.place[i]), ("fam_region", p.family[i], p.region[i]),
                ("region", p.region[i])]
        parts = [buckets[k] for k in keys if k in buckets]
        parts.append(fallback)
        for matrix, rare in ((p.schools, rare_school), (p.interests, rare_interest)):
            cols = matrix.indices[matrix.indptr[i]:matrix.indptr[i + 1]]
            parts.extend(rare[c] for c in cols if c in rare)
        fof = friends_of_friends.indices[friends_of_friends.indptr[i]:
                                         friends_of_friends.indptr[i + 1]]
        parts.append(fof[mentor_mask[fof]][: 4 * BUCKET_TAKE])
        candidates = np.unique(np.concatenate(parts))
        block.append(candidates)
        block_e.append(np.full(len(candidates), i))
        if done % 2000 == 0 or done == total:
            flush()
            if on_progress:
                on_progress(done, total)
    return np.concatenate(out_e), np.concatenate(out_m), np.concatenate(out_s)


def _mentor_buckets(p: Program, mentors: np.ndarray) -> dict[tuple, np.ndarray]:
    """Mentors grouped by what a mentee may share with them; each group keeps its roomiest few."""
    order = mentors[np.lexsort((mentors, -p.mentor_room()[mentors]))]
    groups: dict[tuple, list[int]] = {}
    for j in order.tolist():
        for key in (("occ_place", p.occupation[j], p.place[j]),
                    ("fam_place", p.family[j], p.place[j]),
                    ("occ_region", p.occupation[j], p.region[j]), ("occ", p.occupation[j]),
                    ("place", p.place[j]), ("fam_region", p.family[j], p.region[j]),
                    ("region", p.region[j])):
            if min(key[1:]) < 0:
                continue
            members = groups.setdefault(key, [])
            if len(members) < BUCKET_TAKE:
                members.append(j)
    return {key: np.array(js, dtype=np.int64) for key, js in groups.items()}


def _rare_columns(matrix, mentors: np.ndarray, limit: int = 200) -> dict[int, np.ndarray]:
    """For schools or interests held by few mentors: column -> those mentors."""
    sub = matrix[mentors].tocsc()
    counts = np.diff(sub.indptr)
    out = {}
    for column in np.flatnonzero((counts > 0) & (counts <= limit)):
        out[int(column)] = mentors[sub.indices[sub.indptr[column]:sub.indptr[column + 1]]]
    return out
