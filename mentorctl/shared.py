"""The shared points of a pair, in words a coordinator would write.

Each phrase comes from the same facts the score uses (see match.pair_features): a point is listed
only when its feature is above zero, so the explanation and the score never disagree.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from mentorctl.geo import distance_km
from mentorctl.model import SharedPoint
from mentorctl.program import MemberTexts, Program
from mentorctl.resolution import fold, language_key

MAX_NAMES = 3


def join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@functools.lru_cache(maxsize=1 << 12)  # a few hundred occupations, in thousands of pairs
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


def shared_points(p: Program, texts: MemberTexts, e: int, m: int,
                  features: dict[str, float]) -> list[SharedPoint]:
    """The shared points of the pair (mentee e, mentor m), given its feature values."""
    points: list[SharedPoint] = []
    if m in p.friends.row(e)[0]:  # they know each other already: not scored, worth saying
        points.append(SharedPoint("friends", "you already know each other"))
    if features["friends"] > 0:
        # Sorted, as np.intersect1d gives it; on lists of a few ids a set is 5x faster.
        mutual = np.array(sorted(set(p.friends.row(e)[0].tolist())
                                 .intersection(p.friends.row(m)[0].tolist())), dtype=np.int64)
        # Closest ties first: a friend with few friends is the stronger link.
        degree = p.friends.row_lengths[mutual]
        names = [p.names[i] for i in mutual[np.lexsort((mutual, degree))]]
        shown = names[:MAX_NAMES] + ([f"{len(names) - MAX_NAMES} more"]
                                     if len(names) > MAX_NAMES else [])
        label = "mutual friend" if len(names) == 1 else "mutual friends"
        points.append(SharedPoint("friends", f"{len(names)} {label}: {join_words(shown)}"))
    if features["school"] > 0:
        names = _shared_schools(p, texts, e, m)
        points.append(SharedPoint("school", f"both studied at {join_words(names)}"))
    if features["location"] > 0:
        points.append(SharedPoint("location", _location_phrase(p, texts, e, m)))
    if p.organization[e] >= 0 and p.organization[e] == p.organization[m]:
        points.append(SharedPoint("organization", f"both at {texts.row(m)['organization'].strip()}"))
    if features["occupation"] > 0:
        points.append(SharedPoint("occupation", _occupation_phrase(p, texts, e, m)))
    if features["interests"] > 0:
        points.append(SharedPoint("interests", ", ".join(_shared_interests(p, texts, e, m))))
    if features["languages"] > 0:
        spoken = join_words(_shared_languages(p, texts, e, m))
        points.append(SharedPoint("languages", f"both speak {spoken}"))
    return points


def _shared_schools(p: Program, texts: MemberTexts, e: int, m: int) -> list[str]:
    mentor_keys = {r.key for t in texts.list_field(m, "schools")
                   if (r := texts.resolution("school", t)) and r.key}
    names: list[str] = []
    for text in texts.list_field(e, "schools"):
        r = texts.resolution("school", text)
        if r and r.key in mentor_keys and r.canonical not in names:
            names.append(r.canonical)
    return names


def _city(p: Program, texts: MemberTexts, i: int) -> str:
    r = texts.resolution("location", texts.row(i)["location"])
    if r is None:
        return texts.row(i)["location"] or ""
    return r.attrs.get("city") or r.canonical.split(",")[0]


def _location_phrase(p: Program, texts: MemberTexts, e: int, m: int) -> str:
    mentee_place = texts.resolution("location", texts.row(e)["location"])
    mentor_place = texts.resolution("location", texts.row(m)["location"])
    a, b = mentee_place.attrs, mentor_place.attrs
    if mentee_place.key == mentor_place.key:
        return f"both in {_city(p, texts, e)}"
    distance = distance_km(float(p.lat[e]), float(p.lon[e]), float(p.lat[m]), float(p.lon[m]))
    reach = max(float(p.settings.rules.nearby_km), p.radius_km[e], p.radius_km[m])
    if not math.isnan(distance) and distance <= reach:
        return f"{_city(p, texts, e)} and {_city(p, texts, m)}, {max(round(float(distance)), 1)} km apart"
    if a.get("region") and a.get("region_code") == b.get("region_code") and \
            a.get("country_code") == b.get("country_code"):
        return f"both in {a['region']}"
    country = a.get("country") or ""
    article = "the " if country in ("United States", "United Kingdom", "Netherlands",
                                    "Philippines", "United Arab Emirates", "Czech Republic") else ""
    return f"both in {article}{country}"


def _occupation_phrase(p: Program, texts: MemberTexts, e: int, m: int) -> str:
    """The deepest level of the SOC hierarchy the two really share, in words."""
    mentee_job = texts.resolution("occupation", texts.row(e)["occupation"])
    mentor_job = texts.resolution("occupation", texts.row(m)["occupation"])
    a, b = mentee_job.attrs, mentor_job.attrs
    if mentee_job.key == mentor_job.key:
        # Two names for one occupation ("Frontend Developer", "Web Developer"): its own name.
        name = mentee_job.canonical if mentee_job.canonical == mentor_job.canonical else \
            _singular_of(a.get("soc_title") or mentee_job.canonical)
        phrase = f"both {plural(name)}"
    else:
        broad = (a.get("family") or {}).get("broad")
        level = "broad" if broad and broad == (b.get("family") or {}).get("broad") else "minor"
        group = (a.get("family_titles") or {}).get(level) or ""
        group = " ".join(w if w.isupper() else w.lower() for w in group.split())
        phrase = (f"both {group or 'in related work'} "
                  f"({mentor_job.canonical.lower()} and {mentee_job.canonical.lower()})")
    mentee_level, mentor_level = a.get("seniority"), b.get("seniority")
    if mentee_level is not None and mentor_level is not None and mentor_level > mentee_level:
        label = b.get("seniority_label")
        phrase += "; the mentor is more senior" + (f" ({label})" if label else "")
    return phrase


def _singular_of(title: str) -> str:
    from mentorctl.occupation_data import singular_title

    return singular_title(title)


# A program's members write a few thousand distinct interests and languages, each met in many
# pairs: their keys are folded once (a plan's shared points folded 300k strings at 100k).
_fold = functools.lru_cache(maxsize=1 << 16)(fold)
_language_key = functools.lru_cache(maxsize=1 << 12)(language_key)


def _shared_interests(p: Program, texts: MemberTexts, e: int, m: int) -> list[str]:
    mentor_keys = {_fold(t) for t in texts.list_field(m, "interests")}
    shared = [t for t in texts.list_field(e, "interests") if _fold(t) in mentor_keys]
    codes = p.interest_codes
    # Rarest first: the shared interest that says the most comes first.
    return sorted(shared, key=lambda t: -float(p.interest_idf[codes[_fold(t)]]))


def _shared_languages(p: Program, texts: MemberTexts, e: int, m: int) -> list[str]:
    mentor_keys = {_language_key(t) for t in texts.list_field(m, "languages")}
    return [t for t in texts.list_field(e, "languages") if _language_key(t) in mentor_keys]
