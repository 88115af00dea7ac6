"""Place (city) normalization: free text from a sign-up form -> a GeoNames city or a metro area.

    >>> [r.canonical for r in resolve_places(["SF", "Portland, ME"])]
    ['San Francisco, California, United States', 'Portland, Maine, United States']

Pipeline, per distinct input (inputs are deduplicated first):

1. program aliases (coordinator-set, matched by fold()) win over everything;
2. exact lookups of the whole text: curated abbreviations (data/place_aliases.yaml), metro
   areas (data/metros.yaml), city names and GeoNames alternate names (data/places.tsv.gz);
3. rules: split on , ; / ( ) and " - ", drop noise ("Remote - based in", "near", "area", ...),
   find the city part (also "Portland OR", "Austin Texas USA" without commas), read the other
   parts as qualifiers (country names/ISO codes/common forms, US state codes, region names and
   curated region codes) and keep only candidates consistent with every recognized qualifier;
4. batched fuzzy fallback: rapidfuzz.process.cdist over the DISTINCT still-unknown city parts
   against city names (grouped by first letter), accepted only with a high score and a margin
   over the next distinct name (or a 10x larger city among near-equal scores);
5. otherwise unresolved.

Ranking among same-name candidates: a city whose primary name matched beats one that matched
only by an alternate name unless the latter is 50x larger; then the largest population wins
(London -> London UK, Portland -> Portland OR).

Ambiguity: when the text also names another place that fits its qualifiers, lies >= 100 km
away and has >= 1/5 of the chosen city's population (a city by its primary name or a short form
of it - "Newcastle" of Newcastle upon Tyne, not "Philadelphia" of Amman; a country or region by
the sum of its cities), the chosen city stays canonical but attrs say "ambiguous": True and list
"alternatives" (<= 5 canonical names), score <= 70: "Washington" -> DC (or the state), "Georgia"
-> the country (or the US state; score 50). "Washington, DC" and "London" (Ontario is 1/21)
stay confident. Curated and program aliases are decisions: never ambiguous.

Policy for contradictions: a recognized qualifier that fits none of the candidates ("Paris,
Germany") gives an UNRESOLVED result - never the wrong city and not the country, so that a
coordinator reviews it. Unrecognized qualifiers ("Springfield, Greene County") are ignored at a
lower score. Inputs that name only a country or region ("USA", "Remote (UK)", "California")
resolve to a coarse entry "place:country:<CC>" / "place:region:<CC>-<code>" (method "rule",
no coordinates). Bare 2-letter codes resolve only through curated aliases ("SF", "LA", "DC").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mentorctl.geo import distance_km
from mentorctl.place_data import Area, norm, place_data, slug, within
from mentorctl.resolution import Resolution, fold, unresolved

ALT_OVERRIDE_FACTOR = 50  # an alternate-name match beats a primary-name match if 50x larger
FUZZY_CUTOFF_LONG = 85  # fuzz.ratio cutoff for queries of >= 7 characters
FUZZY_CUTOFF_SHORT = 90  # ... and for shorter ones (4-6 characters)
FUZZY_MARGIN = 4  # best distinct name must beat the runner-up by this much, or
FUZZY_POP_FACTOR = 10  # ... be this many times larger than the runner-up
FUZZY_MIN_LEN = 4
AMBIGUOUS_SHARE = 0.2  # ambiguity, see the module docstring: another place of >= 1/5 the
AMBIGUOUS_MIN_KM = 100  # ... population at least this far away
AMBIGUOUS_MAX_SCORE = 70  # an ambiguous city scores at most this; an ambiguous area AREA - 10
AREA_SCORE = 60.0
MAX_ALTERNATIVES = 5

_SPLIT = re.compile(
    r"\s*(?:[,;/|()\[\]{}]|\s[-\u2013\u2014]+\s|\s[-\u2013\u2014]+|[\u2013\u2014])\s*"
)
_LEAD_NOISE = frozenset(
    [
        "remote", "remotely", "hybrid", "fully", "currently", "presently", "now", "mostly",
        "primarily", "based", "located", "living", "live", "lives", "residing", "reside",
        "working", "work", "works", "wfh", "in", "from", "near", "nearby", "around", "outside",
        "just", "close", "to", "greater", "metro", "downtown", "central", "suburbs", "suburb",
        "suburban", "of", "at", "i", "am", "im", "m", "the", "city", "area", "anywhere",
        "worldwide", "global", "online", "virtual", "onsite", "office", "home", "usually",
        "sometimes", "moving", "relocating", "relocate", "soon", "open"
    ]
)
_TRAIL_NOISE = frozenset(
    [
        "area", "areas", "metro", "metropolitan", "region", "metroplex", "suburbs", "suburb",
        "vicinity", "surroundings", "surrounding", "and", "nearby", "based", "remote",
        "remotely", "hybrid", "only", "downtown", "proper", "outskirts", "environs"
    ]
)

_JUNK = frozenset(
    ["n a", "na", "none", "null", "nil", "tbd", "tba", "unknown", "various", "multiple", "other",
     "not applicable", "prefer not to say", "anywhere", "everywhere", "remote", "earth", "world",
     "global", "worldwide", "test", "xxx", "no", "yes", "home", "nowhere"]
)


# --------------------------------------------------------------------------------------------
# building results


def _decided(attrs: dict[str, Any]) -> dict[str, Any]:
    """The attrs of an alias's target without its ambiguity: an alias is a decision."""
    return {k: v for k, v in attrs.items() if k not in ("ambiguous", "alternatives")}


