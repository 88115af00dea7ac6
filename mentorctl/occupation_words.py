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
SUPERVISOR_WORDS = frozenset({"supervisor", "supervisors", "supervising", "foreman",
                               "forewoman", "foreperson", "foremen"})
FIRST_LINE_SUPERVISORS = (
    ("33-3012", "33-1011"), ("33-3011", "33-1011"), ("33-3", "33-1012"), ("33-2", "33-1021"),
    ("33-9", "33-1091"), ("35-", "35-1012"), ("37-2", "37-1011"), ("37-3", "37-1012"),
    ("39-", "39-1022"), ("41-2", "41-1011"), ("43-", "43-1011"), ("45-", "45-1011"),
    ("47-", "47-1011"), ("49-", "49-1011"), ("51-", "51-1011"), ("53-3", "53-1047"),
    ("53-4", "53-1047"), ("53-5", "53-1047"), ("53-6", "53-1047"), ("53-7", "53-1047"),
)
# Words that join a title to its place of work or its field, in the eight languages: what
# follows one is tried without ("Infirmière au CHU", "Softwareentwicklerin bei SAP").
CONNECTORS = frozenset({
    "at", "for", "with", "in", "of", "on", "bei", "fur", "am", "im", "an", "der", "des", "die",
    "chez", "au", "aux", "en", "de", "du", "pour", "presso", "di", "del", "della", "nel", "nella",
    "per", "bij", "van", "voor", "w", "we", "z", "dla", "na", "no", "do", "da", "em", "para",
    "con", "por", "dans", "within"})
# Feminine endings, tried as their masculine forms when that is a known title (both forms name
# one occupation): German -in, Spanish/Portuguese/Italian -a, French -euse/-rice/-ière/-ienne.
GENDER_ENDINGS = (("innen", ""), ("in", ""), ("euse", "eur"), ("rice", "eur"), ("iere", "ier"),
                   ("ienne", "ien"), ("enne", "en"), ("a", "o"), ("a", "e"), ("a", ""))

def payroll(folded: str) -> str:
    folded = GRADE.sub(" ", folded)
    return " ".join(PAYROLL_ABBREVIATIONS.get(t, t) for t in folded.split())
