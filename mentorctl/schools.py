"""School (university / college) normalization: free text -> canonical institution.

    >>> [r.canonical for r in resolve_schools(["M.I.T.", "BS in CS from UC-Berkeley '12"])]
    ['Massachusetts Institute of Technology', 'University of California, Berkeley']

Pipeline for each distinct input: program aliases -> clean (degree words, class years,
parenthesized asides) -> exact name -> curated alias -> rules (abbreviations, "The", St./Saint,
campus separators, system prefixes such as "UC"/"UT", comma segments) -> guarded fuzzy match
(batched with rapidfuzz.process.cdist) -> unresolved.

"University of X" and "X University" are never merged: the fuzzy step only accepts a candidate
with the same structural words in the same order ("university", "of", "state", "college",
"tech", ...) and the same distinctive words up to a small typo, and with a clear margin over the
runner-up. Data: mentorctl/data/schools.tsv.gz (built by tools/build_schools.py from
JetBrains/swot) and the curated mentorctl/data/school_aliases.yaml.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from mentorctl.resolution import Resolution, fold, unresolved

__all__ = ["resolve_schools"]

FUZZY_CUTOFF = 85  # rapidfuzz ratio on the normalized key, before the guard
FUZZY_MARGIN = 3  # best guarded candidate must beat the next one by this much

# Words that give a name its structure; they must agree exactly in a fuzzy match.
STRUCTURAL = frozenset({
    "university", "college", "institute", "of", "state", "tech", "technology", "technological",
    "polytechnic", "community", "school", "academy", "conservatory", "seminary", "a", "m",
})  # fmt: skip
# Generic words whose misspellings we repair ("Univeristy" -> "university").
_SPELLCHECK = (
    "university", "college", "institute", "technology", "community", "polytechnic",
    "international", "national", "academy", "school", "state",
)  # fmt: skip
_ABBREV = {
    "univ": "university", "uni": "university", "unv": "university", "univeristy": "university",
    "inst": "institute", "instit": "institute", "coll": "college", "col": "college",
    "technol": "technology", "intl": "international", "natl": "national", "saint": "st",
    "ste": "st", "mount": "mt", "centre": "center", "ctr": "center", "comm": "community",
}  # fmt: skip
_DROP = frozenset({"the", "at", "in", "and", "campus", "main"})
# System prefixes: "UC Davis" -> "university of california davis".
_PREFIX = {
    "uc": ("university of california",),
    "ucal": ("university of california",),
    "cal state": ("california state university",),
    "csu": ("california state university", "colorado state university"),
    "ut": ("university of texas",),
    "unc": ("university of north carolina",),
    "umass": ("university of massachusetts",),
    "uw": ("university of washington", "university of wisconsin"),
    "suny": ("state university of new york", "suny"),
    "cuny": ("city university of new york", "cuny"),
    "u of": ("university of",),
    "u": ("university",),
}
_DEGREE = (
    r"(?:bs|ba|bsc|bse|bba|bfa|bcom|bs?e|ms|msc|ma|mba|mfa|mph|mpp|mpa|ms?e|phd|ph d|dphil|md|"
    r"jd|llb|llm|meng|beng|btech|mtech|b tech|m tech|b sc|m sc|b com|b a|m a|b s|m s|b e|m e|be|me|"
    r"ab|sb|sm|aa|aas|bachelors?|masters?|"
    r"doctorate|doctoral|degree|diploma|certificate|undergrad(?:uate)?|postgrad(?:uate)?|"
    r"grad(?:uate)?|alum(?:ni|nus|na)?|student|studied|studying|attended|graduated|"
    r"currently|class of|c o|dropped out)"
)
_LEAD_DEGREE = re.compile(rf"^(?:{_DEGREE}\b\s*)+(?:(?:in|of)\b.*?\b(?:from|at)\b|from\b|at\b)?\s*")
_TRAIL_DEGREE = re.compile(rf"(?:\s+{_DEGREE})+$")
_DEGREE_SEG = re.compile(rf"^(?:{_DEGREE}\b\s*)+(?:(?:in|of)\b.*)?$")
_BRACKETS = re.compile(r"\([^)]*\)?|\[[^\]]*\]?")
_YEARS = re.compile(
    r"['’‘`]\s?\d{2}\b|\b(?:19|20)\d{2}\b(?:\s*[-–/]\s*(?:(?:19|20)?\d{2}\b|present|now))?"
)
_DOTTED = re.compile(r"\b([A-Za-z])\.(?=[A-Za-z]\b)")
_SEGMENTS = re.compile(r"\s*(?:[,;|/•]|\s[-–—]\s|\s@\s)\s*")
_TRAIL_NUM = re.compile(r"(?:\s+\d{1,2})+$")


@dataclass
class _Data:
    ids: list[str]
    names: list[str]
    countries: list[str]
    exact: dict[str, int]  # fold(name) -> entry
    rules: dict[str, int]  # rule_key(name) -> entry
    compact: dict[str, int]  # rule_key(name) without spaces -> entry
    aliases: dict[str, int]  # fold(alias) -> entry
    ambiguous: frozenset[str]


# ---------------------------------------------------------------------------------- cleaning


_NON_WORD = re.compile(r"[^a-z0-9]+")


def _fold(text: str) -> str:
    """resolution.fold(), with a fast path for plain ASCII (where strip_accents is a no-op)."""
    if text.isascii():
        text = text.lower().replace("&", " and ").replace("'", "")
        return _NON_WORD.sub(" ", text).strip()
    return fold(text)


def _prefold(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'").replace("&amp;", "&")
    return _DOTTED.sub(r"\1", text)


def _clean_folded(f: str) -> str:
    """Drop degree words and trailing numbers from a folded segment."""
    f = _TRAIL_NUM.sub("", _LEAD_DEGREE.sub("", f))
    f = _TRAIL_DEGREE.sub("", f).strip()
    return f


def _candidates(text: str) -> tuple[str, list[list[str]]]:
    """(main cleaned form, tiers of forms to try: whole input first, then its segments)."""
    pre = _prefold(text)
    full = _fold(pre)
    cleaned_raw = _YEARS.sub(" ", _BRACKETS.sub(" ", pre))
    segs = [_clean_folded(_fold(s)) for s in _SEGMENTS.split(cleaned_raw)]
    segs = [s for s in segs if s and not _DEGREE_SEG.match(s)]
    main = _clean_folded(" ".join(segs))
    whole = [full, main]
    if not full and any(c.isalpha() for c in text):
        whole.insert(0, "raw:" + text.strip().casefold())  # names in non-Latin scripts
    parts: list[str] = []
    if len(segs) > 1:
        parts += segs
        if segs[1].startswith(("university of", "universidad", "universite", "universit")):
            whole.append(f"{segs[1]} {segs[0]}")  # "Berkeley, University of California"
    seen: set[str] = set()
    tiers = [[c for c in tier if c and not (c in seen or seen.add(c))] for tier in (whole, parts)]
    return main, [t for t in tiers if t]


@lru_cache(maxsize=65536)
def _fix_token(tok: str) -> str:
    tok = _ABBREV.get(tok, tok)
    if len(tok) < 5 or tok in _SPELLCHECK:
        return tok
    from rapidfuzz.distance import Levenshtein

    for word in _SPELLCHECK:
        if tok[0] == word[0] and abs(len(tok) - len(word)) <= 2:
            limit = 1 if len(word) <= 7 else 2
            if Levenshtein.distance(tok, word, score_cutoff=limit) <= limit:
                return word
    return tok


_TRANSLIT = re.compile(r"(?<=[a-z])(ae|oe|ue)")


def _rule_key(folded: str) -> str:
    """Normalized form: abbreviations expanded, typos in generic words fixed, fillers dropped."""
    toks = [_fix_token(t) for t in _TRANSLIT.sub(lambda m: m.group(1)[0], folded).split()]
    out = []
    for i, t in enumerate(toks):
        if t == "u" and i + 1 < len(toks) and toks[i + 1] == "of":
            t = "university"
        elif t == "tech" and i > 0 and toks[i - 1] == "of":
            t = "technology"  # "Institute of Tech." (but "Georgia Tech", "Texas Tech" stay)
        elif t == "cc" and i == len(toks) - 1 and i > 0:
            t = "community college"
        elif t == "st" and i > 0:
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt in (None, "university", "college"):
                t = "state"
        if t in _DROP and 0 < i < len(toks) - 1 or (t == "the" and i == 0):
            continue
        out.append(t)
    return " ".join(out)


def _signature(key: str) -> tuple[str, str, list[str], list[str]]:
    """(structural pattern, initials of distinctive words, distinctive words, all words)."""
    toks = key.split()
    pattern: list[str] = []
    distinct: list[str] = []
    for t in toks:
        if t in STRUCTURAL:
            pattern.append(t)
        else:
            distinct.append(t)
            if not pattern or pattern[-1] != "*":
                pattern.append("*")
    return " ".join(pattern), "".join(t[0] for t in distinct), distinct, toks


# ---------------------------------------------------------------------------------- data


def _read_text(name: str) -> bytes:
    return resources.files("mentorctl").joinpath("data", name).read_bytes()


@cache
def _data() -> _Data:
    import yaml

    rows = gzip.decompress(_read_text("schools.tsv.gz")).decode("utf-8").splitlines()[1:]
    ids, names, countries = [], [], []
    exact: dict[str, int] = {}
    rules: dict[str, int] = {}
    alts: list[tuple[int, str]] = []
    for i, row in enumerate(rows):
        eid, country, name, alt = row.split("\t")
        ids.append(eid)
        names.append(name)
        countries.append(country)
        alts.extend((i, a) for a in alt.split("|") if a)
    # display names first (in priority order), then alternative names
    for i, name in [(i, n) for i, n in enumerate(names)] + alts:
        f = _fold(_prefold(name))
        if not f and sum(c.isalpha() for c in name) >= 2:
            exact.setdefault("raw:" + name.strip().casefold(), i)
            continue
        if len(f) < 4 or not any(c.isalpha() for c in f) or " " not in f and len(f) <= 5:
            continue
        if all(t in STRUCTURAL or t in _DROP for t in f.split()):
            continue
        exact.setdefault(f, i)
        rules.setdefault(_rule_key(f), i)
    spec = yaml.safe_load(_read_text("school_aliases.yaml"))
    aliases: dict[str, int] = {}
    for alias, target in spec.get("aliases", {}).items():
        idx = exact.get(_fold(_prefold(target)))
        if idx is None:
            raise ValueError(f"school alias {alias!r} -> {target!r}: target not in data")
        aliases[_fold(_prefold(str(alias)))] = idx
        rules.setdefault(_rule_key(_fold(_prefold(str(alias)))), idx)  # "Penn St" -> Penn State
    ambiguous = frozenset(_fold(a) for a in spec.get("ambiguous", []))
    compact: dict[str, int] = {}
    for key, i in rules.items():
        if len(key) >= 8:
            compact.setdefault(key.replace(" ", ""), i)
    return _Data(ids, names, countries, exact, rules, compact, aliases, ambiguous)


@cache
def _blocks() -> dict[tuple[str, str], tuple[list[str], list[int]]]:
    """Fuzzy candidates grouped by (structural pattern, initials): built on first fuzzy call."""
    blocks: dict[tuple[str, str], tuple[list[str], list[int]]] = {}
    for key, i in _data().rules.items():
        pattern, initials, distinct, _ = _signature(key)
        if distinct and "*" in pattern:
            keys, idxs = blocks.setdefault((pattern, initials), ([], []))
            keys.append(key)
            idxs.append(i)
    return blocks


# ---------------------------------------------------------------------------------- matching


def _lookup(tiers: list[list[str]], data: _Data) -> tuple[int, str] | None:
    """Per tier (whole input, then its comma segments): exact / alias, then the rules."""
    if any(c in data.ambiguous for c in tiers[0][:2]):
        return -1, "unresolved"
    for cands in tiers:
        hit = _lookup_tier(cands, data)
        if hit is not None:
            return hit
    return None


def _lookup_tier(cands: list[str], data: _Data) -> tuple[int, str] | None:
    for c in cands:
        if c in data.exact:
            return data.exact[c], "exact"
        if c in data.aliases:
            return data.aliases[c], "alias"
    for c in cands:
        key = _rule_key(c)
        if key in data.rules:
            return data.rules[key], "rule"
        if key.endswith(" state") and f"{key} university" in data.rules:
            return data.rules[f"{key} university"], "rule"  # "Arizona State"
        if key.replace(" ", "") in data.compact:
            return data.compact[key.replace(" ", "")], "rule"  # "DeAnza", "Mc Gill"
        toks = c.split()
        for n in (2, 1):
            head, rest = " ".join(toks[:n]), " ".join(toks[n:])
            if head in _PREFIX and rest:
                hits = {
                    data.rules[k]
                    for p in _PREFIX[head]
                    if (k := _rule_key(f"{p} {rest}")) in data.rules
                }
                if len(hits) == 1:
                    return hits.pop(), "rule"
    return None


def _token_close(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) < 4 or len(b) < 4 or a[0] != b[0]:
        return False
    from rapidfuzz.distance import OSA  # edit distance counting a transposition as one

    limit = 1 if max(len(a), len(b)) <= 7 else 2
    return OSA.distance(a, b, score_cutoff=limit) <= limit


def _guard(q: tuple[str, str, list[str], list[str]], c: str) -> bool:
    pattern, _, distinct, toks = _signature(c)
    if pattern != q[0] or len(distinct) != len(q[2]) or len(toks) != len(q[3]):
        return False
    return all(_token_close(a, b) for a, b in zip(q[2], distinct, strict=True)) and all(
        a == b for a, b in zip(q[3], toks, strict=True) if a in STRUCTURAL or b in STRUCTURAL
    )


def _fuzzy(keys: list[str], data: _Data) -> dict[str, tuple[int, float]]:
    """Batched fuzzy match of distinct normalized keys; one cdist call per signature block."""
    import numpy as np
    from rapidfuzz import fuzz, process

    by_block: dict[tuple[str, str], list[str]] = {}
    sigs = {}
    for k in keys:
        sig = _signature(k)
        if not sig[2] or "*" not in sig[0] or len(k) < 6:
            continue
        sigs[k] = sig
        by_block.setdefault((sig[0], sig[1]), []).append(k)
    found: dict[str, tuple[int, float]] = {}
    blocks = _blocks() if by_block else {}
    for block, queries in by_block.items():
        if block not in blocks:
            continue
        choices, idxs = blocks[block]
        scores = process.cdist(
            queries, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, dtype=np.uint8,
            workers=-1 if len(queries) * len(choices) > 200_000 else 1,
        )  # fmt: skip
        for row, q in zip(scores, queries, strict=True):
            hits = np.flatnonzero(row)
            if not len(hits):
                continue
            hits = hits[np.argsort(-row[hits], kind="stable")][:8]
            good = [(int(row[h]), idxs[h]) for h in hits if _guard(sigs[q], choices[h])]
            if not good:
                continue
            best = good[0]
            rival = next((s for s, i in good[1:] if i != best[1]), 0)
            if best[0] - rival >= FUZZY_MARGIN:
                found[q] = (best[1], float(best[0]))
    return found


def _resolve_distinct(texts: list[str], data: _Data) -> dict[str, Resolution]:
    out: dict[str, Resolution] = {}
    pending: dict[str, list[str]] = {}
    for text in texts:
        main, cands = _candidates(text)
        hit = _lookup(cands, data) if cands else (-1, "unresolved")
        if hit is None:
            pending.setdefault(_rule_key(main), []).append(text)
        elif hit[0] < 0:
            out[text] = unresolved(text)
        else:
            out[text] = _make(text, hit[0], hit[1], 100.0 if hit[1] != "rule" else 95.0, data)
    fuzzy = _fuzzy(list(pending), data) if pending else {}
    for key, group in pending.items():
        for text in group:
            if key in fuzzy:
                idx, score = fuzzy[key]
                out[text] = _make(text, idx, "fuzzy", min(score, 90.0), data)
            else:
                out[text] = unresolved(text)
    return out


def _make(text: str, idx: int, method: str, score: float, data: _Data) -> Resolution:
    return Resolution(
        input=text,
        canonical=data.names[idx],
        key=f"school:{data.ids[idx]}",
        score=score,
        method=method,
        attrs={"country": data.countries[idx] or None},
    )


def _slug(text: str) -> str:
    return _fold(text).replace(" ", "-") or "unnamed"


def resolve_schools(
    texts: Sequence[str], aliases: Mapping[str, str] | None = None
) -> list[Resolution]:
    """Resolve school names; one Resolution per input, in order.

    `aliases` are the program's own raw-input -> target mappings; they win over shipped data.
    Keys match after fold(). A target that the shipped data resolves keeps that entry's key;
    any other target becomes a program-defined entry "school:program:<slug>".
    """
    data = _data()
    distinct = list(dict.fromkeys(texts))
    program: dict[str, str] = {}
    if aliases:
        folded = {_fold(_prefold(k)): v for k, v in aliases.items()}
        for text in distinct:
            main, cands = _candidates(text)
            forms = [_fold(_prefold(text)), *(c for tier in cands for c in tier)]
            target = next((folded[c] for c in forms if c in folded), None)
            if target is not None:
                program[text] = target
    rest = [t for t in distinct if t not in program]
    targets = list(dict.fromkeys(program.values()))
    resolved = _resolve_distinct(rest + [t for t in targets if t not in rest], data)
    results: dict[str, Resolution] = {t: resolved[t] for t in rest}
    for text, target in program.items():
        hit = resolved[target]
        if hit.resolved:
            results[text] = Resolution(
                input=text, canonical=hit.canonical, key=hit.key, score=100.0,
                method="program-alias", attrs=dict(hit.attrs),
            )  # fmt: skip
        else:
            results[text] = Resolution(
                input=text, canonical=target, key=f"school:program:{_slug(target)}", score=100.0,
                method="program-alias", attrs={"country": None},
            )  # fmt: skip
    return [results[t] for t in texts]
