"""Scoring mentor-mentee pairs, the shared points that explain each score, and suggestions.

The score (0-100) is a weighted mean of six features, each between 0 and 1, computed for whole
arrays of pairs at once:

- friends:    Adamic-Adar over mutual friends (a friend of many counts for less), saturating:
              aa / (aa + 1); one mutual friend with two friends gives 0.59.
- school:     1 when they share a canonical school.
- location:   1 same place; 0.85 down to 0.5 within `rules.nearby_km` (or a metro's radius);
              0.4 same region; 0.2 same country.
- occupation: 1 the same SOC detailed occupation (under a catch-all "All Other" code, the same
              title), 0.5 the same broad occupation (the same kind of work: "software and web
              developers"; never a "Miscellaneous" group), 0.3 the same profession (a SOC minor
              group that names one: "healthcare practitioners"); when both levels are known, x1.0 if
              the mentor is more senior, x0.9 if equal, x0.75 if junior (x0.95 if unknown).
- interests:  the share of the mentee's interests the mentor shares, each weighted by its rarity
              (idf), so a rare shared interest counts for more than a common one.
- languages:  1 when they share a language.

The shared points printed for a pair are derived from exactly these facts.
"""

from __future__ import annotations

import numpy as np

from mentorctl.errors import Conflict
from mentorctl.geo import EARTH_RADIUS_KM, distance_km
from mentorctl.model import FEATURES, Suggestion, SuggestResult
from mentorctl.program import MemberTexts, Program
from mentorctl.rules import Rule, eligible_mentors, explain
from mentorctl.shared import shared_points
from mentorctl.sparse_rows import row_dots


def pair_features(program: Program, e: np.ndarray, m: np.ndarray) -> dict[str, np.ndarray]:
    """Every feature (0..1) for the pairs (mentee e[k], mentor m[k])."""
    p = program
    aa = row_dots(p.friends_weighted, p.friends, e, m)
    friends = aa / (aa + 1.0)

    school = (row_dots(p.schools, p.schools, e, m) > 0).astype(np.float64)

    location = location_feature(p, e, m)
    occupation = occupation_feature(p, e, m)

    norm = p.interest_norm
    interests = np.divide(row_dots(p.interests_weighted, p.interests, e, m), norm[e],
                          out=np.zeros(len(e)), where=norm[e] > 0)

    languages = (row_dots(p.languages, p.languages, e, m) > 0).astype(np.float64)
    return {"friends": friends, "school": school, "location": location,
            "occupation": occupation, "interests": np.clip(interests, 0, 1),
            "languages": languages}


def location_feature(p: Program, e: np.ndarray, m: np.ndarray) -> np.ndarray:
    same_place = (p.place[e] == p.place[m]) & (p.place[e] >= 0)
    reach = np.maximum(float(p.settings.rules.nearby_km),
                       np.maximum(p.radius_km[e], p.radius_km[m]))
    distance = _distances_within(p, e, m, float(reach.max()) if len(reach) else 0.0)
    near = np.nan_to_num(distance, nan=np.inf) <= reach
    graded_near = 0.85 - 0.35 * np.clip(np.where(near, distance, 0.0) / np.maximum(reach, 1e-9),
                                        0.0, 1.0)
    same_region = (p.region[e] == p.region[m]) & (p.region[e] >= 0)
    same_country = (p.country[e] == p.country[m]) & (p.country[e] >= 0)
    return np.select([same_place, near, same_region, same_country],
                     [1.0, graded_near, 0.4, 0.2], default=0.0)


def _distances_within(p: Program, e: np.ndarray, m: np.ndarray, limit_km: float) -> np.ndarray:
    """Great-circle km of each pair, computed exactly (haversine) only for pairs whose chord
    says they may be within `limit_km`; the others, and unknown places, are inf or nan. Most
    pairs of a large program are far apart, so most need no trigonometry at all."""
    xyz = p.unit_xyz
    chord2 = np.zeros(len(e))
    for axis in range(3):
        chord2 += (xyz[e, axis] - xyz[m, axis]) ** 2
    # chord = 2 sin(d / 2R); a small margin keeps rounding from dropping a pair at the limit
    half_angle = min(limit_km / (2 * EARTH_RADIUS_KM), np.pi / 2)
    maybe_near = chord2 <= (2 * np.sin(half_angle)) ** 2 * (1 + 1e-9) + 1e-12
    distance = np.where(np.isnan(chord2), np.nan, np.inf)
    close = np.flatnonzero(maybe_near)
    if len(close):
        ec, mc = e[close], m[close]
        distance[close] = distance_km(p.lat[ec], p.lon[ec], p.lat[mc], p.lon[mc])
    return distance


