"""Word lists of the occupation resolver (`mentorctl.occupations`): payroll abbreviations and
grades, supervisor words, the connectors that join a title to its place of work, and feminine
endings. Kept apart so that the resolver's rules read on one screen."""

from __future__ import annotations

import re

# Payroll abbreviations (public-sector salary lists), expanded as whole words only; each is
# unambiguous in a job title. The general ones (Mgr, Sr., Asst, Tech, ...) are in
# occupation_data.ABBREVIATIONS.
PAYROLL_ABBREVIATIONS = {
    "supvsr": "supervisor", "supvr": "supervisor", "spvr": "supervisor", "suprv": "supervisor",
    "supv": "supervisor", "supt": "superintendent", "maint": "maintenance", "bldg": "building",
    "bldgs": "building", "insp": "inspector", "oper": "operator", "anal": "analyst",
    "wkr": "worker", "engrng": "engineering", "geol": "geologist", "hndlr": "handler",
    "dep": "deputy", "const": "construction", "constr": "construction", "ofcr": "officer",
    "svcs": "services", "srvc": "service", "trnee": "trainee", "clk": "clerk",
    "custd": "custodian", "equip": "equipment", "eqpt": "equipment", "hwy": "highway",
}
# A grade written as a number after a word: "Grade 7", "Step 2", "Level 3", "GR3".
GRADE = re.compile(r"\b(?:grade|step|level|gr|lvl)\s*\d+\b")
# "X Supervisor", "Supervisor of X", "Supervising X", "Foreman of X": the SOC first-line
# supervisor of X's domain, where SOC 2018 has one (by the code X resolves to, longest prefix
# first). Elsewhere (a supervising auditor is an auditor) the title resolves as before.
SUPERVISOR_WORDS = frozenset({"supervisor", "supervisors", "supervising", "supervisory", "foreman",
                               "forewoman", "foreperson", "foremen"})
FIRST_LINE_SUPERVISORS = (
    ("33-3012", "33-1011"), ("33-3011", "33-1011"), ("33-3", "33-1012"), ("33-2", "33-1021"),
    ("33-9", "33-1091"), ("35-", "35-1012"), ("37-2", "37-1011"), ("37-3", "37-1012"),
    ("39-301", "39-1013"), ("39-3", "39-1014"), ("39-9032", "39-1014"), ("39-", "39-1022"),
    ("41-2", "41-1011"), ("41-3", "41-1012"), ("41-4", "41-1012"), ("41-9", "41-1012"),
    ("43-", "43-1011"), ("45-", "45-1011"), ("47-", "47-1011"), ("49-", "49-1011"),
    ("51-", "51-1011"), ("53-3", "53-1047"), ("53-4", "53-1047"), ("53-5", "53-1047"),
    ("53-6", "53-1047"), ("53-7", "53-1047"),
)
# The nouns of those who do a kind of work ("remittance clerk", "vehicle repair worker"), for
# "X Supervisor" where X names the work rather than the worker.
WORKER_NOUNS = ("worker", "clerk", "technician", "specialist", "mechanic", "operator", "repairer")
# Words that join a title to its place of work or its field, in the eight languages: what
# follows one is tried without ("Infirmière au CHU", "Softwareentwicklerin bei SAP").
CONNECTORS = frozenset({
    "at", "for", "with", "in", "of", "on", "bei", "fur", "am", "im", "an", "der", "des", "die",
    "chez", "au", "aux", "en", "de", "du", "pour", "presso", "di", "del", "della", "nel", "nella",
    "per", "bij", "van", "voor", "w", "we", "z", "dla", "na", "no", "do", "da", "em", "para",
    "con", "por", "dans", "within", "auf"})
# Feminine endings, tried as their masculine forms when that is a known title (both forms name
# one occupation): German -in, Spanish/Portuguese/Italian -a, French -euse/-rice/-ière/-ienne.
GENDER_ENDINGS = (("innen", ""), ("in", ""), ("euse", "eur"), ("rice", "eur"), ("iere", "ier"),
                   ("ienne", "ien"), ("enne", "en"), ("a", "o"), ("a", "e"), ("a", ""))
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
    # Civil-service grades past IV ("Civil Engineer VII", "Engineering Technician VI").
    "v": 4, "vi": 5, "vii": 5, "viii": 5, "ix": 5, "x": 5, "5": 4, "6": 5, "7": 5, "8": 5, "9": 5,
}
# Credentials written after a title ("Psychiatrist MD", "FNP-C"): dropped when a title remains.
CREDENTIALS = {"md", "do", "phd", "rn", "mba", "cpa", "jd", "pe", "esq", "lcsw", "msw", "bsn",
               "msn", "dnp", "pmp", "cfa", "mph", "ms", "ma", "bs", "ba", "c", "bc", "cissp",
               "shrm", "cp", "scp", "ccna", "pharmd", "dds", "dmd", "np", "emt"}

