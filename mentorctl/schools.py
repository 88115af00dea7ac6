"""School (university / college) normalization: free text -> canonical institution.

    >>> [r.canonical for r in resolve_schools(["M.I.T.", "BS in CS from UC-Berkeley '12"])]
    ['Massachusetts Institute of Technology', 'University of California, Berkeley']

An entry is one institution keyed by its main web domain (`school:mit.edu`; all its domains in
`attrs["domains"]`). Per distinct input: program aliases -> clean (byte-order marks, degrees,
class years, asides) -> curated alias -> exact name -> rules -> acronyms -> the same without a
trailing place, aside or inner school -> each comma segment -> guarded fuzzy match -> unresolved.
A key that names several institutions ("OSU") stays unresolved unless a place beside it or a
curated alias picks one. Data: mentorctl/data/ (see README.md there).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import namedtuple
from collections.abc import Mapping, Sequence
from functools import lru_cache

from rapidfuzz.distance import OSA, Levenshtein

from mentorctl.resolution import Resolution, fold, unresolved

# The table and its indexes, precomputed at build time with the key functions below (see there)
from mentorctl.school_data import Data as _Data
from mentorctl.school_data import Hit
from mentorctl.school_data import More as _More
from mentorctl.school_data import data as _data
from mentorctl.school_data import entry_domains as _entry_domains
from mentorctl.school_data import fuzzy_candidates as _fuzzy_candidates
from mentorctl.school_data import fuzzy_index as _fuzzy_index
from mentorctl.school_data import load_yaml as _load_yaml
from mentorctl.school_data import locations as _locations
from mentorctl.school_data import more as _more

__all__ = ["resolve_schools"]

FUZZY_CUTOFF = 85  # rapidfuzz ratio on the normalized key, before the guard
FUZZY_MARGIN = 3  # best guarded candidate must beat the next one by this much


def _any_of(words: list[str]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


_W = _load_yaml("school_words.yaml")  # the word lists (see the file)
STRUCTURAL = frozenset(_W["structural"])
_INSTITUTION = STRUCTURAL | frozenset(_W["institution"])
_ACR_STOP, _DROP = frozenset(_W["acronym_stop"]), frozenset(_W["drop"])
_ABBREV: dict[str, str] = _W["abbreviations"]
_PREFIX: dict[str, list[str]] = _W["prefixes"]
_SPELL = {c: [w for w in _W["spellcheck"] if w[0] == c] for c in {w[0] for w in _W["spellcheck"]}}
_DEGREE, _DEGREE_WORDS = _any_of(_W["degrees"]), frozenset(w for d in _W["degrees"] for w in d.split())
_LEAD_DEGREE = re.compile(rf"^(?:{_DEGREE}\b\s*)+(?:(?:in|of)\b.*?\b(?:from|at)\b|from\b|at\b)?\s*")
_TRAIL_DEGREE = re.compile(rf"(?:\s+{_DEGREE})+$")
_DEGREE_SEG = re.compile(rf"^(?:{_DEGREE}\b\s*)+(?:(?:in|of)\b.*)?$")
_SUBSCHOOL = re.compile(  # a school inside a university, after the university's name
    rf"(?:^| )(?:(?:graduate )?school of {_any_of(_W['school_of'])}(?: and [a-z]+)?|"
    rf"{_any_of(_W['kind_school'])} school|(?:college|faculty) of {_any_of(_W['faculty_of'])}|"
    rf"{_any_of(_W['named_schools'])}(?: school(?: of [a-z]+(?: [a-z]+)?)?)?)$")
_BRACKETS = re.compile(r"\([^)]*\)?|\[[^\]]*\]?")
_BRACKET_TEXT = re.compile(r"\(([^)]*)\)?|\[([^\]]*)\]?")
_YEARS = re.compile(  # "'09", "2012", "2008-2012", "2019 - present"
    r"['’‘`]\s?\d{2}\b|\b(?:19|20)\d{2}\b(?:\s*[-–/]\s*(?:(?:19|20)?\d{2}\b|present|now))?")
_DOTTED = re.compile(r"\b([A-Za-z])\.(?=[A-Za-z]\b)")
_SEGMENTS = re.compile(r"\s*(?:[,;|/•]|\s[-–—]\s|\s@\s)\s*")
_TRAIL_NUM = re.compile(r"(?:\s+\d{1,2})+$")
_UPPER_WORD = re.compile(r"\b[A-Z][A-Z0-9&]{1,9}\b")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_TRANSLIT = re.compile(r"(?<=[a-z])([aou])e")  # "muenchen" -> "munchen"
# Byte-order marks, zero-width spaces and soft hyphens ride along with pasted text; NBSP is a space.
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"), None) | {0xA0: " ", 0x202F: " "}
_NO_BRACKETS, _QUOTE_MAP = str.maketrans("()[]", "    "), str.maketrans("’‘`", "'" * 3)
_SEPARATORS, _QUOTES, _DIGITS = frozenset(",;|/•-–—@"), frozenset("'’‘`"), frozenset("0123456789")

Found = tuple[Hit, str] | None  # (entry, method) or (entries, "ambiguous")
# tiers: forms to try (whole, then segments); segs: comma segments with bracketed asides kept, then
# without; hints: places that may pick a namesake; upper: words written in capitals
_Query = namedtuple("_Query", "main tiers segs hints upper")


def _fold(text: str) -> str:  # resolution.fold(), faster for plain ASCII
    if not text.isascii():
        return fold(text)
    return _NON_WORD.sub(" ", text.lower().replace("&", " and ").replace("'", "")).strip()


def _prefold(text: str) -> str:
    return _DOTTED.sub(r"\1", text.translate(_QUOTE_MAP).replace("&amp;", "&"))


def _clean_folded(f: str, numbers: bool = True) -> str:  # without degrees (and trailing numbers)
    if f and f.partition(" ")[0] in _DEGREE_WORDS:
        f = _LEAD_DEGREE.sub("", f)
    if numbers and f[-1:].isdigit():
        f = _TRAIL_NUM.sub("", f)
    if f and f.rpartition(" ")[2] in _DEGREE_WORDS:
        f = _TRAIL_DEGREE.sub("", f)
    return f.strip()


def _segments(text: str, chars: set[str]) -> list[str]:  # folded, without years and degrees
    if not (chars.isdisjoint(_QUOTES) and chars.isdisjoint(_DIGITS)):
        text = _YEARS.sub(" ", text)
    raw = _SEGMENTS.split(text) if not chars.isdisjoint(_SEPARATORS) else [text]
    segs = [_clean_folded(_fold(s), False) for s in raw]
    return [s for s in segs if s and not (s.partition(" ")[0] in _DEGREE_WORDS and _DEGREE_SEG.match(s))]


def _query(text: str) -> _Query:
    if not text.isascii():
        text = text.translate(_INVISIBLE)
    pre = _prefold(text) if "." in text or "&" in text or not text.isascii() else text
    full, chars = _fold(pre), set(pre)
    brackets = "(" in chars or "[" in chars
    segs = _segments(_BRACKETS.sub(" ", pre) if brackets else pre, chars)
    main = segs[0] if len(segs) == 1 else _clean_folded(" ".join(segs), False)
    whole, kept, hints = [full], [], segs[1:]
    if brackets:  # "Université d'Auvergne (Clermont-Ferrand I) '12": the aside may be the name's
        kept = _segments(pre.translate(_NO_BRACKETS), chars)
        whole.append(_clean_folded(" ".join(kept), False))
        hints = [h for a, b in _BRACKET_TEXT.findall(pre) if (h := _fold(a or b))] + hints
    whole.append(main)
    if main[-1:].isdigit():  # "Université Rennes 2" first, then "Stanford University 2"
        whole.append(main := _TRAIL_NUM.sub("", main))
    if not full and any(c.isalpha() for c in text):
        whole.insert(0, "raw:" + text.strip().casefold())  # names in non-Latin scripts
    if len(segs) > 1 and segs[1].startswith(("university of", "universidad", "universit")):
        whole.append(f"{segs[1]} {segs[0]}")  # "Berkeley, University of California"
    seen: set[str] = set()
    tiers = [[c for c in tier if c and not (c in seen or seen.add(c))] for tier in (whole, segs[1:] and segs)]
    upper = frozenset(w.lower() for w in _UPPER_WORD.findall(pre))
    return _Query(main, [t for t in tiers if t], [kept, segs] if len(kept) > 1 else [segs], hints, upper)


@lru_cache(maxsize=65536)
def _fix_token(tok: str) -> str:
    tok = _ABBREV.get(tok, tok)
    for word in _SPELL.get(tok[0], ()) if len(tok) >= 5 else ():
        limit = 1 if len(word) <= 7 else 2
        if Levenshtein.distance(tok, word, score_cutoff=limit) <= limit:
            return word
    return tok


def _rule_key(folded: str) -> str:
    """Normalized form: abbreviations expanded, typos in generic words fixed, fillers dropped."""
    toks = [_fix_token(t) for t in _TRANSLIT.sub(r"\1", folded).split()]
    out = []
    for i, t in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if t == "u" and nxt == "of":
            t = "university"
        elif t == "tech" and i > 0 and toks[i - 1] == "of":
            t = "technology"  # "Institute of Tech." (but "Georgia Tech", "Texas Tech" stay)
        elif t == "cc" and nxt is None and i > 0:
            t = "community college"
        elif t == "st" and i > 0 and nxt in (None, "university", "college"):
            t = "state"
        if not (t in _DROP and 0 < i < len(toks) - 1 or (t == "the" and i == 0)):
            out.append(t)
    return " ".join(out)


def _signature(key: str) -> tuple[str, str, list[str], list[str]]:  # pattern, initials, distinct, all
    toks = key.split()
    pattern: list[str] = []
    for t in toks:
        if t in STRUCTURAL or not pattern or pattern[-1] != "*":
            pattern.append(t if t in STRUCTURAL else "*")
    distinct = [t for t in toks if t not in STRUCTURAL]
    return " ".join(pattern), "".join(t[0] for t in distinct), distinct, toks


def _generic(key: str) -> bool:
    return all(t in STRUCTURAL or t in _DROP for t in key.split())  # "Institute of Technology"


def _found(hit: Hit | None, method: str = "rule") -> Found:
    return None if hit is None else (hit, method) if isinstance(hit, int) else (hit, "ambiguous")


def _lookup_tier(cands: list[str], data: _Data, upper: frozenset[str]) -> Found:
    """Curated aliases and exact names, then the rules, then acronyms, then a one-word name."""
    for c in cands:
        if (alias := data.aliases.get(c)) is not None:
            return alias, "exact" if data.exact.get(c) == alias else "alias"
        if (hit := data.exact.get(c)) is not None:
            return _found(hit, "exact")
    more = _more()
    for c in cands:
        key = _rule_key(c)
        hit = more.rules.get(key)
        if hit is None and key.endswith(" state"):
            hit = more.rules.get(f"{key} university")  # "Arizona State"
        if hit is None and key.endswith(" community college"):
            hit = more.rules.get(key[:-17] + "college")  # "Santa Monica Community College"
        if hit is None and len(key) >= 8:
            hit = more.compact.get(key.replace(" ", ""))  # "DeAnza", "Mc Gill"
        if (found := _found(hit if hit is not None else _swapped(key, more))) is not None:
            return found
        for n in (2, 1):  # "UC Davis"
            head, rest = " ".join(c.split()[:n]), " ".join(c.split()[n:])
            hits = {more.rules.get(_rule_key(f"{p} {rest}")) for p in _PREFIX.get(head, ()) if rest} - {None}
            if len(hits) == 1 and isinstance(h := next(iter(hits)), int):
                return h, "rule"
    for c in cands:  # "TU Berlin" in any case; "LSU" as written in capitals, or "Unicamp"
        if (" " in c or c in upper or c in more.loose) and c in more.acronyms:
            return _found(more.acronyms[c])
    for c in cands:
        if " " not in c and (found := _one_word(c, data, more)):  # also "CLEMSON"
            return found
    return None


def _swapped(key: str, more: _More) -> Hit | None:
    """'Leiden University' for 'University of Leiden' and back, when the form written names no
    school itself ('Miami University' and 'University of Miami' are two)."""
    if key.startswith("university of "):
        place, other = key[14:], f"{key[14:]} university"
    elif key.endswith(" university"):
        place, other = key[:-11], f"university of {key[:-11]}"
    else:
        return None
    hit = more.rules.get(other) if 0 < len(place.split()) <= 2 else None
    return hit if isinstance(hit, int) and not _INSTITUTION.intersection(place.split()) else None


def _one_word(word: str, data: _Data, more: _More) -> Found:
    """'Clemson': the one school called '<word> University', 'University of <word>' or '<word>
    College'; a word that names several ('Boston') stays unresolved."""
    if len(word) < 4 or word.isdigit() or word in _INSTITUTION or word in _ACR_STOP or _is_place(word):
        return None
    hits: set[int] = set()
    for form in (f"{word} university", f"university of {word}", f"{word} college"):
        hit = data.exact.get(form, more.rules.get(_rule_key(form)))
        hits.update(() if hit is None else (hit,) if isinstance(hit, int) else hit)
    return (hits.pop(), "rule") if len(hits) == 1 else (tuple(sorted(hits)), "ambiguous") if hits else None


