"""The whole-program assignment is optimal, beats greedy where greedy fails, and respects rules."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from mentorctl import flow
from mentorctl.assign import (
    GAP_TARGET,
    MAX_PRICING_ROUNDS,
    allowed,
    mentees_to_match,
    mentors_with_room,
)
from mentorctl.config import load_settings
from mentorctl.match import pair_scores
from tests.conftest import Loaded

OCCUPATIONS = ["Registered Nurse", "Software Engineer", "Accountant", "High School Teacher",
               "Data Analyst", "Paralegal"]
CITIES = ["Boston", "Seattle, WA", "Cambridge, MA", "Chicago", "Portland, OR"]
SCHOOLS = ["MIT", "UCLA", "University of Washington", "NYU", ""]
TOPICS = ["chess", "python", "grant writing", "hiking", "public speaking", "design"]


def brute_force(e, m, scores, room):
    """The best total over every feasible assignment (tiny programs only)."""
    mentees = sorted(set(e.tolist()))
    options = {i: [(-1, 0.0)] for i in mentees}
    for k in range(len(e)):
        options[int(e[k])].append((int(m[k]), float(scores[k])))
    best = 0.0
    for choice in itertools.product(*(options[i] for i in mentees)):
        used: dict[int, int] = {}
        for mentor, _ in choice:
            if mentor >= 0:
                used[mentor] = used.get(mentor, 0) + 1
        if all(count <= room[mentor] for mentor, count in used.items()):
            best = max(best, sum(score for _, score in choice))
    return best


def solve(e, m, scores, room):
    """The min-cost-flow solver on member-indexed pairs; checks its prices certify the plan."""
    rows, row_of = np.unique(e, return_inverse=True)
    weight = flow.weights_of(scores, flow.scale_for(len(rows)))
    result = flow.solve(row_of, m, weight, room, len(rows))
    assert result.exact_prices
    assert np.all(result.u[row_of] + result.v[m] >= weight)  # dual feasible on every pair
    assert result.u.sum() + (room * result.v).sum() == weight[result.chosen].sum()  # = optimum
    return result.chosen


def scipy_optimum(e, m, scores, room):
    """An independent solve: the b-matching LP over every pair with scipy's HiGHS."""
    from scipy import sparse
    from scipy.optimize import linprog

    if len(e) == 0:
        return 0.0
    rows, row_of = np.unique(e, return_inverse=True)
    cols, col_of = np.unique(m, return_inverse=True)
    k = np.arange(len(e))
    a = sparse.vstack([sparse.csr_matrix((np.ones(len(e)), (row_of, k)), shape=(len(rows), len(e))),
                       sparse.csr_matrix((np.ones(len(e)), (col_of, k)), shape=(len(cols), len(e)))])
    result = linprog(-scores, A_ub=a, b_ub=np.r_[np.ones(len(rows)), room[cols]], bounds=(0, 1),
                     method="highs")
    return -result.fun


def greedy(e, m, scores, room):
    left = room.copy()
    taken: set[int] = set()
    total = 0.0
    for k in np.argsort(-scores, kind="stable"):
        if e[k] not in taken and left[m[k]] > 0:
            taken.add(int(e[k]))
            left[m[k]] -= 1
            total += scores[k]
    return total


def test_solvers_beat_greedy_where_greedy_is_suboptimal():
    # Greedy takes A-X (90) and leaves B with Y (10): 100. The optimum is A-Y + B-X = 165.
    e = np.array([0, 0, 1, 1])
    m = np.array([2, 3, 2, 3])
    scores = np.array([90.0, 80.0, 85.0, 10.0])
    room = np.array([0, 0, 1, 1])
    assert greedy(e, m, scores, room) == 100
    chosen = solve(e, m, scores, room)
    assert scores[chosen].sum() == 165


@pytest.mark.parametrize("seed", range(12))
def test_solvers_equal_brute_force_on_random_small_programs(seed):
    rng = np.random.default_rng(seed)
    mentees, mentors = 6, 3
    pairs = [(i, mentees + j) for i in range(mentees) for j in range(mentors) if rng.random() < 0.7]
    e = np.array([i for i, _ in pairs])
    m = np.array([j for _, j in pairs])
    scores = np.round(rng.random(len(pairs)) * 100, 1)
    room = np.zeros(mentees + mentors, dtype=np.int64)
    room[mentees:] = rng.integers(0, 3, mentors)
    optimum = brute_force(e, m, scores, room)
    assert scipy_optimum(e, m, scores, room) == pytest.approx(optimum)
    chosen = solve(e, m, scores, room)
    assert scores[chosen].sum() == pytest.approx(optimum)
    counts = np.bincount(m[chosen], minlength=len(room))
    assert np.all(counts <= room) and len(set(e[chosen].tolist())) == len(chosen)