def _city_result(text: str, i: int, score: float, method: str,
                 alternatives: list[str] | None = None) -> Resolution:
    d = place_data()
    attrs = {
        "city": d.name[i], "region": d.regions.get((d.cc[i], d.admin1[i])),
        "region_code": d.admin1[i] or None, "country": d.country_name(d.cc[i]),
        "country_code": d.cc[i], "lat": d.lat[i], "lon": d.lon[i], "population": d.pop[i],
    }
    if alternatives:
        attrs.update(ambiguous=True, alternatives=alternatives)
    return Resolution(text, d.city_name(i), f"place:{d.gid[i]}", round(score, 1), method, attrs)


def _metro_result(text: str, metro: dict[str, Any], score: float, method: str) -> Resolution:
    country = place_data().country_name(metro["country"])
    canonical = ", ".join(x for x in (metro["name"], metro.get("region"), country) if x)
    attrs = {
        "city": None, "metro": metro["name"], "region": metro.get("region"),
        "region_code": metro.get("region_code"), "country": country,
        "country_code": metro["country"], "lat": float(metro["lat"]), "lon": float(metro["lon"]),
        "population": None, "radius_km": float(metro["radius_km"]),
    }
    return Resolution(text, canonical, f"place:metro:{metro['slug']}", score, method, attrs)


def _area_result(text: str, cc: str, code: str | None,
                 alternatives: list[str] | None = None) -> Resolution:
    d = place_data()
    key = f"place:region:{cc}-{code}" if code else f"place:country:{cc}"
    attrs = {
        "city": None, "region": d.regions.get((cc, code)) if code else None, "region_code": code,
        "country": d.country_name(cc), "country_code": cc, "lat": None, "lon": None,
        "population": None,
    }
    if alternatives:  # "Georgia": a country and a US state
        attrs.update(ambiguous=True, alternatives=alternatives)
    return Resolution(text, d.area_name(cc, code), key, AREA_SCORE - 10 * bool(alternatives),
                      "rule", attrs)


def _fits(cc: str, admin1: str | None, qual: set[tuple[str, str | None]]) -> bool:
    return any(cc == qcc and (qcode is None or qcode == admin1) for qcc, qcode in qual)


def _pick(cands: list[tuple[int, bool]], quals: list[set[tuple[str, str | None]]]
          ) -> tuple[int, list[tuple[int, bool]]] | None:
    """Best candidate consistent with every qualifier, and all the consistent candidates."""
    d = place_data()
    ok = [(i, p) for i, p in cands if all(_fits(d.cc[i], d.admin1[i], q) for q in quals)]
    if not ok:
        return None
    best_p = max((i for i, p in ok if p), key=d.pop.__getitem__, default=None)
    best_a = max((i for i, p in ok if not p), key=d.pop.__getitem__, default=None)
    if best_a is None or best_p is not None and \
            d.pop[best_a] < ALT_OVERRIDE_FACTOR * max(d.pop[best_p], 1):
        return best_p, ok
    return best_a, ok


# --------------------------------------------------------------------------------------------
# ambiguity (module docstring)