def _settle(found: Found, hints: list[str], data: _Data) -> Found:  # a place beside it picks one
    if found is None or found[1] != "ambiguous":
        return found
    countries, regions = _locations()
    pool = list(found[0])  # type: ignore[arg-type]
    for h in filter(None, hints):
        words = {h, _fold(regions[h][1])} if h in regions else {h}
        pool = [i for i in pool if (data.countries[i] == countries[h] if h in countries else any(
            w == _fold(data.regions[i]) or f" {w} " in f" {_fold(data.names[i])} {_fold(data.alts[i])} "
            for w in words))] or pool
        if len(pool) == 1:
            return pool[0], "rule"
    return found


def _is_place(text: str) -> bool:
    countries, regions = _locations()
    return text in countries or text in regions


def _has_campuses(head: str) -> bool:
    """Other names start with this one ('Purdue University Northwest'): words after it may name
    one of those schools, so they are not dropped."""
    names = _more().sorted_names
    return (i := bisect_left(names, head + " ")) < len(names) and names[i].startswith(head + " ")


def _lookup(q: _Query, data: _Data) -> Found:
    """The whole input; without a trailing place, aside or school; then each comma segment."""
    if any(c in data.ambiguous for c in q.tiers[0][:2]):
        return None
    if found := _lookup_tier(q.tiers[0], data, q.upper):
        return _settle(found, q.hints, data)
    for segs in q.segs:  # "Indian Institute of Technology, Delhi, India", "ABES …, Ghaziabad"
        for k in range(len(segs) - 1, 0, -1):
            place, toks = _is_place(segs[k]), segs[k].split()
            if not place and (len(toks) > 3 or _INSTITUTION.intersection(toks)):
                break
            found = _lookup_tier([head := " ".join(segs[:k])], data, q.upper)
            if found and (found[1] == "ambiguous" or place or not _has_campuses(head)):
                return _settle(found, q.hints, data)
    m = _SUBSCHOOL.search(q.main)  # "NYU Stern School of Business", "Georgetown Law"
    if m and m.start() > 0 and (found := _lookup_tier([q.main[: m.start()]], data, q.upper)):
        return _settle(found, q.hints, data)
    toks = q.main.split()
    for n in (1, 2, 3):  # "Lancaster University UK"; "Purdue University West Lafayette" unless
        head, tail = " ".join(toks[:-n]), " ".join(toks[-n:])  # the words may name a campus
        place = len(toks) > n + 1 and (tail in _locations()[0] or len(tail) > 3 and _is_place(tail))
        if place or len(toks) > n + 1 and not _INSTITUTION.intersection(toks[-n:]) and toks[-1] not in (
                _DEGREE_WORDS) and _INSTITUTION.intersection(toks[:-n]) and not _has_campuses(head):
            found = _lookup_tier([head], data, q.upper)
            if found is not None and (place or found[1] != "alias"):
                return _settle(found, [tail, *q.hints], data)
    # each segment ("B.Sc. Computer Science, University of Toronto"): one that names several
    # schools does not stop a later one, and a segment names a school by a name that says so, a
    # curated alias or an acronym in capitals ("MBA, Wharton"), not by a bare word ("San Diego")
    ambiguous: Found = None
    for c in q.tiers[1] if len(q.tiers) > 1 else ():
        found = None if _is_place(c) else _settle(_lookup_tier([c], data, q.upper), q.hints, data)
        if found is not None and found[1] != "ambiguous":
            if found[1] == "alias" or c in q.upper or _INSTITUTION.intersection(c.split()):
                return found
        else:
            ambiguous = ambiguous or found
    return ambiguous