@pytest.mark.parametrize("seed", range(8))
def test_solver_equals_scipy_on_larger_random_graphs(seed):
    rng = np.random.default_rng(100 + seed)
    mentees, mentors = int(rng.integers(20, 80)), int(rng.integers(3, 25))
    mask = rng.random((mentees, mentors)) < rng.uniform(0.05, 0.9)
    e, j = np.nonzero(mask)
    m = mentees + j
    scores = np.round(rng.random(len(e)) * 100, 1)
    room = np.zeros(mentees + mentors, dtype=np.int64)
    room[mentees:] = rng.integers(1, 4, mentors)
    chosen = solve(e, m, scores, room)
    assert scores[chosen].sum() == pytest.approx(scipy_optimum(e, m, scores, room), abs=1e-6)


def write_program(path, seed: int, mentees: int = 6, mentors: int = 3):
    rnd = random.Random(seed)
    lines = ["id,name,role,occupation,schools,location,interests,languages,capacity,friends"]
    ids = [f"e{i}" for i in range(mentees)] + [f"m{j}" for j in range(mentors)]
    for i, member_id in enumerate(ids):
        role = "mentee" if i < mentees else "mentor"
        friends = ";".join(rnd.sample([x for x in ids if x != member_id], 2))
        lines.append(",".join([
            member_id, f"Person {member_id}", role, rnd.choice(OCCUPATIONS), rnd.choice(SCHOOLS),
            f'"{rnd.choice(CITIES)}"', ";".join(rnd.sample(TOPICS, 2)), "English",
            str(rnd.randint(1, 2)) if role == "mentor" else "", friends]))
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("seed", range(4))
def test_plan_is_optimal_for_the_real_scores(run, store, tmp_path, seed):
    run("import", write_program(tmp_path / "p.csv", seed))
    program = Loaded(store, load_settings(None))
    plan = program.plan()
    mentees = mentees_to_match(program)
    mentors = np.flatnonzero(program.role_mentor)
    e = np.repeat(mentees, len(mentors))
    m = np.tile(mentors, len(mentees))
    ok = allowed(program, e, m)
    scores, _ = pair_scores(program, e[ok], m[ok])
    optimum = brute_force(e[ok], m[ok], scores, program.mentor_room())
    assert plan.total_score == pytest.approx(optimum, abs=0.05)
    assert scipy_optimum(e[ok], m[ok], scores, program.mentor_room()) == \
        pytest.approx(optimum, abs=1e-6)
    assert plan.optimality.certified and plan.optimality.gap == 0
    assert plan.optimality.bound == pytest.approx(optimum, abs=0.05)
    # The large-program path, from one candidate per mentee: pricing adds what the optimum
    # needs, and its prices prove it.
    sparse_plan = program.plan(dense_limit=0, candidates_per_mentee=1, certify=True)
    assert sparse_plan.total_score == pytest.approx(optimum, abs=0.05)
    assert sparse_plan.solver.startswith("min-cost-flow+pricing")
    assert sparse_plan.optimality.certified
    assert sparse_plan.optimality.bound == pytest.approx(optimum, abs=0.05)
    # Its first solve has no tie-break (plain tenths), its last one has: as many pairs as the
    # exhaustive plan, which prefers more pairs among plans of the best total.
    assert len(sparse_plan.pairs) == len(plan.pairs)
    # No pricing pass: the candidates' plan, said to be unproven.
    unproven = program.plan(dense_limit=0, candidates_per_mentee=1, pricing_passes=0)
    assert unproven.optimality.bound is None and not unproven.optimality.certified
    assert unproven.total_score <= optimum + 0.05
    # One pass and no solve after it (it would improve the plan, not the bound): the pass's
    # bound is proven, so at least the optimum and the plan's total (gap >= 0).
    stages: list[str] = []
    one = program.plan(dense_limit=0, candidates_per_mentee=1, pricing_passes=1,
                       on_stage=stages.append)
    assert one.solver.startswith("min-cost-flow+pricing(1 rounds")
    # (A pass that finds nothing certifies a plan solved without the tie-break: one more solve
    # with it keeps the total and may match more.)
    assert stages == ["scoring", "solving", "pricing"] or (
        one.optimality.certified and stages == ["scoring", "solving", "pricing", "solving"])
    assert one.optimality.bound is not None and one.optimality.gap >= 0
    assert one.optimality.bound >= optimum - 0.05
    assert one.optimality.bound >= one.total_score
    # Two passes: the second prices the plan solved with the first's pairs (and a graph
    # pruned to the pairs near their prices); its bound holds too, and is no looser.
    stages = []
    two = program.plan(dense_limit=0, candidates_per_mentee=1, pricing_passes=2,
                       on_stage=stages.append)
    assert stages in (["scoring", "solving", "pricing", "solving"],  # certified by the first
                      ["scoring", "solving", "pricing", "solving", "pricing"])
    assert two.optimality.bound >= optimum - 0.05 and two.total_score <= optimum + 0.05
    assert two.optimality.bound <= one.optimality.bound + 0.05
    assert two.optimality.certified or stages[-1] == "pricing"
    # By default, even with no time for a pass, pricing goes on until the proven gap is at
    # most GAP_TARGET: a large program's plan always carries its bound.
    default = program.plan(dense_limit=0, candidates_per_mentee=1, pricing_budget=0)
    assert default.optimality.bound is not None
    assert default.optimality.bound >= optimum - 0.05
    assert default.optimality.certified or default.optimality.gap <= GAP_TARGET + 1e-4 \
        or f"({MAX_PRICING_ROUNDS} rounds" in default.solver
    assert one.total_score <= optimum + 0.05
    assert one == program.plan(dense_limit=0, candidates_per_mentee=1, pricing_passes=1)


