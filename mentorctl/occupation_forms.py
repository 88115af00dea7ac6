"""The forms a cleaned job title is looked up under, in order: as written, without its seniority
words, a field's head ("Director of Development" -> "development director"), comma inversions,
less credentials, in the other number, written as one word, a payroll order turned round, and
so on (mentorctl.occupations tries each against the vocabulary)."""

from __future__ import annotations

import re

from mentorctl.occupation_clean import Cleaned
from mentorctl.occupation_data import Vocabulary
from mentorctl.occupation_words import (
    CONNECTORS,
    CREDENTIALS,
    NOISE_WORDS,
    PROFESSOR,
    RANK_WORDS,
    singular,
    strip_seniority,
)

# "Director of X", "Assistant Director of X", "Manager of X", "Managing Director of X": the
# manager of field X, when that is a title. A rank before the executive word changes nothing.
_RANKED = (r"^(?:(?:assistant|associate|deputy|senior|executive|managing|regional|group|global|"
           r"national|international|worldwide) )*")
_HEAD_OF = re.compile(_RANKED + r"(head|director|vp|vice president|chief|manager) of (.+)$")
# "VP Marketing", "SVP Human Resources", "Director Engineering", "Mgr IT": an executive word
# before a field reads as "head of" that field (the field's manager, when that is a title).
_EXEC_FIELD = re.compile(_RANKED + r"(vp|svp|evp|avp|cvp|vice president|director|manager) "
                         r"(?!of |in |to )(.+)$")
# Modifiers titles write in the plural ("Systems Architect", "Guest Services Manager"), tried
# in the other number when the text has the one.
_NUMBER = {singular: f"{singular}s" for singular in (
    "service", "application", "operation", "contract", "benefit", "claim",
    "communication", "record", "account", "program", "project", "sale", "career")}
_NUMBER.update({plural: singular for singular, plural in list(_NUMBER.items())})


def title_forms(cleaned: Cleaned, voc: Vocabulary) -> list[tuple[str, str]]:
    """(form, method) to try in order: exact first, then the rules."""
    forms = [(cleaned.full, "exact"), (cleaned.title, "rule")]
    for form in (cleaned.full, cleaned.title):  # "Assistant Director, Marketing" before its parts
        forms += [(f, "rule") for f in headed_forms(form)]
    forms += [(alt, "rule") for alt in cleaned.inverted]
    forms += [(strip_seniority(alt)[0], "rule") for alt in cleaned.inverted]
    for form in list(f for f, _ in forms):
        tokens = form.split()
        while len(tokens) > 1 and tokens[-1] in CREDENTIALS:
            tokens = tokens[:-1]
            forms.append((" ".join(tokens), "rule"))
        if len(tokens) > 2 and tokens[0] in CREDENTIALS:  # "RN - Nurse Supervisor"
            forms.append((" ".join(tokens[1:]), "rule"))
        words = form.split()  # "Guest Service(s) Manager", "System(s) Architect"
        renumbered = [_NUMBER.get(t, t) for t in words[:-1]] + words[-1:]
        if renumbered != words and form not in voc.ambiguous:  # an "Account Supervisor" is
            # no "Accounts Supervisor": a title the lists hold as written keeps its number
            forms.append((" ".join(renumbered), "rule"))
        forms.append(("".join(form.split()), "rule"))  # "truck driver" written "Truckdriver"
        letters_dropped = " ".join(t for t in form.split() if len(t) > 1 or t == "i")
        if letters_dropped and letters_dropped != form:
            forms.append((letters_dropped, "rule"))  # "HVAC/R Technician"
        head = headed_forms(form)
        tokens = form.split()
        if not head and len(tokens) > 1 and tokens[0] in voc.vague and \
                tokens[0] not in RANK_WORDS and tokens[1] not in CONNECTORS:
            # A payroll order without its comma: "Teacher Special Education", "Analyst Budget".
            forms.append((" ".join([*tokens[1:], tokens[0]]), "rule"))
        forms += [(f, "rule") for f in head]
        of_what = re.match(r"^(.+?) (?:of|in) .+$", form)
        if of_what and not head and not PROFESSOR.match(form):  # "Professor of English" below
            forms.append((of_what.group(1), "rule"))  # "Professor of History"
        without_noise = " ".join(t for t in form.split() if t not in NOISE_WORDS)
        if without_noise and without_noise != form:
            forms.append((without_noise, "rule"))
        single = " ".join(singular(t) for t in form.split())
        if single != form:
            forms.append((single, "rule"))
        if len(tokens) > 1 and tokens[-1] in ("resident", "fellow"):
            # A physician in training, of a specialty the lists name ("Psychiatry Resident")
            trainee = " ".join([*tokens[:-1], "physician"])
            if trainee in voc.curated or trainee in voc.titles:
                forms.append((trainee, "rule"))
    return forms


def headed_forms(form: str) -> list[str]:
    """'Director of Development' -> ['development director', 'development manager']: the field's
    head, under the executive word written first."""
    head = _HEAD_OF.match(form) or _EXEC_FIELD.match(form)
    if head is None:
        return []
    field = head.group(2)
    first = "director" if head.group(1) == "director" else "manager"
    return [f"{field} {first}", f"{field} {'manager' if first == 'director' else 'director'}"]