def _token_close(a: str, b: str) -> bool:
    """b is a spelling of a: a typo (a is no word of the table) or a plural/possessive s."""
    if a == b or len(a) < 4 or len(b) < 4 or a[0] != b[0]:
        return a == b
    limit = 1 if max(len(a), len(b)) <= 7 else 2
    word = a in _fuzzy_index()[1] and a.rstrip("s") != b.rstrip("s")
    return not word and OSA.distance(a, b, score_cutoff=limit) <= limit  # a transposition is one


def _guard(q: tuple[str, str, list[str], list[str]], c: str) -> bool:
    pattern, _, distinct, toks = _signature(c)
    return pattern == q[0] and len(distinct) == len(q[2]) and len(toks) == len(q[3]) and all(
        _token_close(a, b) for a, b in zip(q[2], distinct, strict=True)) and all(
        a == b for a, b in zip(q[3], toks, strict=True) if a in STRUCTURAL or b in STRUCTURAL)


def _fuzzy(keys: list[str]) -> dict[str, tuple[int, float]]:
    """Batched fuzzy match of distinct normalized keys; one cdist call per signature block."""
    import numpy as np
    from rapidfuzz import fuzz, process

    by_block: dict[str, list[str]] = {}  # "pattern<TAB>initials" -> queries
    sigs = {k: sig for k in keys if (sig := _signature(k))[2] and "*" in sig[0] and len(k) >= 6}
    for k, sig in sigs.items():
        by_block.setdefault(f"{sig[0]}\t{sig[1]}", []).append(k)
    found: dict[str, tuple[int, float]] = {}
    blocks = _fuzzy_index()[0] if by_block else {}
    for block, queries in by_block.items():
        if block not in blocks:
            continue
        choices, idxs = _fuzzy_candidates(blocks[block])
        scores = process.cdist(queries, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, dtype=np.uint8,
                               workers=-1 if len(queries) * len(choices) > 200_000 else 1)
        for row, q in zip(scores, queries, strict=True):
            hits = np.flatnonzero(row)
            hits = hits[np.argsort(-row[hits], kind="stable")][:8]
            one_word = len(sigs[q][3]) == 1  # "Stanfrod": only a curated name, never "Techin"
            good = [(int(row[h]), idxs[h]) for h in hits if _guard(sigs[q], choices[h])
                    and (not one_word or choices[h] in _more().alias_keys)]
            best = good[0] if good else (0, -1)
            rival = next((s for s, i in good[1:] if i != best[1]), 0)
            if best[1] >= 0 and best[0] - rival >= FUZZY_MARGIN:
                found[q] = (best[1], float(best[0]))
    return found


