"""The shared points of a pair, in words a coordinator would write.

Each phrase comes from the same facts the score uses (see match.pair_features): a point is listed
only when its feature is above zero, so the explanation and the score never disagree.
"""

from __future__ import annotations

import json
import math

import numpy as np

from mentorctl.program import Program, language_key
from mentorctl.resolution import fold

MAX_NAMES = 3


def join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def plural(title: str) -> str:
    """'Registered Nurse' -> 'registered nurses'; 'Attorney' -> 'attorneys'."""
    words = title.split()
    if not words:
        return title
    head = words[-1]
    lower = head.lower()
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        head += "es"
    elif lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        head = head[:-1] + "ies"
    elif lower in ("man", "woman", "chairman", "chairwoman", "fireman", "foreman"):
        head = head[:-2] + "en"
    else:
        head += "s"
    text = " ".join([*words[:-1], head])
    # Keep acronyms and proper nouns ("UX Designer", "IT Manager"); lower the rest.
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in text.split())


def shared_points(p: Program, e: int, m: int, features: dict[str, float]) -> list:
    from mentorctl.match import SharedPoint

    points: list[SharedPoint] = []
    if features["friends"] > 0:
        mutual = np.intersect1d(p.friends.row(e)[0], p.friends.row(m)[0])
        # Closest ties first: a friend with few friends is the stronger link.
        degree = p.friends.row_lengths[mutual]
        names = [p.names[i] for i in mutual[np.lexsort((mutual, degree))]]
        shown = names[:MAX_NAMES] + ([f"{len(names) - MAX_NAMES} more"]
                                     if len(names) > MAX_NAMES else [])
        label = "mutual friend" if len(names) == 1 else "mutual friends"
        points.append(SharedPoint("friends", f"{len(names)} {label}: {join_words(shown)}"))
    if features["school"] > 0:
        names = _shared_schools(p, e, m)
        points.append(SharedPoint("school", f"both studied at {join_words(names)}"))
    if features["location"] > 0:
        points.append(SharedPoint("location", _location_phrase(p, e, m)))
    if features["occupation"] > 0:
        points.append(SharedPoint("occupation", _occupation_phrase(p, e, m)))
    if features["interests"] > 0:
        points.append(SharedPoint("interests", ", ".join(_shared_interests(p, e, m))))
    if features["languages"] > 0:
        points.append(SharedPoint("languages", f"both speak {join_words(_shared_languages(p, e, m))}"))
    return points


def _list(p: Program, i: int, field: str) -> list[str]:
    """A member's list field, decoded once per program (a member appears in many pairs)."""
    cache = p.__dict__.setdefault("_decoded_lists", {})
    key = (i, field)
    if key not in cache:
        cache[key] = json.loads(p.raw[i][field])
    return cache[key]


def _resolved(p: Program, kind: str, text: str | None):
    return p.resolved[kind].get(text) if text else None


def _shared_schools(p: Program, e: int, m: int) -> list[str]:
    mentor_keys = {r.key for t in _list(p, m, "schools")
                   if (r := _resolved(p, "school", t)) and r.key}
    names: list[str] = []
    for text in _list(p, e, "schools"):
        r = _resolved(p, "school", text)
        if r and r.key in mentor_keys and r.canonical not in names:
            names.append(r.canonical)
    return names


def _city(p: Program, i: int) -> str:
    r = _resolved(p, "location", p.raw[i]["location"])
    if r is None:
        return p.raw[i]["location"] or ""
    return r.attrs.get("city") or r.canonical.split(",")[0]


def _location_phrase(p: Program, e: int, m: int) -> str:
    mentee_place = _resolved(p, "location", p.raw[e]["location"])
    mentor_place = _resolved(p, "location", p.raw[m]["location"])
    a, b = mentee_place.attrs, mentor_place.attrs
    if mentee_place.key == mentor_place.key:
        return f"both in {_city(p, e)}"
    distance = _km(float(p.lat[e]), float(p.lon[e]), float(p.lat[m]), float(p.lon[m]))
    reach = max(float(p.settings.rules["nearby_km"]), p.radius_km[e], p.radius_km[m])
    if not math.isnan(distance) and distance <= reach:
        return f"{_city(p, e)} and {_city(p, m)}, {max(round(float(distance)), 1)} km apart"
    if a.get("region") and a.get("region_code") == b.get("region_code") and \
            a.get("country_code") == b.get("country_code"):
        return f"both in {a['region']}"
    country = a.get("country") or ""
    article = "the " if country in ("United States", "United Kingdom", "Netherlands",
                                    "Philippines", "United Arab Emirates", "Czech Republic") else ""
    return f"both in {article}{country}"


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """haversine_km for one pair, without numpy's per-call overhead."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * \
        math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(max(a, 0.0), 1.0)))


def _occupation_phrase(p: Program, e: int, m: int) -> str:
    mentee_job = _resolved(p, "occupation", p.raw[e]["occupation"])
    mentor_job = _resolved(p, "occupation", p.raw[m]["occupation"])
    if mentee_job.key == mentor_job.key:
        phrase = f"both {plural(mentee_job.canonical)}"
    else:
        family = mentee_job.attrs.get("family_label") or \
            (mentee_job.attrs.get("family") or "").replace("-", " ")
        phrase = (f"both in {family} roles ({mentor_job.canonical.lower()} and "
                  f"{mentee_job.canonical.lower()})")
    mentee_level = mentee_job.attrs.get("seniority")
    mentor_level = mentor_job.attrs.get("seniority")
    if mentee_level is not None and mentor_level is not None and mentor_level > mentee_level:
        label = mentor_job.attrs.get("seniority_label")
        phrase += "; the mentor is more senior" + (f" ({label})" if label else "")
    return phrase


def _shared_interests(p: Program, e: int, m: int) -> list[str]:
    mentor_keys = {fold(t) for t in _list(p, m, "interests")}
    shared = [t for t in _list(p, e, "interests") if fold(t) in mentor_keys]
    codes = p.interest_codes
    # Rarest first: the shared interest that says the most comes first.
    return sorted(shared, key=lambda t: -float(p.interest_idf[codes[fold(t)]]))


def _shared_languages(p: Program, e: int, m: int) -> list[str]:
    mentor_keys = {language_key(t) for t in _list(p, m, "languages")}
    return [t for t in _list(p, e, "languages") if language_key(t) in mentor_keys]