def occupation_feature(p: Program, e: np.ndarray, m: np.ndarray) -> np.ndarray:
    same_occupation = (p.occupation[e] == p.occupation[m]) & (p.occupation[e] >= 0)
    same_family = (p.family[e] == p.family[m]) & (p.family[e] >= 0)
    same_profession = (p.profession[e] == p.profession[m]) & (p.profession[e] >= 0)
    occupation = np.select([same_occupation, same_family, same_profession], [1.0, 0.5, 0.3],
                           default=0.0)
    mentee_level, mentor_level = p.seniority[e], p.seniority[m]
    known = ~np.isnan(mentee_level) & ~np.isnan(mentor_level)
    level_fit = np.where(known, np.select(
        [mentor_level > mentee_level, mentor_level == mentee_level], [1.0, 0.9], default=0.75),
        0.95)
    return occupation * level_fit


def weights(program: Program) -> np.ndarray:
    return np.array(program.settings.weights.normalized())


def pair_scores(program: Program, e: np.ndarray, m: np.ndarray):
    """(scores 0-100 rounded to 0.1, the feature arrays) for arrays of pairs."""
    features = pair_features(program, e, m)
    w = weights(program)
    total = np.zeros(len(e))
    for weight, name in zip(w, FEATURES, strict=True):
        total += weight * features[name]
    return np.round(100.0 * total, 1), features


# --- suggestions --------------------------------------------------------------------------------


def suggest(program: Program, texts: MemberTexts, mentee_id: str, limit: int = 5
            ) -> SuggestResult:
    """The best mentors for a mentee, best first, each with the points they share (`limit` 0:
    every eligible mentor)."""
    p = program
    e = p.position(mentee_id)
    if not p.role_mentee[e]:
        raise Conflict(explain(p.facts, e, e, Rule.NOT_A_MENTEE))
    name = p.names[e]
    at_limit = bool(p.open_as_mentee[e] >= p.facts.max_open_per_mentee)
    mentors, reason = eligible_mentors(p.facts, e)
    if len(mentors) == 0:
        return SuggestResult(mentee_id, (), reason, name, int(p.open_as_mentee[e]), at_limit)
    scores, features = pair_scores(p, np.full(len(mentors), e), mentors)
    # Best score first; ties broken by the mentor's id so the order never wobbles.
    # limit 0: every eligible mentor.
    order = np.lexsort((np.arange(len(mentors)), -scores))[: limit if limit > 0 else None]
    suggestions = tuple(
        _suggestion(p, texts, e, int(mentors[k]), float(scores[k]),
                    {name: float(values[k]) for name, values in features.items()})
        for k in order
    )
    return SuggestResult(mentee_id, suggestions, None, name, int(p.open_as_mentee[e]), at_limit)


def score_pair(program: Program, texts: MemberTexts, mentee_id: str, mentor_id: str
               ) -> Suggestion:
    """The score and shared points of one pair, whatever the rules say (used by `pair`, `intro`)."""
    e, m = program.position(mentee_id), program.position(mentor_id)
    scores, features = pair_scores(program, np.array([e]), np.array([m]))
    return _suggestion(program, texts, e, m, float(scores[0]),
                       {name: float(values[0]) for name, values in features.items()})


def _suggestion(p: Program, texts: MemberTexts, e: int, m: int, score: float,
                features: dict[str, float]) -> Suggestion:
    return Suggestion(mentor=p.ids[m], name=p.names[m], score=score,
                      shared=tuple(shared_points(p, texts, e, m, features)), features=features)
