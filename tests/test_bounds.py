"""Pricing's bounds are never below a true score, and a pass finds every improving pair.

A bound below the truth would let pricing skip a pair that beats its prices, and the plan's
certificate would then be a lie: these tests score every pair of small programs exactly and
compare.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from mentorctl import flow
from mentorctl.assign import allowed, mentees_to_match, mentors_with_room
from mentorctl.config import load_settings
from mentorctl.match import location_feature, pair_scores
from mentorctl.pricing import PricingIndex, price
from tests.conftest import Loaded

OCCUPATIONS = ["Registered Nurse", "Nurse Practitioner", "Software Engineer", "Senior Software "
               "Engineer", "Web Developer", "Accountant", "Auditor", "High School Teacher",
               "Professor", "Data Analyst", "Data Scientist", "Paralegal", "Intern", ""]
CITIES = ["Boston", "Cambridge, MA", "Somerville, MA", "Seattle, WA", "Tacoma, WA", "Chicago",
          "Portland, OR", "Portland, ME", "Toronto", "London", "Paris", "Lyon", "Berlin",
          "Springfield, IL", "Peoria, IL", "Rockford, IL", "Spokane, WA", "Ottawa, ON",
          "Marseille", "Hamburg", "Munich", "Nowhere Town", ""]
SCHOOLS = ["MIT", "UCLA", "University of Washington", "NYU", "Harvard", "Sorbonne", ""]
TOPICS = ["chess", "python", "grant writing", "hiking", "public speaking", "design", "rust",
          "knitting", "investing", "jazz"]
LANGUAGES = ["English", "French", "German", "Spanish", ""]


def write_varied_program(path, seed: int, mentees: int, mentors: int):
    """Members with varied places (near, same region, same country, abroad, unknown), several
    schools, occupations at several levels, 0-5 interests and 0-2 languages."""
    rnd = random.Random(seed)
    lines = ["id,name,role,occupation,schools,location,interests,languages,capacity,friends"]
    ids = [f"e{i}" for i in range(mentees)] + [f"m{j}" for j in range(mentors)]
    for i, member_id in enumerate(ids):
        role = "mentee" if i < mentees else rnd.choice(["mentor", "mentor", "both"])
        friends = ";".join(rnd.sample([x for x in ids if x != member_id], rnd.randint(0, 2)))
        # Mostly no occupation or school in common, so most pairs are found through their
        # places and interests rather than a group.
        schools = ";".join(s for s in rnd.sample(SCHOOLS, rnd.choice([0, 0, 0, 1, 2])) if s)
        occupation = rnd.choice(OCCUPATIONS) if rnd.random() < 0.4 else ""
        lines.append(",".join([
            member_id, f"Person {member_id}", role, occupation, f'"{schools}"',
            f'"{rnd.choice(CITIES)}"', ";".join(rnd.sample(TOPICS, rnd.randint(0, 5))),
            ";".join(x for x in rnd.sample(LANGUAGES, rnd.randint(1, 2)) if x),
            str(rnd.randint(1, 3)) if role != "mentee" else "", friends]))
    path.write_text("\n".join(lines) + "\n")
    return path


def every_pair(program):
    mentees, mentors = mentees_to_match(program), mentors_with_room(program)
    rows = np.repeat(np.arange(len(mentees)), len(mentors))
    cols = np.tile(np.arange(len(mentors)), len(mentees))
    ok = allowed(program, mentees[rows], mentors[cols])
    rows, cols = rows[ok], cols[ok]
    scores, features = pair_scores(program, mentees[rows], mentors[cols])
    return mentees, mentors, rows, cols, scores, features


@pytest.fixture(params=range(3))
def varied(run, store, tmp_path, request):
    run("import", write_varied_program(tmp_path / "p.csv", request.param, 70, 30))
    return Loaded(store, load_settings(None)).program


def test_bounds_are_never_below_the_exact_score(varied):
    mentees, mentors, rows, cols, scores, features = every_pair(varied)
    index = PricingIndex(varied, mentees, mentors, allowed, 0.0)
    bounds = index.bounds
    assert np.all(bounds.location(rows, cols)
                  >= location_feature(varied, mentees[rows], mentors[cols]))
    no_friend = features["friends"] == 0  # those pairs are scored exactly instead
    r, c = rows[no_friend], cols[no_friend]
    base = bounds.base(r, c)
    fine, coarse = bounds.fine(r, c, base), bounds.coarse(r, c, base)
    assert len(r) > 500 and np.all(fine >= scores[no_friend]) and np.all(coarse >= fine)
    # Tight where it can be: exact but for location and the rounding margin.
    assert np.median(fine - scores[no_friend]) < 0.2


def test_a_pass_finds_every_pair_that_beats_its_prices(varied):
    mentees, mentors, rows, cols, scores, _ = every_pair(varied)
    index = PricingIndex(varied, mentees, mentors, allowed, 0.0)
    scale = flow.scale_for(len(mentees))
    weight = flow.weights_of(scores, scale)
    rng = np.random.default_rng(0)
    for _ in range(40):
        # Prices from none to above the best score, so every enumeration is exercised: every
        # mentor, interests of each class, groups, places within reach.
        u = rng.integers(0, rng.choice([100, 400, 900]), len(mentees)) * scale
        v = rng.integers(0, 300, len(mentors)) * scale * rng.choice([0, 0.5, 1.0])
        u, v = u.astype(np.int64), v.astype(np.int64)
        priced = price(varied, mentees, mentors, u, v, scale, 0.0, allowed, index)
        need = u.copy()
        np.maximum.at(need, rows, weight - v[cols])
        assert np.array_equal(priced.need, need)
        better = weight > u[rows] + v[cols]
        found = set(zip(priced.e.tolist(), priced.m.tolist(), strict=True))
        assert found <= set(zip(mentees[rows[better]].tolist(), mentors[cols[better]].tolist(),
                                strict=True))
        assert len(found) == min(better.sum(), len(found)) and (len(found) > 0) == better.any()


def test_candidates_hand_pricing_every_pair_with_a_mutual_friend(varied):
    """The plan passes pricing the friend pairs the candidates scored: they must be exactly
    the allowed pairs with a mutual friend, with their exact scores."""
    from mentorctl.candidates import best_candidates
    from mentorctl.pricing import friend_pairs

    mentees, mentors = mentees_to_match(varied), mentors_with_room(varied)
    mutual: list = []
    best_candidates(varied, mentees, mentors, 3, allowed, friend_pairs=mutual)
    rows, cols, scores = (np.concatenate([part[k] for part in mutual]) for k in range(3))
    expected = friend_pairs(varied, mentees, mentors, allowed, 0.0)
    assert len(expected.rows) > 0
    got = sorted(zip(rows.tolist(), cols.tolist(), scores.tolist(), strict=True))
    assert got == sorted(zip(expected.rows.tolist(), expected.cols.tolist(),
                             expected.scores.tolist(), strict=True))