def _city_alternatives(main: str, best: int, ok: list[tuple[int, bool]],
                       quals: list[set[tuple[str, str | None]]]) -> list[str]:
    """Other well-known places the text may mean besides city row `best` (module docstring)."""
    d = place_data()
    floor = AMBIGUOUS_SHARE * d.pop[best]
    cities = []
    for j, primary in sorted(ok, key=lambda c: -d.pop[c[0]]):
        # an alternate name counts as a short form of the primary name ("Newcastle" of
        # "Newcastle upon Tyne"), not as an old or foreign name ("Philadelphia" of Amman)
        if j != best and d.pop[j] >= floor and (
                primary or f" {main} " in f" {norm(d.name[j])} ") and \
                distance_km(d.lat[best], d.lon[best], d.lat[j], d.lon[j]) >= AMBIGUOUS_MIN_KM:
            cities.append(j)
    areas = [a for a in d.named_areas(main)
             if d.area_pop(a) >= floor and all(_fits(*a, q) for q in quals)
             # "Valencia": the Spanish city is listed, not also its region
             and not any(within(d.cc[j], d.admin1[j], a) for j in cities)
             and d.area_km(a, best) >= AMBIGUOUS_MIN_KM]
    names = dict.fromkeys([d.area_name(*a) for a in areas] + [d.city_name(j) for j in cities])
    return [n for n in names if n != d.city_name(best)][:MAX_ALTERNATIVES]  # not a namesake


def _area_alternatives(parts: list[str], chosen: Area) -> list[str]:
    """Other countries/regions a bare area name names ('Georgia': the US state)."""
    d = place_data()
    floor = AMBIGUOUS_SHARE * d.area_pop(chosen)
    return [d.area_name(*a) for a in (d.named_areas(parts[0]) if len(parts) == 1 else ())
            if not within(*a, chosen) and not within(*chosen, a) and d.area_pop(a) >= floor
            ][:MAX_ALTERNATIVES]


# --------------------------------------------------------------------------------------------
# parsing


@dataclass
class _Parsed:
    text: str
    main: str | None = None  # the city / alias / metro part (normalized)
    quals: list[str] = field(default_factory=list)  # qualifier parts (normalized)
    noisy: bool = False


def _strip_noise(part: str) -> str:
    tokens = part.split()
    while tokens and tokens[0] in _LEAD_NOISE:
        tokens.pop(0)
    while tokens and tokens[-1] in _TRAIL_NOISE:
        tokens.pop()
    return " ".join(tokens)


def _known(part: str) -> bool:
    d = place_data()
    return part in d.aliases or part in d.metros or (len(part) >= 3 and part in d.names)


def _split_inline(part: str, depth: int = 0) -> tuple[str, list[str]] | None:
    """'portland or' -> ('portland', ['or']); 'austin texas usa' -> ('austin', ['texas', 'usa'])."""
    d = place_data()
    tokens = part.split()
    for k in (3, 2, 1):
        if len(tokens) <= k:
            continue
        suffix = " ".join(tokens[-k:])
        if suffix not in d.quals:
            continue
        prefix = " ".join(tokens[:-k])
        if _known(prefix):
            return prefix, [suffix]
        if depth < 2:
            inner = _split_inline(prefix, depth + 1)
            if inner:
                return inner[0], [*inner[1], suffix]
    return None


def _greedy_split(part: str) -> tuple[str, list[str]]:
    """For fuzzy queries: peel known qualifiers off the end ('san fransisco ca')."""
    d = place_data()
    tokens = part.split()
    quals: list[str] = []
    while len(tokens) > 1:
        for k in (3, 2, 1):
            if len(tokens) > k and " ".join(tokens[-k:]) in d.quals:
                quals.insert(0, " ".join(tokens[-k:]))
                tokens = tokens[:-k]
                break
        else:
            break
    return " ".join(tokens), quals


def _parse(text: str) -> _Parsed:
    d = place_data()
    parsed = _Parsed(text)
    whole = norm(text)
    if whole in _JUNK:
        return parsed
    if _known(whole) and not (
        (whole in d.countries_by_name or whole in d.regions_by_name) and not _is_city_like(whole)
    ):  # "Frankfurt (Oder)", "Washington, D.C." as a whole name
        parsed.main = whole
        return parsed
    parts = []
    for raw in _SPLIT.split(text):
        part = " ".join(t for t in norm(raw).split() if not t.isdigit())  # drop postal codes
        if not part:
            continue
        if not (_known(part) or part in d.quals):
            stripped = _strip_noise(part)
            if stripped != part:
                parsed.noisy = True
                part = stripped
        if part:
            parts.append(part)
    for n, part in enumerate(parts):
        area = part in d.countries_by_name or part in d.regions_by_name or (
            n > 0 and part in d.quals)
        if _known(part) and not (area and not _is_city_like(part)):
            parsed.main = part
            parsed.quals = parts[:n] + parts[n + 1:]
            return parsed
        split = _split_inline(part)
        if split:
            parsed.main = split[0]
            parsed.quals = parts[:n] + split[1] + parts[n + 1:]
            return parsed
    parsed.quals = parts
    return parsed


