"""Occupation normalization: a job title as typed -> a canonical occupation, its family and level.

    >>> [r.canonical for r in resolve_occupations(["Sr. SWE", "Nurse, Registered", "Acct Mgr"])]
    ['Software Developer', 'Registered Nurse', 'Account Manager']

The taxonomy ships in data/occupations/<family>.yaml (names and synonyms, grouped in families
like the SOC major groups). Pipeline, for each distinct input:

1. program aliases (the coordinator's, matched by fold()) win over everything;
2. clean: fold, drop employer and asides ("at Google", "@ Acme", "(contract)"), expand
   abbreviations token by token (Mgr, Eng., Sr., Rep, Admin, Asst, Coord, Tech, ...);
3. exact lookup of the cleaned title among names and synonyms;
4. rules: split off seniority words (intern 0, junior 1, II 2, senior 3, staff/lead 4,
   principal/head of 5) as an attribute; undo comma inversions ("Teacher, High School");
   "head of X" -> "X manager"; singular forms; the longest known tail ("ICU registered nurse");
5. fuzzy fallback for typos: rapidfuzz.process.cdist over the distinct leftovers against every
   name and synonym at once, accepted only when each word aligns with a word of the candidate,
   the score is high and the runner-up from a *different* occupation is clearly behind; so a
   near-spelling of another known occupation (Physicist/Physician) never wins;
6. otherwise unresolved.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from mentorctl.resolution import Resolution, fold, unresolved

DATA_DIR = Path(__file__).resolve().parent / "data" / "occupations"

# Seniority levels: an ordinal scale, higher is more senior.
SENIORITY = {
    "intern": 0, "internship": 0, "trainee": 0, "apprentice": 0, "student": None,
    "junior": 1, "entry": 1, "associate": 1, "assistant to": 1, "i": 1, "1": 1,
    "ii": 2, "2": 2, "mid": 2, "intermediate": 2,
    "senior": 3, "iii": 3, "3": 3, "experienced": 3,
    "staff": 4, "lead": 4, "iv": 4, "4": 4, "supervising": 4,
    "principal": 5, "head": 5, "distinguished": 5, "chief": 5,
    "journeyman": 2, "journeyperson": 2, "master": 4, "executive": 4, "resident": 1,
    "attending": 3,
}
# Credentials written after a title ("Psychiatrist MD", "FNP-C"): dropped when a title remains.
CREDENTIALS = {"md", "do", "phd", "rn", "mba", "cpa", "jd", "pe", "esq", "lcsw", "msw", "bsn",
               "msn", "dnp", "pmp", "cfa", "mph", "ms", "ma", "bs", "ba", "c", "bc", "cissp",
               "shrm", "cp", "scp", "ccna", "pharmd", "dds", "dmd", "np"}
_LEVEL_LABEL = {0: "intern", 1: "junior", 2: "mid-level", 3: "senior", 4: "lead", 5: "principal"}

ABBREVIATIONS = {
    "mgr": "manager", "mngr": "manager", "mgmt": "management", "eng": "engineer",
    "engr": "engineer", "engg": "engineering", "sr": "senior", "snr": "senior", "jr": "junior",
    "jnr": "junior", "asst": "assistant", "assoc": "associate", "admin": "administrator",
    "adm": "administrator", "dev": "developer", "devs": "developer", "coord": "coordinator",
    "spec": "specialist", "tech": "technician", "techn": "technician", "dir": "director",
    "exec": "executive", "rep": "representative", "reps": "representative",
    "mktg": "marketing", "mkt": "marketing", "ops": "operations", "sw": "software",
    "swe": "swe", "svc": "service", "svcs": "services", "cust": "customer", "dept": "department",
    "govt": "government", "prof": "professor", "instr": "instructor", "supv": "supervisor",
    "supvr": "supervisor", "tchr": "teacher", "analy": "analyst", "anlyst": "analyst",
    "acctg": "accounting", "hs": "high school", "elem": "elementary", "sped": "special education",
    "pt": "pt", "univ": "university", "res": "research", "sci": "scientist", "mech": "mechanical",
    "elec": "electrical", "chem": "chemical", "prog": "programmer", "proj": "project",
    "prod": "product", "sys": "systems", "sysadmin": "systems administrator",
    "architecht": "architect", "gen": "general", "intl": "international", "natl": "national",
}
_EMPLOYER = re.compile(r"\s(?:at|@|for|with|to)\s.*$|\s[@|]\s?.*$")
_ASIDE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOISE_WORDS = {"freelance", "freelancer", "contract", "contractor", "parttime", "part", "time",
                "full", "fulltime", "remote", "self", "employed", "selfemployed", "independent",
                "currently", "former", "ex", "aspiring", "acting", "interim", "temporary", "temp",
                "volunteer", "certified", "licensed", "the", "a", "an", "and", "level"}
_HEAD_OF = re.compile(r"^(?:head|director|vp|vice president|chief) of (.+)$")
FUZZY_MIN_SCORE = 86.0
FUZZY_MARGIN = 4.0


@dataclass(frozen=True)
class Occupation:
    key: str
    name: str
    family: str
    family_label: str


@dataclass
class _Taxonomy:
    occupations: list[Occupation]
    lookup: dict[str, int]  # cleaned title -> occupation index
    choices: list[str]  # lookup keys, for fuzzy matching
    choice_owner: list[int]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def expand(folded: str) -> str:
    """Abbreviations token by token; 'acct' is an account before mgr/exec/rep, else accountant."""
    tokens = _join_initials(folded.split())
    out = []
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token == "bus" and following in _BUSINESS_NEXT:
            out.append("business")
            continue
        if token in ("acct", "acc", "accts"):
            token = "account" if following in ("mgr", "manager", "exec", "executive", "rep",
                                               "representative", "director") else "accountant"
        out.append(ABBREVIATIONS.get(token, token))
    return " ".join(out)


_BUSINESS_NEXT = {"analyst", "development", "developer", "dev", "manager", "mgr", "operations",
                  "ops", "intelligence", "systems", "administrator", "admin"}


def _join_initials(tokens: list[str]) -> list[str]:
    """'c e o' -> 'ceo', 'r n' -> 'rn': dotted abbreviations fold into single letters."""
    out: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if len(token) == 1 and token.isalpha():
            run.append(token)
            continue
        out.extend(["".join(run)] if len(run) >= 2 else run)
        run = []
        if token:
            out.append(token)
    return out


@cache
def taxonomy() -> _Taxonomy:
    import yaml

    occupations: list[Occupation] = []
    lookup: dict[str, int] = {}
    fuzzy_keys: dict[str, int] = {}
    for path in sorted(DATA_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        family, label = data["family"], data.get("label") or data["family"].replace("-", " ")
        for entry in data["occupations"]:
            index = len(occupations)
            occupations.append(Occupation(f"occ:{_slug(entry['name'])}", entry["name"], family,
                                          label))
            for title in [entry["name"], *(entry.get("synonyms") or [])]:
                folded = fold(str(title))
                for form in (folded, expand(folded)):
                    lookup.setdefault(form, index)
                    fuzzy_keys.setdefault(form, index)
                lookup.setdefault(folded.replace(" ", ""), index)  # "Truckdriver"
    # Fuzzy matching compares real titles only, not the run-together forms.
    choices = list(fuzzy_keys)
    return _Taxonomy(occupations, lookup, choices, [fuzzy_keys[c] for c in choices])


def occupation_families() -> dict[str, str]:
    """Family id -> its label, e.g. 'healthcare-practitioners' -> 'healthcare'."""
    return {o.family: o.family_label for o in taxonomy().occupations}


# --- the pipeline ---------------------------------------------------------------------------------


@dataclass
class _Cleaned:
    title: str  # the cleaned title (seniority removed)
    full: str  # before removing seniority
    level: int | None
    level_word: str | None
    inverted: list[str]  # alternative orders for "Teacher, High School"


def _clean(text: str) -> _Cleaned:
    raw = _ASIDE.sub(" ", text)
    raw = re.sub(r"^(?:i am an?|i'?m an?|i work as an?|working as an?|currently an?)\s+", "",
                 raw.strip(), flags=re.IGNORECASE)
    raw = _EMPLOYER.sub("", " " + raw).strip()
    parts = [expand(fold(p)) for p in raw.split(",") if fold(p)]
    full = " ".join(parts)
    inverted = []
    if "/" in raw:  # "Farmer/Rancher": each side is a title of its own
        inverted += [expand(fold(side)) for side in raw.split("/") if fold(side)]
    if len(parts) == 2:
        inverted.append(f"{parts[1]} {parts[0]}")
    if len(parts) >= 2:
        inverted.append(parts[0])
    title, level, word = _strip_seniority(full)
    return _Cleaned(title, full, level, word, inverted)


def _strip_seniority(title: str) -> tuple[str, int | None, str | None]:
    tokens = title.split()
    kept: list[str] = []
    level: int | None = None
    word: str | None = None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        pair = " ".join(tokens[i:i + 2])
        if pair in ("entry level", "head of", "mid level", "assistant to"):
            level, word = max(level or 0, {"entry level": 1, "head of": 5, "mid level": 2,
                                           "assistant to": 1}[pair]), pair
            i += 2
            continue
        if token in SENIORITY and SENIORITY[token] is not None and len(tokens) > 1:
            value = SENIORITY[token]
            if level is None or value > level:
                level, word = value, token
            i += 1
            continue
        kept.append(token)
        i += 1
    if not kept:
        return title, None, None
    return " ".join(kept), level, word


def _candidates(cleaned: _Cleaned) -> list[tuple[str, str]]:
    """(form, method) to try in order: exact first, then the rules."""
    forms = [(cleaned.full, "exact"), (cleaned.title, "rule")]
    forms += [(alt, "rule") for alt in cleaned.inverted]
    forms += [(_strip_seniority(alt)[0], "rule") for alt in cleaned.inverted]
    for form in list(f for f, _ in forms):
        tokens = form.split()
        while len(tokens) > 1 and tokens[-1] in CREDENTIALS:
            tokens = tokens[:-1]
            forms.append((" ".join(tokens), "rule"))
        forms.append(("".join(form.split()), "rule"))  # "truck driver" written "Truckdriver"
        letters_dropped = " ".join(t for t in form.split() if len(t) > 1 or t == "i")
        if letters_dropped and letters_dropped != form:
            forms.append((letters_dropped, "rule"))  # "HVAC/R Technician"
        head = _HEAD_OF.match(form)
        if head:
            forms += [(f"{head.group(1)} manager", "rule"), (f"{head.group(1)} director", "rule")]
        of_what = re.match(r"^(.+?) (?:of|in) .+$", form)
        if of_what and not head:
            forms.append((of_what.group(1), "rule"))  # "Professor of History"
        without_noise = " ".join(t for t in form.split() if t not in _NOISE_WORDS)
        if without_noise and without_noise != form:
            forms.append((without_noise, "rule"))
        singular = " ".join(_singular(t) for t in form.split())
        if singular != form:
            forms.append((singular, "rule"))
    return forms


def _singular(token: str) -> str:
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 4 and token.endswith("s") and not token.endswith(("ss", "us", "is", "ics")):
        return token[:-1]
    return token


def _lookup(cleaned: _Cleaned, tax: _Taxonomy) -> tuple[int, str] | None:
    forms = _candidates(cleaned)
    for form, method in forms:
        index = tax.lookup.get(form)
        if index is not None:
            return index, ("exact" if method == "exact" and form == cleaned.full else method)
    # The longest known tail: "icu registered nurse" -> "registered nurse".
    for form, _method in forms:
        tokens = form.split()
        for start in range(1, len(tokens) - 1):
            tail = " ".join(tokens[start:])
            index = tax.lookup.get(tail)
            if index is not None and len(tokens) - start >= 2:
                return index, "rule"
    return None


def _result(text: str, occupation: Occupation, score: float, method: str,
            cleaned: _Cleaned | None) -> Resolution:
    level = cleaned.level if cleaned else None
    return Resolution(text, occupation.name, occupation.key, score, method, {
        "family": occupation.family, "family_label": occupation.family_label,
        "seniority": level, "seniority_label": _LEVEL_LABEL.get(level) if level is not None
        else None})


def resolve_occupations(texts: Sequence[str],
                        aliases: Mapping[str, str] | None = None) -> list[Resolution]:
    """Resolve job titles; one Resolution per input, in order (each distinct text once)."""
    distinct = list(dict.fromkeys(texts))
    results = _resolve_distinct(distinct, aliases or {})
    return [results[t] for t in texts]


def _resolve_distinct(texts: list[str], aliases: Mapping[str, str]) -> dict[str, Resolution]:
    tax = taxonomy()
    program = {fold(k): v for k, v in aliases.items()}
    results: dict[str, Resolution] = {}
    pending: dict[str, tuple[str, _Cleaned]] = {}
    for text in texts:
        folded = fold(text)
        if not folded:
            results[text] = unresolved(text)
            continue
        if folded in program:
            results[text] = _program_alias(text, program[folded], tax)
            continue
        cleaned = _clean(text)
        hit = _lookup(cleaned, tax)
        if hit is not None:
            index, method = hit
            results[text] = _result(text, tax.occupations[index], 100.0 if method == "exact"
                                    else 95.0, "exact" if method == "exact" else method, cleaned)
        else:
            pending[text] = (cleaned.title, cleaned)
    if pending:
        results.update(_fuzzy(pending, tax))
    return results


def _program_alias(text: str, target: str, tax: _Taxonomy) -> Resolution:
    cleaned = _clean(target)
    hit = _lookup(cleaned, tax)
    if hit is None:
        hit_fuzzy = _fuzzy({target: (cleaned.title, cleaned)}, tax)[target]
        if hit_fuzzy.key is not None:
            return Resolution(text, hit_fuzzy.canonical, hit_fuzzy.key, 100.0, "program-alias",
                              hit_fuzzy.attrs)
        return Resolution(text, target.strip(), f"occ:program:{_slug(target)}", 100.0,
                          "program-alias", {"family": None, "seniority": None})
    resolved = _result(text, tax.occupations[hit[0]], 100.0, "program-alias", cleaned)
    return resolved


def _words_align(query: str, choice: str) -> bool:
    """Every word of the query has a close word in the choice, in order, and vice versa in count."""
    from rapidfuzz.distance import OSA

    q, c = query.split(), choice.split()
    if len(q) != len(c):
        return False
    for a, b in zip(q, c, strict=True):
        if a == b:
            continue
        if min(len(a), len(b)) < 5:
            return False
        # One typo (a swapped pair counts as one) in a short word, two in a long one.
        if OSA.distance(a, b) > (1 if max(len(a), len(b)) < 8 else 2):
            return False
    return True


def _fuzzy(pending: dict[str, tuple[str, _Cleaned]], tax: _Taxonomy) -> dict[str, Resolution]:
    """Typos only: one cdist over the distinct leftovers, with guards against other occupations."""
    import numpy as np
    from rapidfuzz import fuzz, process

    queries = list(dict.fromkeys(title for title, _ in pending.values()))
    usable = [q for q in queries if len(q) >= 5]
    best: dict[str, tuple[int, float]] = {}  # query -> (choice index, score)
    if usable:
        scores = process.cdist(usable, tax.choices, scorer=fuzz.ratio, dtype=np.uint8,
                               score_cutoff=int(FUZZY_MIN_SCORE) - int(FUZZY_MARGIN),
                               workers=-1)
        owners = np.asarray(tax.choice_owner)
        for row, query in enumerate(usable):
            line = scores[row]
            top = int(line.argmax())
            top_score = float(line[top])
            if top_score < FUZZY_MIN_SCORE:
                continue
            rivals = line[owners != owners[top]]
            runner_up = float(rivals.max()) if len(rivals) else 0.0
            if top_score - runner_up < FUZZY_MARGIN:
                continue
            if not _words_align(query, tax.choices[top]):
                continue
            best[query] = (top, top_score)
    out: dict[str, Resolution] = {}
    for text, (title, cleaned) in pending.items():
        hit = best.get(title)
        if hit is None:
            out[text] = unresolved(text)
        else:
            occupation = tax.occupations[tax.choice_owner[hit[0]]]
            out[text] = _result(text, occupation, hit[1], "fuzzy", cleaned)
    return out