def _resolve_distinct(texts: list[str], data: _Data) -> dict[str, Resolution]:
    out: dict[str, Resolution] = {}
    pending: dict[str, list[str]] = {}
    for text in texts:
        q = _query(text)
        hit = _lookup(q, data) if q.tiers else (-1, "unresolved")
        if hit is None and not any(c in data.ambiguous for c in q.tiers[0][:2]):
            pending.setdefault(_rule_key(q.main), []).append(text)
        elif hit is None or not isinstance(hit[0], int) or hit[0] < 0:
            out[text] = unresolved(text)  # names several schools, or nothing
        else:
            out[text] = _make(text, hit[0], hit[1], 100.0 if hit[1] != "rule" else 95.0, data)
    fuzzy = _fuzzy(list(pending)) if pending else {}
    for key, group in pending.items():
        idx, score = fuzzy.get(key, (-1, 0.0))
        for text in group:
            out[text] = _make(text, idx, "fuzzy", min(score, 90.0), data) if idx >= 0 else unresolved(text)
    return out


def _make(text: str, idx: int, method: str, score: float, data: _Data) -> Resolution:
    attrs = {"country": data.countries[idx] or None, "domains": _entry_domains(data, idx)}
    return Resolution(input=text, canonical=data.names[idx], key=f"school:{data.ids[idx]}", score=score,
                      method=method, attrs=attrs)