# Words dropped when a title remains ("Freelance Photographer", "Part-time Nurse").
NOISE_WORDS = {"freelance", "freelancer", "contract", "contractor", "parttime", "part", "time",
               "full", "fulltime", "remote", "self", "employed", "selfemployed", "independent",
               "currently", "former", "ex", "aspiring", "acting", "interim", "temporary", "temp",
               "volunteer", "certified", "licensed", "the", "a", "an", "and", "level",
               "hourly", "seasonal", "candidate", "grade", "step", "contingent",
               # where the role sits, not what it is ("HR Department Manager")
               "department"}
# Rank words before a title ("Assistant Branch Manager" is as vague as "Branch Manager").
RANK_WORDS = {"assistant", "associate", "deputy", "chief", "head", "lead", "principal"}
# A function typed as the job ("Payroll", "Graphic Design"; curated as its worker's title) names
# the worker only when it is all the text says: "Head of Payroll" or "Director of HR/Payroll"
# head the function.
_FUNCTIONS = ("payroll", "accounts payable", "customer service", "graphic design", "inside sales",
              "technical support", "data entry", "bookkeeping", "interior design",
              "industrial design", "product design", "business analysis", "data analysis",
              "instructional design", "administrative support", "admin support")
# ... and as one word, a form the resolver also tries ("Graphicdesign", as "Truckdriver")
FUNCTION_TITLES = frozenset([*_FUNCTIONS, *(f.replace(" ", "") for f in _FUNCTIONS)])

# "Zoology Professor", "Assistant Professor of History", "Lecturer".
PROFESSOR = re.compile(r"^(?:assistant |associate |adjunct |visiting |full |emeritus )*"
                       r"(?:(.+) )?(?:professor|lecturer)(?: of (.+))?$")


def payroll(folded: str) -> str:
    folded = GRADE.sub(" ", folded)
    return " ".join(PAYROLL_ABBREVIATIONS.get(t, t) for t in folded.split())


def professor_subjects(form: str) -> list[str]:
    """'assistant professor of chemistry', 'associate professor dept of economics' ->
    ['chemistry professor', ...]: the subject before the title, as O*NET writes it."""
    words = [w for w in form.split() if w not in ("assistant", "associate", "adjunct", "visiting",
                                                   "full", "emeritus", "dept", "department",
                                                   "of", "in", "the", "school")]
    if "professor" not in words and "lecturer" not in words:
        return []
    subject = [w for w in words if w not in ("professor", "lecturer")]
    return [f"{' '.join(subject)} professor", f"{' '.join(subject)} teacher postsecondary"] \
        if subject else []


def singular(token: str) -> str:
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 4 and token.endswith("s") and not token.endswith(("ss", "us", "is", "ics")):
        return token[:-1]
    return token


_GRADES = frozenset({"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"})


def without_grade(title: str) -> str:
    """'executive director iii' -> 'executive director': the title less a trailing civil-service
    grade (a roman or arabic number), and nothing else."""
    tokens = title.split()
    while len(tokens) > 1 and (tokens[-1] in _GRADES or tokens[-1].isdigit()):
        tokens = tokens[:-1]
    return " ".join(tokens)


def stated_level(words: list[str]) -> int | None:
    """The highest seniority level the words state, if any."""
    return max((SENIORITY[w] for w in words if SENIORITY.get(w) is not None), default=None)


def leading_seniority_dropped(title: str) -> list[str]:
    """'senior executive assistant' -> ['executive assistant']: the title less one, then two ...
    of its leading seniority words, while a word remains ("Executive" and "Staff" are seniority
    words and begin titles too)."""
    tokens = without_grade(title).split()
    found = []
    while len(tokens) > 2 and (SENIORITY.get(tokens[0]) is not None or tokens[0] in READ_THROUGH):
        tokens = tokens[1:]
        found.append(" ".join(tokens))
    return found


# How far a role reaches, before its title ("Global Accounting Manager", "National Sales
# Trainer"): tried without, like a seniority word, when the title with it is not known.
SCOPE_WORDS = frozenset({"global", "worldwide", "international", "national", "regional"})
# ... and so is a deputy's ("Deputy Executive Director"), which states no level of its own: a
# "Deputy Sheriff" is a sheriff's officer, not a senior one.
READ_THROUGH = SCOPE_WORDS | {"deputy"}


def strip_seniority(title: str) -> tuple[str, int | None, str | None]:
    """'Senior Staff Accountant' -> ('staff accountant', 3, 'senior'): the title less its
    seniority words, the highest level they state and the word that states it."""
    tokens = title.split()
    kept: list[str] = []
    level: int | None = None
    word: str | None = None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        pair = " ".join(tokens[i:i + 2])
        if pair in ("entry level", "head of", "mid level", "assistant to", "in training"):
            level, word = max(level or 0, {"entry level": 1, "head of": 5, "mid level": 2,
                                           "assistant to": 1, "in training": 0}[pair]), pair
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
