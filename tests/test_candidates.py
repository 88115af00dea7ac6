"""The large-program path: its candidates are deterministic, and pricing from them reaches the
optimum over every allowed pair, even when blocks are sampled (a small BLOCK_CAP)."""

from __future__ import annotations

import numpy as np
import pytest

from mentorctl import candidates
from mentorctl.assign import allowed, mentees_to_match, mentors_with_room
from mentorctl.config import load_settings
from tests.conftest import Loaded
from tests.test_bounds import write_varied_program


@pytest.fixture(params=range(2))
def loaded(run, store, tmp_path, request):
    run("import", write_varied_program(tmp_path / "p.csv", 20 + request.param, 150, 60))
    return Loaded(store, load_settings(None))


def test_large_path_reaches_the_certified_optimum_and_is_deterministic(loaded, monkeypatch):
    exact = loaded.plan()
    assert exact.solver == "min-cost-flow" and exact.optimality.certified
    # Small blocks and few random mentors, so the candidates are a sample and pricing must
    # close the gap.
    monkeypatch.setattr(candidates, "BLOCK_CAP", 3)
    monkeypatch.setattr(candidates, "RANDOM_MENTORS", 2)
    for options in ({"certify": True}, {}):
        plan = loaded.plan(dense_limit=0, candidates_per_mentee=3, **options)
        assert plan.solver.startswith("min-cost-flow")
        assert plan.total_score == pytest.approx(exact.total_score, abs=0.05)
        assert plan.optimality.certified
        assert plan == loaded.plan(dense_limit=0, candidates_per_mentee=3, **options)
    p = loaded.program
    mentees, mentors = mentees_to_match(p), mentors_with_room(p)
    first = candidates.best_candidates(p, mentees, mentors, 3, allowed)
    again = candidates.best_candidates(p, mentees, mentors, 3, allowed)
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    # Every candidate is allowed, distinct, and each mentee has at most 3 + SPARE_CANDIDATES.
    e, m, _ = first
    assert allowed(p, e, m).all()
    assert len(np.unique(e * p.size + m)) == len(e)
    assert np.bincount(e).max() <= 3 + candidates.SPARE_CANDIDATES