def resolve_schools(texts: Sequence[str], aliases: Mapping[str, str] | None = None) -> list[Resolution]:
    """Resolve school names; one Resolution per input, in order. `aliases` are the program's own
    raw-input -> target mappings (keys match after fold()); they win over shipped data. A target the
    data resolves keeps that entry's key; another is a program entry "school:program:<slug>"."""
    data = _data()
    distinct = list(dict.fromkeys(texts))
    program: dict[str, str] = {}
    if aliases:
        folded = {_fold(_prefold(k.translate(_INVISIBLE))): v for k, v in aliases.items()}
        for text in distinct:
            forms = [_fold(_prefold(text.translate(_INVISIBLE))), *(c for t in _query(text).tiers for c in t)]
            if (target := next((folded[c] for c in forms if c in folded), None)) is not None:
                program[text] = target
    rest = [t for t in distinct if t not in program]
    resolved = _resolve_distinct(rest + [t for t in dict.fromkeys(program.values()) if t not in rest], data)
    results: dict[str, Resolution] = {t: resolved[t] for t in rest}
    for text, target in program.items():
        hit = resolved[target]
        key = hit.key if hit.resolved else f"school:program:{_fold(target).replace(' ', '-') or 'unnamed'}"
        results[text] = Resolution(input=text, canonical=hit.canonical if hit.resolved else target, key=key,
                                   score=100.0, method="program-alias",
                                   attrs=dict(hit.attrs) if hit.resolved else {"country": None})
    return [results[t] for t in texts]
