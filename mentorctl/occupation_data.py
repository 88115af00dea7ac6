"""The occupation vocabulary behind `mentorctl.occupations`, keyed by SOC 2018 detailed codes.

Loaded once, on first use, from the package's data:

- `data/occupations.tsv.gz` (built by tools/build_occupations.py from O*NET 27.0, the SOC 2018
  hierarchy and ESCO 1.0.8): the SOC hierarchy, and about 121,000 titles in eight languages,
  each a way in to one detailed occupation (108,000), or marked ambiguous when several claim it;
- `data/occupations/*.yaml`: the curated occupations, each tagged with its SOC code: their names
  are the display names, their synonyms the modern titles and abbreviations that the standard
  lists lack ("SRE", "Frontend Developer", "RN");
- `data/occupation_languages.yaml`: everyday titles in the other seven languages for curated
  occupations;
- `data/occupation_vague.yaml`: text that names no one occupation ("Manager", "Student").

A key that a curated entry claims resolves to it; otherwise the standard titles decide.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from mentorctl.resolution import fold

DATA_DIR = Path(__file__).resolve().parent / "data"

# Minor groups whose members share a profession worth naming ("both healthcare diagnosing or
# treating practitioners"); the others (and every major group: "management") are too broad.
PROFESSIONS = frozenset({
    "13-2000", "15-1200", "15-2000", "17-1000", "17-2000", "19-1000", "19-2000", "19-3000",
    "21-1000", "23-1000", "23-2000", "25-1000", "25-2000", "27-1000", "27-2000", "27-3000",
    "29-1000", "29-2000", "31-1100", "31-9000", "33-1000", "33-2000", "33-3000", "35-2000",
    "47-2000", "49-3000", "53-2000", "53-3000",
})


@dataclass(frozen=True)
class Curated:
    name: str  # the display name, e.g. "Frontend Developer"
    code: str  # its SOC detailed code


# SOC 2018 numbers a broad group's occupations within its own ten, except Physicians: 29-1210
# holds 29-1211 to 29-1229 (pediatricians, psychiatrists, "Physicians, All Other").
_BROAD_PAST_TEN = {"29-122": "29-1210"}


@dataclass
class Vocabulary:
    soc: dict[str, tuple[int, str]]  # code -> (level, official title)
    curated: dict[str, Curated]  # folded title -> curated entry
    titles: dict[str, str]  # folded title -> SOC detailed code (unambiguous standard titles)
    ambiguous: dict[str, tuple[str, ...]]  # folded title -> the codes that claim it
    vague: frozenset[str]
    display: dict[str, str] = field(default_factory=dict)  # code -> display name
    words: frozenset[str] = frozenset()  # the titles' words: never fuzzy-corrected
    strong: frozenset[str] = frozenset()  # titles with more than one piece of evidence
    english: frozenset[str] = frozenset()  # the curated English titles (what typos become)
    # an ambiguous title of two words or more that at most three codes claim at all -> those
    # codes, most evidence first: the first is a best guess ("content manager")
    guesses: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def level(self, code: str, level: int) -> str | None:
        """The code's ancestor at a level (0 major, 1 minor, 2 broad), when the table has it.
        A minor group is XX-YY00 or XX-Y000 (15-1200 holds 15-1252; 29-1000 holds 29-1215)."""
        candidates = {0: [code[:3] + "0000"], 1: [code[:5] + "00", code[:4] + "000"],
                      2: [code[:6] + "0"]}[level]
        if level == 2 and code[:6] in _BROAD_PAST_TEN:
            candidates.append(_BROAD_PAST_TEN[code[:6]])
        for candidate in candidates:
            found = self.soc.get(candidate)
            if found and found[0] == level:
                return candidate
        return None

    def title(self, code: str | None) -> str | None:
        return self.soc[code][1] if code in self.soc else None


_QUALIFIERS = {"Postsecondary", "General", "Dispensing", "Registered", "Transit and Intercity",
               "Restaurant", "Retail", "Wholesale and Manufacturing"}


_LOWER = frozenset({"and", "of", "for", "the", "in", "on", "at", "to", "a", "an", "or", "with"})
_UPPER = frozenset({"it", "ai", "ml", "hr", "ui", "ux", "qa", "gis", "erp", "crm", "sap", "ehs",
                    "hse", "ehr", "emr", "cad", "seo", "bi", "pr", "rn", "ceo", "cfo", "cto", "coo"})


def title_case(folded: str) -> str:
    """A folded title as a display name: 'it security analyst' -> 'IT Security Analyst'."""
    words = folded.split()
    return " ".join(w.upper() if w in _UPPER else w if w in _LOWER and i else w.capitalize()
                    for i, w in enumerate(words))


def singular_title(title: str) -> str:
    """A display name from an official (plural) title, naming one worker: 'Registered Nurses' ->
    'Registered Nurse', 'Biological Science Teachers, Postsecondary' -> 'Postsecondary Biological
    Science Teacher', 'Cooks, Fast Food' -> 'Fast Food Cook', 'Helpers--Carpenters' -> 'Carpenter
    Helper', 'Tank Car, Truck, and Ship Loaders' -> 'Tank Car, Truck, and Ship Loader'."""
    title = re.sub(r", (?:Except|All Other|Including)\b.*$", "", title)
    if title.startswith("Helpers--"):
        return f"{singular_title(title[len('Helpers--'):])} Helper"
    head, of, workers = title.partition(" of ")
    if of and "," not in head:
        # "First-Line Supervisors of Mechanics, Installers, and Repairers": the head is the
        # plural, what follows "of" is who they supervise and stays as written.
        return f"{singular_title(head)} of {workers}"
    parts = [p.strip() for p in title.split(",") if p.strip()]
    if not parts:
        return title
    # The worker is the first part that ends in a plural worker noun; parts before it are a
    # list of what that worker works on ("Locker Room, Coatroom, and Dressing Room Attendants"),
    # parts after it other workers of the code or a qualifier.
    last = next((i for i, p in enumerate(parts) if _names_workers(p.split()[-1])), 0)
    base, rest = ", ".join(parts[:last + 1]), parts[last + 1:]
    if len(rest) == 1 and (rest[0] in _QUALIFIERS or last == 0 and not rest[0].startswith("and ")
                           and len(f"{rest[0]} {base}".split()) <= 4):  # not a name of eight words
        if last == 0 and " " not in base and _names_workers(rest[0].split()[-1]):
            base = rest[0]  # "Physicians, Pathologists": a pathologist
        else:
            base = f"{rest[0]} {base}"  # "Cooks, Fast Food": a fast food cook
    words = base.split()
    # The last word, and each plural before "and" ("Couriers and Messengers") unless the head
    # comes first ("Supervisors of Construction Trades and Extraction Workers").
    pairs = "of" not in words
    return " ".join(_one(w) if i == len(words) - 1 or pairs and words[i + 1] == "and"
                    and _names_workers(w) else w for i, w in enumerate(words))


