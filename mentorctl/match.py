"""Scoring mentor-mentee pairs, the shared points that explain each score, and suggestions.

The score (0-100) is a weighted mean of six features, each between 0 and 1, computed for whole
arrays of pairs at once:

- friends:    Adamic-Adar over mutual friends (a friend of many counts for less), saturating:
              aa / (aa + 1); one mutual friend with two friends gives 0.59.
- school:     1 when they share a canonical school.
- location:   1 same place; 0.85 down to 0.5 within `rules.nearby_km` (or a metro's radius);
              0.4 same region; 0.2 same country.
- occupation: 1 same canonical occupation, 0.5 same family; when both levels are known, x1.0 if
              the mentor is more senior, x0.9 if equal, x0.75 if junior (x0.95 if unknown).
- interests:  the share of the mentee's interests the mentor shares, each weighted by its rarity
              (idf), so a rare shared interest counts for more than a common one.
- languages:  1 when they share a language.

The shared points printed for a pair are derived from exactly these facts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from mentorctl.errors import Conflict
from mentorctl.program import Program, haversine_km, load_program  # noqa: F401 (re-exported)
from mentorctl.sparse_rows import pair_dots

FEATURES = ("friends", "school", "location", "occupation", "interests", "languages")


@dataclass(frozen=True)
class SharedPoint:
    kind: str  # one of FEATURES
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "text": self.text}


@dataclass(frozen=True)
class Suggestion:
    mentor: str
    name: str
    score: float
    shared: tuple[SharedPoint, ...]
    features: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {"mentor": self.mentor, "name": self.name, "score": self.score,
                "shared": [p.to_dict() for p in self.shared]}


@dataclass(frozen=True)
class SuggestResult:
    mentee: str
    suggestions: tuple[Suggestion, ...]
    reason: str | None  # why the list is empty, when it is


# --- features, vectorized over pairs ----------------------------------------------------------


def _row_dots(left, right, e: np.ndarray, m: np.ndarray) -> np.ndarray:
    """For each pair k, the dot product of row e[k] of `left` with row m[k] of `right`."""
    if left.nnz == 0 or right.nnz == 0 or len(e) == 0:
        return np.zeros(len(e), dtype=np.float64)
    if e[0] == e[-1] and np.all(e == e[0]):
        # One mentee against many mentors (suggest): one sparse matrix-vector product, numpy only.
        return right.dot_row_with_all(*left.row(int(e[0])))[m]
    return pair_dots(left, right, e, m)


def pair_features(program: Program, e: np.ndarray, m: np.ndarray) -> dict[str, np.ndarray]:
    """Every feature (0..1) for the pairs (mentee e[k], mentor m[k])."""
    p = program
    aa = _row_dots(p.friends_weighted, p.friends, e, m)
    friends = aa / (aa + 1.0)

    school = (_row_dots(p.schools, p.schools, e, m) > 0).astype(np.float64)

    same_place = (p.place[e] == p.place[m]) & (p.place[e] >= 0)
    distance = haversine_km(p.lat[e], p.lon[e], p.lat[m], p.lon[m])
    reach = np.maximum(float(p.settings.rules["nearby_km"]),
                       np.maximum(p.radius_km[e], p.radius_km[m]))
    near = np.nan_to_num(distance, nan=np.inf) <= reach
    graded_near = 0.85 - 0.35 * np.clip(np.nan_to_num(distance, nan=0.0) / np.maximum(reach, 1e-9),
                                        0.0, 1.0)
    same_region = (p.region[e] == p.region[m]) & (p.region[e] >= 0)
    same_country = (p.country[e] == p.country[m]) & (p.country[e] >= 0)
    location = np.select([same_place, near, same_region, same_country],
                         [1.0, graded_near, 0.4, 0.2], default=0.0)

    same_occupation = (p.occupation[e] == p.occupation[m]) & (p.occupation[e] >= 0)
    same_family = (p.family[e] == p.family[m]) & (p.family[e] >= 0)
    occupation = np.where(same_occupation, 1.0, np.where(same_family, 0.5, 0.0))
    mentee_level, mentor_level = p.seniority[e], p.seniority[m]
    known = ~np.isnan(mentee_level) & ~np.isnan(mentor_level)
    level_fit = np.where(known, np.select(
        [mentor_level > mentee_level, mentor_level == mentee_level], [1.0, 0.9], default=0.75),
        0.95)
    occupation = occupation * level_fit

    norm = p.interest_norm
    interests = np.divide(_row_dots(p.interests_weighted, p.interests, e, m), norm[e],
                          out=np.zeros(len(e)), where=norm[e] > 0)

    languages = (_row_dots(p.languages, p.languages, e, m) > 0).astype(np.float64)
    return {"friends": friends, "school": school, "location": location,
            "occupation": occupation, "interests": np.clip(interests, 0, 1),
            "languages": languages}


def weights(program: Program) -> np.ndarray:
    raw = np.array([float(program.settings.weights[name]) for name in FEATURES])
    total = raw.sum()
    return raw / total if total > 0 else raw


def pair_scores(program: Program, e: np.ndarray, m: np.ndarray):
    """(scores 0-100 rounded to 0.1, the feature arrays) for arrays of pairs."""
    features = pair_features(program, e, m)
    w = weights(program)
    total = np.zeros(len(e))
    for weight, name in zip(w, FEATURES, strict=True):
        total += weight * features[name]
    return np.round(100.0 * total, 1), features


# --- hard rules -----------------------------------------------------------------------------


def eligible_mentors(program: Program, mentee: int) -> tuple[np.ndarray, str | None]:
    """Indices of the mentors this mentee may be paired with now, and why there are none."""
    p = program
    rules = p.settings.rules
    steps: list[tuple[np.ndarray, str]] = [
        (p.role_mentor, "the program has no mentors yet"),
        (np.arange(p.size) != mentee, "the only mentor is the mentee themself"),
        (p.available, "no mentor is available (all are marked unavailable)"),
        (p.capacity > 0, "every available mentor has capacity 0 (not taking mentees)"),
        (p.open_as_mentor < p.capacity, "every available mentor is at capacity"),
    ]
    blocked = p.blocked.get(mentee)
    if blocked is not None:
        allowed = np.ones(p.size, dtype=bool)
        allowed[blocked] = False
        steps.append((allowed, "every mentor with room has already been paired with this "
                               "mentee (open, completed, declined or ended)"))
    if rules["require_shared_language"]:
        shares = p.languages.dot_row_with_all(*p.languages.row(mentee)) > 0
        steps.append((shares, "no mentor with room shares a language (rules."
                              "require_shared_language)"))
    if rules["different_organization"] and p.organization[mentee] >= 0:
        steps.append((p.organization != p.organization[mentee],
                      "every mentor with room is in the mentee's organization (rules."
                      "different_organization)"))
    mask = np.ones(p.size, dtype=bool)
    for condition, reason in steps:
        narrowed = mask & condition
        if not narrowed.any():
            return np.zeros(0, dtype=np.int64), reason
        mask = narrowed
    return np.flatnonzero(mask), None


def program_rule_problem(program: Program, mentee_id: str, mentor_id: str) -> str | None:
    """Why the program's optional rules forbid this pair (shared language, organizations)."""
    p, rules = program, program.settings.rules
    e, m = p.position(mentee_id), p.position(mentor_id)
    if rules["require_shared_language"] and \
            p.languages.dot_row_with_all(*p.languages.row(e))[m] == 0:
        return "they share no language (rules.require_shared_language)"
    if rules["different_organization"] and p.organization[e] >= 0 and \
            p.organization[e] == p.organization[m]:
        return "they are in the same organization (rules.different_organization)"
    return None