def _is_city_like(part: str) -> bool:
    """A part that is both a qualifier and a name ('new york', 'quebec'): a city if sizeable."""
    d = place_data()
    alt_floor = None if part in d.countries_by_name else 1_000_000
    return any(d.pop[i] >= 100_000 if primary else alt_floor and d.pop[i] >= alt_floor
               for i, primary in d.cands(part))


# --------------------------------------------------------------------------------------------
# resolution


@functools.cache
def _alias_target(norm_alias: str) -> Resolution | None:
    target = place_data().aliases[norm_alias]
    res = _resolve_parsed(_parse(target), target, fuzzy_hits={}, use_aliases=False)
    return res if res.resolved else None


def _area_only(text: str, parts: list[str]) -> Resolution | None:
    """Inputs naming only a country and/or region ('USA', 'Bavaria, Germany')."""
    d = place_data()
    if not parts or any(p not in d.countries_by_name and p not in d.regions_by_name
                        for p in parts if len(p) > 3 or p not in d.quals):
        return None
    sets = [d.quals[p] for p in parts if p in d.quals]
    if not sets:
        return None
    # a country named by a full name/curated alias (not a bare 2-letter code) wins
    named = {p: d.countries_by_name[p] for p in parts if p in d.countries_by_name}
    regions, region_parts = [], set()
    for p in parts:
        for cc, code in d.regions_by_name.get(p, []):
            # "Mexico" is a country before it is a Mexican state, unless another part says so
            if p in named and not any(named[q] == cc for q in named if q != p):
                continue
            if all(_fits(cc, code, s) for s in sets):
                regions.append((cc, code))
                region_parts.add(p)
    countries = {cc for p, cc in named.items() if p not in region_parts}
    chosen: Area | None = None
    if len(regions) == 1 and (not countries or regions[0][0] in countries):
        chosen = regions[0]
    elif len(countries) == 1:
        cc = next(iter(countries))
        if all(_fits(cc, None, {(c, None) for c, _ in s}) for s in sets):
            chosen = (cc, None)
    return None if chosen is None else _area_result(text, *chosen, _area_alternatives(parts, chosen))


def _consistent(res: Resolution, quals: list[set[tuple[str, str | None]]]) -> bool:
    cc, code = res.attrs.get("country_code"), res.attrs.get("region_code")
    return all(_fits(cc, code, q) or any(qc == cc and code is None for qc, _ in q) for q in quals)


def _resolve_parsed(
    parsed: _Parsed, text: str, fuzzy_hits: Mapping[str, str], use_aliases: bool = True
) -> Resolution:
    d = place_data()
    whole = norm(text)
    main = parsed.main
    fuzzy = False
    quals_parts = parsed.quals
    if main is None:
        area = _area_only(text, parsed.quals)
        if area is not None:
            return area
        candidates = [p for p in parsed.quals if p not in d.quals]
        if not candidates:
            return unresolved(text)
        query, extra = _greedy_split(candidates[0])
        main = fuzzy_hits.get(query)
        if main is None:
            return unresolved(text)
        fuzzy = True
        quals_parts = [p for p in parsed.quals if p != candidates[0]] + extra
    quals = [d.quals[q] for q in quals_parts if q in d.quals]
    rule = bool(quals_parts) or parsed.noisy or main != whole
    penalty = 10.0 * (len(quals_parts) - len(quals))  # unrecognized qualifiers

    if use_aliases and not fuzzy and main in d.aliases:
        target = _alias_target(main)
        if target is not None and _consistent(target, quals):
            method = "rule" if rule else "alias"
            return Resolution(text, target.canonical, target.key, 95.0 - 5 * rule - penalty,
                              method, _decided(target.attrs))
    if not fuzzy and main in d.metros:
        metro = d.metros[main]
        res = _metro_result(text, metro, 95.0 - 5 * rule - penalty, "rule" if rule else "alias")
        if _consistent(res, quals):
            return res
    cands = d.cands(main)
    if not cands:
        return unresolved(text)
    picked = _pick(cands, quals)
    if picked is None:  # qualifier contradicts every candidate: see module docstring
        area = None if fuzzy else _area_only(text, [main, *quals_parts])
        return area if area is not None else unresolved(text)
    i, ok = picked
    primary = any(j == i and p for j, p in cands)
    if fuzzy:
        method, score = "fuzzy", 80.0
    elif rule:
        method, score = "rule", 90.0
    elif primary:
        method, score = "exact", 100.0
    else:
        method, score = "alias", 95.0
    alternatives = _city_alternatives(main, i, ok, quals)
    if alternatives:
        score = min(score, AMBIGUOUS_MAX_SCORE)
    res = _city_result(text, i, score - penalty, method, alternatives)
    if method == "rule" and not alternatives and fold(text) == fold(res.canonical or ""):
        res = _city_result(text, i, 100.0, "exact")
    return res