# Plurals in SOC titles that name no worker ("Securities, Commodities, and Financial Services
# Sales Agents", "Aircraft Structure, Surfaces, Rigging, and Systems Assemblers").
_NOT_WORKERS = frozenset({"Animals", "Benefits", "Commodities", "Fibers", "Forces", "Gas",
                          "Materials", "Occupations", "Operations", "Products", "Programs",
                          "Sciences", "Securities", "Services", "Surfaces", "Systems", "Trades",
                          "Utilities", "Vehicles", "Vessels"})


def _names_workers(word: str) -> bool:
    return word.endswith("s") and not word.endswith(("ss", "us", "is")) and \
        word not in _NOT_WORKERS and word[:1].isupper()


def _one(word: str) -> str:
    if word.lower() in ("sales", "news", "series", "species", "arts", "athletics", "forces"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes")):
        return word[:-2]
    if word.endswith("wives"):  # "Nurse Midwives"
        return word[:-3] + "fe"
    if word.endswith("men"):
        return word[:-3] + "man"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _names_official(name: str, official: tuple[int, str] | None) -> bool:
    """Whether a curated name and the code's SOC title say the same: one's words hold the
    other's ("Network Administrator" for Network and Computer Systems Administrators, not "Site
    Reliability Engineer"; "Chief Executive Officer" for Chief Executives)."""
    if official is None:
        return False
    mine = {singular_word(w) for w in fold(name).split()}
    theirs = {singular_word(w) for w in fold(official[1].split(",")[0]).split()} - {"and", "of"}
    return mine <= theirs | {"and", "of"} or theirs <= mine


# Titles whose everyday sense is not the one SOC files them under: a community manager runs an
# online community, not a homeowners' association; a recovery officer recovers debts, not
# aircraft.
_EVERYDAY_SENSE = frozenset({"community manager", "recovery officer"})


def _standard_says_otherwise(key: str, code: str, titles: dict[str, str], strong: set[str],
                             soc: dict[str, tuple[int, str]]) -> bool:
    """A curated title that more than one O*NET source files under another code, whose official
    SOC title holds every word of it while the curated code's does not, yields to it:
    "stonemason" is 47-2022 Stonemasons, "purchasing manager" 11-3061 Purchasing Managers,
    "school bus driver" 53-3051 Bus Drivers, School. Abbreviations and titles O*NET files under
    an "All Other" code ("IT manager", "scrum master") keep their curated code, and so do those
    both official titles name ("painter")."""
    other = titles.get(key)
    if other is None or other == code or key not in strong or " " not in key and len(key) < 4 \
            or key in _EVERYDAY_SENSE:
        return False
    asked = {singular_word(w) for w in key.split()}

    def names_it(soc_code: str) -> bool:
        words = {singular_word(w) for w in fold(soc[soc_code][1]).split()}
        return asked <= words

    # A qualifier the key does not share ("Food Servers, Nonrestaurant", "Maintenance Workers,
    # Machinery") narrows the official title to another sense than the plain words.
    head, *rest = soc[other][1].split(",")
    qualifiers = [part for part in rest if head.endswith("s") and part.strip()
                  and not part.strip().startswith(("and ", "All Other"))]
    if any(not {singular_word(w) for w in fold(part).split()} & asked for part in qualifiers):
        return False
    return names_it(other) and not (code in soc and names_it(code))


def title_bound(attrs: dict) -> bool:
    """An occupation known by its title alone: a catch-all code, or a best guess among the
    codes a title names ("Content Manager"). Two titles are then one occupation only when they
    are one title."""
    return bool(attrs.get("ambiguous")) or catch_all(attrs)


def catch_all(attrs: dict) -> bool:
    """An occupation under a catch-all code: an "All Other" code outside any real broad group
    ("Managers, All Other"; "Healthcare Diagnosing or Treating Practitioners, All Other" in the
    Miscellaneous group). It holds unlike occupations, so two titles under it are one occupation
    only when they are one title. "Physicians, All Other" sits in Physicians and stays one."""
    if not str(attrs.get("soc_title") or "").endswith("All Other"):
        return False
    broad = (attrs.get("family_titles") or {}).get("broad")
    return not broad or broad.startswith("Miscellaneous")


def singular_word(word: str) -> str:
    return singular_title(word).lower() if word else word


@cache
def vocabulary() -> Vocabulary:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    soc: dict[str, tuple[int, str]] = {}
    titles: dict[str, str] = {}
    ambiguous: dict[str, tuple[str, ...]] = {}
    guesses: dict[str, tuple[str, ...]] = {}
    english_words: set[str] = set()
    strong: set[str] = set()
    # One row per code holds all its keys (tools/build_occupations.py): a split per row and a
    # dict update per code, instead of Python work for each of the ~108,000 titles (~0.3 s).
    table = gzip.decompress((DATA_DIR / "occupations.tsv.gz").read_bytes()).decode("utf-8")
    for line in table.split("\n")[:-1]:  # the rows end with "\n"
        kind, first, *rest = line.split("\t")
        if kind == "T":  # code, strong, its keys
            titles.update(dict.fromkeys(rest[1:], first))
            if rest[0] == "1":
                strong.update(rest[1:])
        elif kind == "A":
            ambiguous[first] = tuple(rest[0].split())
        elif kind == "G":
            guesses[first] = tuple(rest[0].split())
        elif kind == "S":
            soc[first] = (int(rest[0]), rest[1])
        elif kind == "W":
            english_words.update([first, *rest])

    curated: dict[str, Curated] = {}
    english: set[str] = set()
    display: dict[str, str] = {}
    by_name: dict[str, Curated] = {}
    for path in sorted((DATA_DIR / "occupations").glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        for entry in data["occupations"]:
            item = Curated(entry["name"], str(entry["soc"]))
            by_name[item.name] = item
            if item.code not in display or (_names_official(item.name, soc.get(item.code))
                                            and not _names_official(display[item.code],
                                                                    soc.get(item.code))):
                display[item.code] = item.name  # the first name the SOC title bears out
            for text in [item.name, *(entry.get("synonyms") or [])]:
                for key in keys(str(text)):
                    if _standard_says_otherwise(key, item.code, titles, strong, soc):
                        continue
                    curated.setdefault(key, item)
                    english.add(key)
                    english_words.update(key.split())
                    joined = key.replace(" ", "")  # "Truckdriver": written as one word
                    if joined != key and not _standard_says_otherwise(joined, item.code, titles,
                                                                      strong, soc):
                        curated.setdefault(joined, item)
    languages = yaml.load((DATA_DIR / "occupation_languages.yaml").read_text(encoding="utf-8"),
                          Loader=loader)
    for name, texts in languages.items():
        for text in texts or ():
            for key in keys(str(text)):
                curated.setdefault(key, by_name[name])
    vague = yaml.load((DATA_DIR / "occupation_vague.yaml").read_text(encoding="utf-8"),
                      Loader=loader)["vague"]
    vague_keys = frozenset(fold(str(v)) for v in vague)
    for code, (level, title) in soc.items():
        if level == 3:
            display.setdefault(code, singular_title(title))
    for code, name in display.items():
        # The name shown for an occupation leads back to it ("Forging Machine Setter", SOC's
        # title cut before its ", Operators, and Tenders"), unless the lists give it elsewhere.
        for key in keys(name):
            if key not in curated and key not in titles and key not in ambiguous and \
                    key not in vague_keys:
                titles[key] = code
    return Vocabulary(soc, curated, titles, ambiguous, vague_keys, display,
                      frozenset(english_words), frozenset(strong), frozenset(english), guesses)


def keys(text: str) -> list[str]:
    """The folded forms a title is found under: as written, and with abbreviations expanded."""
    folded = fold(text)
    return list(dict.fromkeys(k for k in (folded, expand(folded)) if k))


# --- abbreviations -------------------------------------------------------------------------

ABBREVIATIONS = {
    "mgr": "manager", "mngr": "manager", "mgmt": "management", "eng": "engineer",
    "engr": "engineer", "engg": "engineering", "sr": "senior", "snr": "senior", "jr": "junior",
    "jnr": "junior", "asst": "assistant", "assoc": "associate", "admin": "administrator",
    "adm": "administrator", "dev": "developer", "devs": "developer", "coord": "coordinator",
    "spec": "specialist", "tech": "technician", "techn": "technician", "dir": "director",
    "exec": "executive", "rep": "representative", "reps": "representative",
    "info": "information", "mktg": "marketing", "mkt": "marketing", "ops": "operations", "sw": "software",
    "swe": "swe", "svc": "service", "svcs": "services", "cust": "customer", "dept": "department",
    "govt": "government", "prof": "professor", "instr": "instructor", "supv": "supervisor",
    "supvr": "supervisor", "tchr": "teacher", "analy": "analyst", "anlyst": "analyst",
    "anlst": "analyst", "acctnt": "accountant", "acctant": "accountant",
    "acctg": "accounting", "hs": "high school", "elem": "elementary", "sped": "special education",
    "pt": "pt", "univ": "university", "res": "research", "sci": "scientist", "mech": "mechanical",
    "elec": "electrical", "chem": "chemical", "prog": "programmer", "proj": "project",
    "prod": "product", "sys": "systems", "sysadmin": "systems administrator",
    "architecht": "architect", "gen": "general", "intl": "international", "natl": "national",
}


# British spellings, written the American way O*NET writes titles ("paediatrician").
_BRITISH = (("orthopaed", "orthoped"), ("paed", "ped"), ("anaesth", "anesth"), ("haem", "hem"),
            ("gynaec", "gynec"), ("oesoph", "esoph"), ("labour", "labor"),
            ("programme", "program"), ("organis", "organiz"), ("centre", "center"),
            ("defence", "defense"), ("licence", "license"), ("theatre", "theater"),
            ("adviser", "advisor"), ("counsell", "counsel"))


_BRITISH_PREFIX = re.compile("^(" + "|".join(b for b, _ in _BRITISH) + ")")
_AMERICAN = dict(_BRITISH)


def _american(token: str) -> str:
    found = _BRITISH_PREFIX.match(token)
    return token if found is None else _AMERICAN[found.group(1)] + token[found.end():]


def expand(folded: str) -> str:
    """Abbreviations token by token; 'acct' is an account before mgr/exec/rep, else accountant."""
    tokens = _join_initials(folded.split())
    out = []
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token == "bus" and following in _BUSINESS_NEXT:
            out.append("business")
            continue
        if token in ("eng", "engr") and following in _ENGINEERING_NEXT:
            out.append("engineering")  # "Eng Manager" manages engineering
            continue
        if token in ("acct", "acc", "accts"):
            token = "account" if following in ("mgr", "manager", "exec", "executive", "rep",
                                               "representative", "director") else "accountant"
        out.append(ABBREVIATIONS.get(token, _american(token)))
    return " ".join(out)


_ENGINEERING_NEXT = {"manager", "mgr", "director", "dir", "lead", "head", "vp", "operations", "ops",
                     "team", "department", "dept"}
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