def test_plan_is_deterministic_and_reports_unmatched(run, store, tmp_path):
    run("import", write_program(tmp_path / "p.csv", 7, mentees=8, mentors=2))
    program = Loaded(store, load_settings(None))
    first = program.plan()
    assert first == Loaded(store, load_settings(None)).plan()
    capacity = int(program.mentor_room()[program.role_mentor].sum())
    assert len(first.pairs) == min(capacity, 8)
    assert len(first.unmatched) == 8 - len(first.pairs)
    assert all("full" in u.reason for u in first.unmatched)
    assert_full_reasons_true(program, first)
    strict = program.plan(min_score=99)
    assert not strict.pairs
    assert all("below the minimum 99" in u.reason for u in strict.unmatched)


def test_completed_mentee_is_not_auto_matched_again_nor_the_pair_suggested(run, store, tmp_path):
    run("import", write_program(tmp_path / "p.csv", 3, mentees=3, mentors=2))
    run("pair", "e0", "m0")
    for step in ("introduce", "start", "complete"):
        run("pairing", step, "1")
    program = Loaded(store, load_settings(None))
    plan = program.plan()
    assert "e0" not in {p.mentee for p in plan.pairs} | {u.mentee for u in plan.unmatched}
    assert "m0" not in {s.mentor for s in program.suggest("e0", limit=10).suggestions}


def assert_full_reasons_true(program, plan, min_score: float = 0.0):
    """Every 'every eligible mentor is full' holds for the plan as made."""
    position = {member_id: i for i, member_id in enumerate(program.ids)}
    load = np.bincount([position[p.mentor] for p in plan.pairs], minlength=program.size)
    left = program.mentor_room() - load
    mentors = mentors_with_room(program)
    checked = 0
    for u in plan.unmatched:
        if "full" not in u.reason:
            continue
        i = np.full(len(mentors), position[u.mentee])
        ok = allowed(program, i, mentors)
        scores, _ = pair_scores(program, i[ok], mentors[ok])
        assert ok.any() and (scores >= min_score).any(), u
        assert np.all(left[mentors[ok][scores >= min_score]] <= 0), u
        checked += 1
    return checked


@pytest.mark.parametrize("seed", range(6))
def test_unmatched_reasons_are_true_on_both_paths(run, store, tmp_path, seed):
    run("import", write_program(tmp_path / "p.csv", 40 + seed, mentees=14, mentors=4))
    program = Loaded(store, load_settings(None))
    checked = 0
    for options in ({}, {"dense_limit": 0, "candidates_per_mentee": 1},
                    {"dense_limit": 0, "candidates_per_mentee": 1, "pricing_passes": 0},
                    {"dense_limit": 0, "candidates_per_mentee": 1, "pricing_passes": 1},
                    {"min_score": 30}, {"min_score": 30, "dense_limit": 0,
                                        "candidates_per_mentee": 1}):
        plan = program.plan(**options)
        checked += assert_full_reasons_true(program, plan, options.get("min_score", 0.0))
        assert all(u.reason.startswith(("every eligible mentor is full", "no eligible mentor",
                                        "best score")) for u in plan.unmatched), plan.unmatched
    assert checked > 0