def _fuzzy_lookup(queries: list[str]) -> dict[str, str]:
    """Map each distinct query to a known city name (normalized), batched with cdist."""
    if not queries:
        return {}
    import numpy as np
    from rapidfuzz import fuzz, process

    choices_by_letter, pops_by_letter = place_data().fuzzy_choices(FUZZY_MIN_LEN)
    by_letter: dict[str, list[str]] = {}
    for q in queries:
        by_letter.setdefault(q[0], []).append(q)
    out: dict[str, str] = {}
    for letter, group in by_letter.items():
        choices = choices_by_letter.get(letter)
        if not choices:
            continue
        pops = pops_by_letter[letter]
        for start in range(0, len(group), 2000):
            chunk = group[start:start + 2000]
            scores = process.cdist(chunk, choices, scorer=fuzz.ratio, dtype=np.uint8,
                                   score_cutoff=FUZZY_CUTOFF_LONG, workers=-1)
            if len(choices) >= 2:
                top2 = np.argpartition(-scores.astype(np.int16), 1, axis=1)[:, :2]
            else:
                top2 = np.zeros((len(chunk), 2), dtype=np.int64)
            for row, q in enumerate(chunk):
                a, b = top2[row]
                if scores[row, b] > scores[row, a]:
                    a, b = b, a
                s1 = int(scores[row, a])
                s2 = int(scores[row, b]) if b != a else 0
                cutoff = FUZZY_CUTOFF_LONG if len(q) >= 7 else FUZZY_CUTOFF_SHORT
                if s1 < cutoff:
                    continue
                if s1 - s2 >= FUZZY_MARGIN or pops[a] >= FUZZY_POP_FACTOR * max(pops[b], 1):
                    out[q] = choices[a]
                elif s2 >= cutoff and pops[b] >= FUZZY_POP_FACTOR * max(pops[a], 1):
                    out[q] = choices[b]
    return out


def resolve_places(
    texts: Sequence[str], aliases: Mapping[str, str] | None = None
) -> list[Resolution]:
    """Resolve each text to a city, metro area, region/country, or unresolved (order kept)."""
    d = place_data()
    program = {fold(k): v for k, v in (aliases or {}).items() if fold(k)}
    distinct = list(dict.fromkeys(t if isinstance(t, str) else "" for t in texts))
    results: dict[str, Resolution] = {}
    parsed: dict[str, _Parsed] = {}
    for text in distinct:
        if not text.strip():
            results[text] = unresolved(text)
        elif fold(text) in program:
            continue
        else:
            parsed[text] = _parse(text)
    # batched fuzzy fallback over distinct unknown city strings
    queries = set()
    for p in parsed.values():
        if p.main is None and _area_only(p.text, p.quals) is None:
            cands = [q for q in p.quals if q not in d.quals]
            if cands:
                query = _greedy_split(cands[0])[0]
                if len(query) >= FUZZY_MIN_LEN and any(c.isalpha() for c in query):
                    queries.add(query)
    hits = _fuzzy_lookup(sorted(queries))
    for text, p in parsed.items():
        results[text] = _resolve_parsed(p, text, hits)
    # program aliases: target through the shipped pipeline, else a program entry
    targets = [t for t in distinct if t.strip() and fold(t) in program]
    if targets:
        wanted = list(dict.fromkeys(program[fold(t)] for t in targets))
        shipped = dict(zip(wanted, resolve_places(wanted), strict=True))
        for text in targets:
            target = program[fold(text)]
            base = shipped[target]
            if base.resolved:
                results[text] = Resolution(text, base.canonical, base.key, 100.0,
                                           "program-alias", _decided(base.attrs))
            else:
                attrs = {"city": target, "region": None, "region_code": None, "country": None,
                         "country_code": None, "lat": None, "lon": None, "population": None}
                results[text] = Resolution(text, target, f"place:program:{slug(target)}",
                                           100.0, "program-alias", attrs)
    return [results[t if isinstance(t, str) else ""] for t in texts]

