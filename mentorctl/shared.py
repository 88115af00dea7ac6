"""The shared points of a pair, in words a coordinator would write.

Each phrase comes from the same facts the score uses (see match.pair_features): a point is listed
only when its feature is above zero, so the explanation and the score never disagree.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import math
import operator
from typing import Any

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
    words = texts.wording  # kept for the call's next pairs (suggest words several, suggest_all more)
    if words is None or words.p is not p:
        words = texts.wording = _Words(p, texts)
    knows = m in p.friends.row(e)[0]
    same_organization = p.organization[e] >= 0 and p.organization[e] == p.organization[m]
    return list(_pair_points(words, e, m, knows, same_organization,
                             *(features[name] > 0 for name in _WORDED)))


def shared_points_for(p: Program, texts: MemberTexts, e: np.ndarray, m: np.ndarray,
                      features: dict[str, np.ndarray]) -> list[tuple[SharedPoint, ...]]:
    """The shared points of every pair (mentee e[k], mentor m[k]) given the arrays of its feature
    values (`match.pair_features`): the same as `shared_points` pair by pair, with each member's
    words worked out once and the decisions taken on whole arrays (a plan's 62k pairs at 100k)."""
    e, m = np.asarray(e, dtype=np.int64), np.asarray(m, dtype=np.int64)
    if len(e) == 0:
        return []
    # Whole columns once the pairs name more members than MemberTexts reads row by row.
    bulk = len(e) > texts.EAGER_AFTER or len(np.unique(np.r_[e, m])) > texts.EAGER_AFTER
    pair_keys = e * np.int64(p.friends.shape[1]) + m  # friends.entry_keys are sorted
    found = np.minimum(np.searchsorted(p.friends.entry_keys, pair_keys), p.friends.nnz - 1)
    knows = (p.friends.entry_keys[found] == pair_keys) if p.friends.nnz else \
        np.zeros(len(e), dtype=bool)
    same_organization = (p.organization[e] >= 0) & (p.organization[e] == p.organization[m])
    decisions = [knows, same_organization, *(features[name] > 0 for name in _WORDED)]
    with _collector_paused():
        words = _Words(p, texts, bulk=bulk)
        return [_pair_points(words, *pair) for pair in
                zip(e.tolist(), m.tolist(), *(d.tolist() for d in decisions), strict=True)]


@contextlib.contextmanager
def _collector_paused():
    """Python's cycle collector off while a plan's points are built: they and the words behind
    them are hundreds of thousands of objects kept, with no cycles among them, and the collections
    they set off walk the heap again and again (the resolver's reference data too): half the time
    at 100k. On the way out they join the oldest generation directly (freeze, unfreeze), where
    they would end anyway, rather than all be walked at once by the first young collection.
    The switch is the process's: another thread's garbage waits the few seconds too."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:  # nobody else froze objects: unfreeze moves only ours
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


_WORDED = ("friends", "school", "location", "occupation", "interests", "languages")


def _pair_points(w: _Words, e: int, m: int, knows: bool, same_organization: bool, friends: bool,
                 school: bool, location: bool, occupation: bool, interests: bool,
                 languages: bool) -> tuple[SharedPoint, ...]:
    """The wording of one pair's points, from whether each applies (a feature above zero)."""
    points: list[SharedPoint] = []
    if knows:  # they know each other already: not scored, worth saying
        points.append(_KNOWN)
    if friends:
        names = w.mutual_friends(e, m)
        shown = names[:MAX_NAMES] + ([f"{len(names) - MAX_NAMES} more"]
                                     if len(names) > MAX_NAMES else [])
        label = "mutual friend" if len(names) == 1 else "mutual friends"
        points.append(SharedPoint("friends", f"{len(names)} {label}: {join_words(shown)}"))
    if school:
        points.append(w.schools_point(e, m))
    if location:
        points.append(w.location_point(e, m))
    if same_organization:
        points.append(SharedPoint("organization", f"both at {w.organization(m)}"))
    if occupation:
        points.append(w.occupation_point(e, m))
    if interests:
        points.append(SharedPoint("interests", ", ".join(w.shared_interests(e, m))))
    if languages:
        points.append(w.languages_point(e, m))
    return tuple(points)


_KNOWN = SharedPoint("friends", "you already know each other")


_ARTICLE_COUNTRIES = ("United States", "United Kingdom", "Netherlands", "Philippines",
                      "United Arab Emirates", "Czech Republic")


class _Words:
    """Members' words as shared points quote them, each worked out once per text (a member is in
    many of a plan's pairs, and many write the same: "English", one city, one school): resolved
    schools and places, folded interests, language keys. Reads `texts` row by row, or (`bulk`,
    a plan) whole columns in one query."""

    def __init__(self, p: Program, texts: MemberTexts, bulk: bool = False):
        self.p, self.texts = p, texts
        if bulk:
            columns = texts.columns("occupation", "schools", "location", "interests",
                                    "languages", "organization")
            # Python floats (the same values) instead of numpy scalars, pair after pair.
            self.lat, self.lon, self.radius = (p.lat.tolist(), p.lon.tolist(),
                                               p.radius_km.tolist())
            self._idf = p.interest_idf.tolist()
        else:
            columns = {name: _RowField(texts, name) for name in (
                "occupation", "schools", "location", "interests", "languages", "organization")}
            self.lat, self.lon, self.radius, self._idf = p.lat, p.lon, p.radius_km, p.interest_idf
        self.occupations, self.schools, self.locations = (
            columns["occupation"], columns["schools"], columns["location"])
        self.interests, self.languages, self.organizations = (
            columns["interests"], columns["languages"], columns["organization"])
        # The list fields' distinct texts decoded in one json.loads call each (bulk only).
        self._decoded = {name: _decode_distinct(columns[name]) if bulk else {}
                         for name in ("schools", "interests", "languages")}
        # What each text resolves or folds to, and the points of pairs of texts (one object for
        # many pairs: points are immutable, and fewer objects are less for Python to track).
        self._friends: dict[int, list[int]] = {}
        self._school_sets: dict[str, tuple[list[tuple[str | None, str | None]], set[str]]] = {}
        self._places: dict[str | None, Any] = {}
        self._cities: dict[str | None, str] = {}
        self._interest_sets: dict[str, tuple[list[tuple[str, str, float | None]], set[str]]] = {}
        self._language_sets: dict[str, tuple[list[tuple[str, str]], set[str]]] = {}
        self._school_phrases: dict[tuple[str, str], SharedPoint] = {}
        self._job_phrases: dict[tuple[str, str], SharedPoint] = {}
        self._language_phrases: dict[tuple[str, str], SharedPoint] = {}
        self._location_points: dict[str, SharedPoint] = {}

    def _list(self, name: str, text: str) -> list[str]:
        found = self._decoded[name].get(text)
        return json.loads(text) if found is None else found

    def _friends_of(self, i: int) -> list[int]:
        found = self._friends.get(i)
        if found is None:
            found = self._friends[i] = self.p.friends.row(i)[0].tolist()
        return found

    def mutual_friends(self, e: int, m: int) -> list[str]:
        """Names of the friends both have, closest ties first: a friend with few friends is the
        stronger link (then by position, as np.lexsort gave it)."""
        degree = self.p.friends.row_lengths
        mutual = sorted(set(self._friends_of(e)).intersection(self._friends_of(m)),
                        key=lambda i: (int(degree[i]), i))
        return [self.p.names[i] for i in mutual]

    def _schools_of(self, text: str) -> tuple[list[tuple[str | None, str | None]], set[str]]:
        """(key, name) of each school written that resolved, and the set of the keys."""
        found = self._school_sets.get(text)
        if found is None:
            resolve = self.texts.resolution
            resolved = [r for t in self._list("schools", text)
                        if (r := resolve("school", t)) is not None]
            found = self._school_sets[text] = ([(r.key, r.canonical) for r in resolved],
                                               {r.key for r in resolved if r.key})
        return found

    def schools_point(self, e: int, m: int) -> SharedPoint:
        texts = (self.schools[e], self.schools[m])
        found = self._school_phrases.get(texts)
        if found is None:
            mentor_keys = self._schools_of(texts[1])[1]
            names: list[str] = []
            for key, canonical in self._schools_of(texts[0])[0]:
                if key in mentor_keys and canonical not in names:
                    names.append(canonical)
            found = self._school_phrases[texts] = SharedPoint(
                "school", f"both studied at {join_words(names)}")
        return found

    def _place(self, text: str | None):
        try:
            return self._places[text]
        except KeyError:
            found = self._places[text] = self.texts.resolution("location", text)
            return found

    def _city(self, text: str | None) -> str:
        found = self._cities.get(text)
        if found is None:
            r = self._place(text)
            found = self._cities[text] = (text or "") if r is None else \
                r.attrs.get("city") or r.canonical.split(",")[0]
        return found

    def location_point(self, e: int, m: int) -> SharedPoint:
        """One point object per phrase: many pairs share one (points are immutable)."""
        text = self._location_phrase(e, m)
        found = self._location_points.get(text)
        if found is None:
            found = self._location_points[text] = SharedPoint("location", text)
        return found

    def _location_phrase(self, e: int, m: int) -> str:
        mentee_text, mentor_text = self.locations[e], self.locations[m]
        mentee_place, mentor_place = self._place(mentee_text), self._place(mentor_text)
        a, b = mentee_place.attrs, mentor_place.attrs
        if mentee_place.key == mentor_place.key:
            return f"both in {self._city(mentee_text)}"
        distance = distance_km(float(self.lat[e]), float(self.lon[e]), float(self.lat[m]),
                               float(self.lon[m]))
        reach = max(float(self.p.settings.rules.nearby_km), self.radius[e], self.radius[m])
        if not math.isnan(distance) and distance <= reach:
            return (f"{self._city(mentee_text)} and {self._city(mentor_text)}, "
                    f"{max(round(float(distance)), 1)} km apart")
        if a.get("region") and a.get("region_code") == b.get("region_code") and \
                a.get("country_code") == b.get("country_code"):
            return f"both in {a['region']}"
        country = a.get("country") or ""
        return f"both in {'the ' if country in _ARTICLE_COUNTRIES else ''}{country}"

    def organization(self, i: int) -> str:
        return self.organizations[i].strip()

    def occupation_point(self, e: int, m: int) -> SharedPoint:
        """The deepest level of the SOC hierarchy the two really share, in words (once per pair
        of occupation texts: a program has a few hundred occupations)."""
        texts = (self.occupations[e], self.occupations[m])
        found = self._job_phrases.get(texts)
        if found is None:
            resolve = self.texts.resolution
            found = self._job_phrases[texts] = SharedPoint("occupation", _occupation_phrase(
                resolve("occupation", texts[0]), resolve("occupation", texts[1])))
        return found

    def _interests_of(self, text: str) -> tuple[list[tuple[str, str, float | None]], set[str]]:
        """(text, folded, minus its idf) of each interest as written, and the folded set."""
        found = self._interest_sets.get(text)
        if found is None:
            codes, idf = self.p.interest_codes, self._idf
            own = [(t, f, -float(idf[codes[f]]) if f in codes else None)
                   for t in self._list("interests", text) for f in (_fold(t),)]
            found = self._interest_sets[text] = (own, {f for _, f, _ in own})
        return found

    def shared_interests(self, e: int, m: int) -> list[str]:
        mentor_keys = self._interests_of(self.interests[m])[1]
        shared = [x for x in self._interests_of(self.interests[e])[0] if x[1] in mentor_keys]
        missing = [f for _, f, weight in shared if weight is None]
        if missing:
            raise KeyError(missing[0])  # no such interest column (as a lookup of it would say)
        # Rarest first: the shared interest that says the most comes first (a stable sort).
        return [t for t, _, _ in sorted(shared, key=operator.itemgetter(2))]

    def _languages_of(self, text: str) -> tuple[list[tuple[str, str]], set[str]]:
        found = self._language_sets.get(text)
        if found is None:
            own = [(t, _language_key(t)) for t in self._list("languages", text)]
            found = self._language_sets[text] = (own, {k for _, k in own})
        return found

    def languages_point(self, e: int, m: int) -> SharedPoint:
        """Once per pair of the two members' language lists (a few thousand lists at 100k)."""
        texts = (self.languages[e], self.languages[m])
        found = self._language_phrases.get(texts)
        if found is None:
            mentor_keys = self._languages_of(texts[1])[1]
            spoken = [t for t, k in self._languages_of(texts[0])[0] if k in mentor_keys]
            found = self._language_phrases[texts] = SharedPoint(
                "languages", f"both speak {join_words(spoken)}")
        return found


class _RowField:
    """One field of members read row by row, indexed by position like a whole column."""

    __slots__ = ("name", "texts")

    def __init__(self, texts: MemberTexts, name: str):
        self.texts, self.name = texts, name

    def __getitem__(self, i: int):
        return self.texts.row(i)[self.name]


def _decode_distinct(column: list[str]) -> dict[str, list[str]]:
    """Each distinct JSON text of a column, decoded (empty if one is malformed: then each text is
    decoded as it is met, and the malformed one fails there, as it would alone)."""
    distinct = list(dict.fromkeys(column))
    try:
        values = json.loads("[" + ",".join(distinct) + "]")
    except (TypeError, ValueError):
        return {}
    return dict(zip(distinct, values, strict=True)) if len(values) == len(distinct) else {}


def _occupation_phrase(mentee_job, mentor_job) -> str:
    from mentorctl.occupation_data import title_bound

    a, b = mentee_job.attrs, mentor_job.attrs
    unlike = title_bound(a) or title_bound(b)  # an "All Other" code or a guess: one title
    same_title = mentee_job.canonical == mentor_job.canonical
    if mentee_job.key == mentor_job.key and (same_title or not unlike):
        # Two names for one occupation ("Frontend Developer", "Web Developer"): its own name.
        name = mentee_job.canonical if same_title else \
            _singular_of(a.get("soc_title") or mentee_job.canonical)
        phrase = f"both {plural(name)}"
    else:
        broad = None if unlike else (a.get("family") or {}).get("broad")
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