# --- suggestions --------------------------------------------------------------------------------


def suggest(program: Program, mentee_id: str, limit: int = 5) -> SuggestResult:
    """The best mentors for a mentee, best first, each with the points they share."""
    p = program
    e = p.position(mentee_id)
    if not p.role_mentee[e]:
        raise Conflict(f"{mentee_id} is a mentor, not a mentee; promote or change the role first")
    mentors, reason = eligible_mentors(p, e)
    if len(mentors) == 0:
        return SuggestResult(mentee_id, (), reason)
    scores, features = pair_scores(p, np.full(len(mentors), e), mentors)
    # Best score first; ties broken by the mentor's id so the order never wobbles.
    order = np.lexsort((np.arange(len(mentors)), -scores))[: max(limit, 0)]
    suggestions = tuple(
        _suggestion(p, e, int(mentors[k]), float(scores[k]),
                    {name: float(values[k]) for name, values in features.items()})
        for k in order
    )
    return SuggestResult(mentee_id, suggestions, None)


def score_pair(program: Program, mentee_id: str, mentor_id: str) -> Suggestion:
    """The score and shared points of one pair, whatever the rules say (used by `pair`, `intro`)."""
    e, m = program.position(mentee_id), program.position(mentor_id)
    scores, features = pair_scores(program, np.array([e]), np.array([m]))
    return _suggestion(program, e, m, float(scores[0]),
                       {name: float(values[0]) for name, values in features.items()})


def _suggestion(p: Program, e: int, m: int, score: float, features: dict[str, float]) -> Suggestion:
    from mentorctl.shared import shared_points

    return Suggestion(mentor=p.ids[m], name=p.names[m], score=score,
                      shared=tuple(shared_points(p, e, m, features)), features=features)


def plan_assignment(program: Program, *, min_score: float = 0.0,
                    on_progress: Callable[[int, int], None] | None = None, **options):
    """The whole-program assignment; see mentorctl.assign."""
    from mentorctl.assign import plan_assignment as plan

    return plan(program, min_score=min_score, on_progress=on_progress, **options)
