"""Occupation normalization: a job title as typed -> a SOC 2018 detailed occupation, its place in
the SOC hierarchy, and the level the title states.

    >>> [(r.canonical, r.code) for r in resolve_occupations(["Sr. SWE", "enfermera", "RN, BSN"])]
    [('Software Developer', '15-1252'), ('Registered Nurse', '29-1141'), ('Registered Nurse', '29-1141')]

The vocabulary (mentorctl.occupation_data) holds the SOC hierarchy, the O*NET and ESCO titles in
eight languages and the curated titles. Pipeline, for each distinct input:

1. program aliases (the coordinator's, matched by fold()) win over everything;
2. clean (mentorctl.occupation_clean): fold, drop employer and asides ("at Google", "(contract)"),
   expand abbreviations (Mgr, Eng., Supv, Maint), split off seniority words (intern 0 ...
   principal 5) as an attribute, drop credentials ("RN, BSN") and grades ("VII", "Grade 7");
   then "X Supervisor" / "Supervisor of X" / "Foreman of X" is the SOC first-line supervisor
   of X's domain where SOC has one (37-1011, 43-1011, 49-1011 ...), and so is the supervisor of
   a kind of work its workers agree on ("Vehicle Repair Supervisor");
3. a school subject or grade before "teacher" is a school teacher, before anything else
   ("History Teacher", "Grade 4 Teacher"; mentorctl.occupation_teachers); other vague text
   ("Manager", "Consultant", "Student", "N/A") stays unresolved;
4. exact lookup of each cleaned form: a curated title first, then the standard titles; a title
   several occupations claim with no clear winner ("Engineer") stays unresolved;
5. rules: "A & B" / "A / B" / "Founder and CEO" (the first side that resolves), "X Professor" /
   "Professor of X" / "Lecturer" (a postsecondary teacher), comma inversions, "head of X", the
   longest known tail ("ICU Registered Nurse"; mentorctl.occupation_heads), a title before a
   tool word ("DBA SQL"), an office role named by its field ("People Team Manager", "Chief
   Revenue Officer"; mentorctl.occupation_fields); a title the standard lists file under several
   codes is never read as another code by a part of it ("Wellness Coach");
6. a title of two words or more that only two or three codes claim ("Content Manager"), or a
   teacher of no stated school ("Teacher"), is the first of its codes as a best guess that says
   so: score 70, the other codes as alternatives, `unresolved` lists it, and only the SOC levels
   all its codes share count as its family (mentorctl.occupation_result);
7. a fuzzy fallback for typos (mentorctl.occupation_fuzzy): the whole title as a typo of a
   curated one, else its misspelt words respelt one typo away and the title read again; a word
   of the vocabulary is never corrected into another ("Processor" is not "Professor");
8. otherwise unresolved.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from mentorctl.errors import InvalidInput
from mentorctl.occupation_clean import ASIDE, Cleaned, clean
from mentorctl.occupation_closest import Closest, closest_occupations
from mentorctl.occupation_data import Vocabulary, expand, singular_title, title_case, vocabulary
from mentorctl.occupation_fields import chief_officer, field_role
from mentorctl.occupation_forms import headed_forms, title_forms
from mentorctl.occupation_fuzzy import typo_matches, word_corrections
from mentorctl.occupation_heads import MIN_NOUN_TITLES, known_head, known_tail, masculine, title_endings
from mentorctl.occupation_result import Hit, best_guess, guessed, result
from mentorctl.occupation_teachers import (
    INSTRUCTOR_GUESS,
    SCHOOL_LEVELS,
    SOME_INSTRUCTOR,
    SOME_SCHOOL_TEACHER,
    school_teacher,
)
from mentorctl.occupation_words import (
    CONNECTORS,
    CREDENTIALS,
    FIRST_LINE_SUPERVISORS,
    FUNCTION_TITLES,
    NOISE_WORDS,
    PROFESSOR,
    RANK_WORDS,
    SUPERVISOR_WORDS,
    WORKER_NOUNS,
    professor_subjects,
    strip_seniority,
)
from mentorctl.resolution import Resolution, fold, unresolved

_FIRST_LINE = frozenset(code for _prefix, code in FIRST_LINE_SUPERVISORS)
_SPLIT = re.compile(r"\s*(?:&|\+|/|\band\b|\bund\b|\by\b|\bet\b|\be\b|\bi\b|\ben\b)\s*")


def _supervised(cleaned: Cleaned, voc: Vocabulary, own: bool = False) -> Hit | None:
    """'Maintenance Supervisor', 'Supervisor of Custodians', 'Foreman of Machinists': the first-
    line supervisor code of the domain the rest of the title resolves to, if SOC has one; with
    `own` (when nothing else matched), else the rest's own code ("Help Desk Supervisor")."""
    tokens = cleaned.full.split()
    if not any(t in SUPERVISOR_WORDS for t in tokens):
        return None
    rest = " ".join(t for t in tokens if t not in SUPERVISOR_WORDS and t not in ("of", "first",
                                                                                  "line"))
    if not rest:
        return None
    # The supervisor of X supervises X's workers ("Maintenance Supervisor").
    hit = _lookup(clean(rest), voc, 1) or (_lookup(clean(f"{rest} worker"), voc, 1)
                                            if " " not in rest else None)
    if hit is None:
        return _supervised_work(rest, voc) if own else None
    code = _first_line(hit.code)
    if code is not None:
        return Hit(code, None, "rule") if code in voc.soc else None
    return Hit(hit.code, hit.name, "rule") if own and hit.code[:2] not in ("11", "13") else None


def _first_line(code: str) -> str | None:
    return next((line for prefix, line in FIRST_LINE_SUPERVISORS if code.startswith(prefix)), None)


def _supervised_work(work: str, voc: Vocabulary) -> Hit | None:
    """'Vehicle Repair Supervisor', 'Remittance Supervisor': the work named, not its worker. The
    workers who do it ("vehicle repair worker", "remittance clerk", ...) must all fall under one
    first-line supervisor code; a worker of a group without one, or two groups, leave it."""
    if title_endings(voc)[work.rsplit(" ", 1)[-1]] >= MIN_NOUN_TITLES:
        return None  # "Fire Communications Operator" names its worker: no other is tried
    found = {_first_line(hit.code) for noun in WORKER_NOUNS
             if (hit := _lookup(clean(f"{work} {noun}"), voc, 1)) is not None}
    if len(found) != 1 or None in found:
        return None
    code = found.pop()
    return Hit(code, None, "rule") if code in voc.soc else None


# --- lookup ---------------------------------------------------------------------------------------


def _exact(form: str, voc: Vocabulary) -> Hit | None:
    entry = voc.curated.get(form)
    if entry is not None:
        return Hit(entry.code, entry.name, "exact")
    code = voc.titles.get(form) if len(form) > 1 else None  # not the "A" of "HR M&A"
    if code is None:
        return None
    if form not in voc.strong and (field := field_role(form, qualified=False)) and \
            field[:5] != code[:5] and field in voc.soc:
        # One O*NET listing is weak evidence for an office title made of a field and a role
        # ("Human Resources Consultant" is listed once, under organizational psychologists):
        # the field's code for the role wins.
        return Hit(field, singular_title(voc.soc[field][1]), "exact")
    # An "All Other" code holds unlike occupations: the title found names it, not a curated
    # neighbour ("Document Control Coordinator" is no "Solutions Architect").
    return Hit(code, title_case(form) if voc.soc[code][1].endswith("All Other") else None,
               "exact")


def _is_vague(cleaned: Cleaned, voc: Vocabulary) -> bool:
    if cleaned.full in voc.vague:  # "Assistant Manager": vague as written
        return cleaned.full not in voc.curated
    if cleaned.full in voc.guesses:  # "Volunteer Coordinator": a title, if of a few codes
        return False
    # "Executive Director III" is an executive director, "Senior Executive Assistant" one too
    if any(full in voc.curated or (full in voc.titles and cleaned.title.split()[-1]
                                   != full.split()[-1])
           for full in (cleaned.full, *cleaned.shortened)):
        return False  # "Assistant Principal": a title whose noun is also a seniority word
    if any(_exact(head, voc) for head in headed_forms(cleaned.full)):
        return False  # "Head of Technology": the head of a field the lists name a manager of
    forms = {cleaned.full, cleaned.title, " ".join(t for t in cleaned.title.split()
                                                  if t not in NOISE_WORDS)}
    if field_role(cleaned.shortened[0]) in voc.soc or _chief_officer(cleaned, voc):
        return False  # "Contract Administrator": a field's role ("contract" is no contractor)
    words = cleaned.title.split()
    while len(words) > 1 and words[0] in RANK_WORDS:  # "Assistant Branch Manager"
        words = words[1:]
    forms.add(" ".join(words))
    return bool(forms & voc.vague) and not any(voc.curated.get(f) for f in forms)


def _with_aside(text: str) -> str | None:
    """'Teacher (High School)', 'Manager (IT)': a vague title with its field in brackets reads
    as the field's title ('high school teacher')."""
    aside = ASIDE.search(text)
    if aside is None or all(w in NOISE_WORDS for w in fold(aside.group(0)).split()):
        return None  # "(contract)", "(remote)": how the work is held, not its field
    rest = ASIDE.sub(" ", text).strip()
    return f"{aside.group(0)[1:-1]} {rest}" if rest else None


def _read_with_aside(text: str, with_aside: str, voc: Vocabulary) -> Cleaned:
    """The vague title read with its aside ('it manager'); when that finds nothing, the aside
    alone if it is a title ('Partner (Attorney)': no 'attorney partner', but an attorney)."""
    cleaned = clean(with_aside)
    if _lookup(cleaned, voc) is not None or best_guess(text, cleaned, voc) is not None:
        return cleaned
    aside = _aside_title(text, voc)
    return aside[0] if aside is not None else cleaned


def _aside_title(text: str, voc: Vocabulary) -> tuple[Cleaned, Hit] | None:
    """'Court Administrative Specialist (Court Clerk)': when the title finds nothing, a title
    in its brackets names the job."""
    aside = ASIDE.search(text)
    if aside is None:
        return None
    alone = clean(aside.group(0)[1:-1])
    if not alone.full or _is_vague(alone, voc) or (hit := _lookup(alone, voc)) is None:
        return None
    return alone, Hit(hit.code, hit.name, "rule")


def _lookup(cleaned: Cleaned, voc: Vocabulary, depth: int = 0) -> Hit | None:
    # Most titles are found as written, or without their seniority words: try those first
    # ("Supervising Plumber" is a supervisor before it is a plumber).
    if depth == 0 and (hit := _exact(cleaned.full, voc)) is None:
        hit = _supervised(cleaned, voc)
        if hit is not None:
            return hit
    if depth == 0 and (hit := _chief_officer(cleaned, voc)) is not None:
        return hit
    # A title the standard lists file under several codes ("Wellness Coach": 11-9179, 21-1019,
    # 39-9031; "Senior Web Application Developer" less its seniority) is none of them by a
    # shorter form or a part of it ("Coach" of sports) unless that names one of its codes.
    claimed: tuple[str, ...] = ()
    # what a function typed as the job may be found as: all of the text, less its grade or
    # seniority ("Accounts Payable Lead"), but not less a head word ("Head of Payroll")
    as_typed = {cleaned.full, *cleaned.shortened,
                *([cleaned.title] if cleaned.level_word not in ("head", "head of", "chief") else [])}
    for form, method in ((cleaned.full, "exact"), *((f, "rule") for f in cleaned.shortened),
                         (cleaned.title, "rule")):
        if form in FUNCTION_TITLES and form not in as_typed:
            continue  # "Head of HR" heads HR: not an HR specialist
        if not all(w in CREDENTIALS for w in form.split()):
            hit = _exact(form, voc)
            if hit is not None and not _unclaimed(hit.code, claimed):
                return Hit(hit.code, hit.name, method)
        if not claimed and cleaned.full not in voc.curated:
            claimed = voc.ambiguous.get(form, ())
    if not claimed and cleaned.first in voc.guesses and cleaned.full not in voc.curated:
        # "Clinical Therapist - Google": a title part that is a best guess bounds its tail as
        # the title alone does (no bare "therapist"); not a vague head of a payroll order
        # ("Engineer, Assistant Software")
        claimed = voc.ambiguous.get(cleaned.first, ())
    # A form that is only credentials ("MD" of "MD, Cardiologist") is tried last.
    candidates = title_forms(cleaned, voc)
    forms = [f for f in candidates if not all(w in CREDENTIALS for w in f[0].split())]
    forms += [(m, "rule") for f, _ in forms[:3] if (m := masculine(f, voc))]
    forms += [f for f in candidates if f not in forms]
    headed = {*headed_forms(cleaned.full), *headed_forms(cleaned.title)}
    for form, method in forms:
        if form in voc.vague and form not in voc.curated or \
                form in FUNCTION_TITLES and form not in as_typed:
            continue  # "Captain-EMT" less its credential is "Captain": no one occupation
        hit = _exact(form, voc)
        if hit is not None and (form in headed and hit.code in _FIRST_LINE
                                or form == cleaned.title and _unclaimed(hit.code, claimed)):
            continue  # "Director of Accounting" heads more than a team of clerks
        if hit is not None:
            exact = method == "exact" and form == cleaned.full
            return Hit(hit.code, hit.name, "exact" if exact else "rule")
    for form, _method in forms:
        if PROFESSOR.match(form):  # "Zoology Professor", "Professor of History", "Lecturer"
            for subject in professor_subjects(form):
                hit = _exact(subject, voc)
                if hit is not None:
                    return Hit(hit.code, None, "rule")
            hit = _exact("postsecondary teacher", voc)
            if hit is not None:
                return Hit(hit.code, None, "rule")
    # The title before a connector: "infermiera presso ospedale" -> "infermiera"; not the
    # executive of "Executive Director of Admission", who heads admission, not the organisation.
    for form, _method in ([] if headed else forms[:2]):
        words = form.split()
        for cut in range(len(words) - 1, 0, -1):
            if words[cut] in CONNECTORS:
                head = " ".join(words[:cut])
                hit = _exact(head, voc) or (_exact(m, voc) if (m := masculine(head, voc))
                                            else None)
                if hit is not None and head not in voc.vague:
                    return Hit(hit.code, hit.name, "rule")
    if depth == 0:
        for form, _method in forms[:2]:
            sides = [s for s in _SPLIT.split(form) if s]
            if len(sides) > 1 and (code := field_role(form)) in voc.soc:
                # "Marketing and Communications Officer" is one officer of two fields, not a
                # "Communications Officer" (a dispatcher, in O*NET) after a field.
                return Hit(code, singular_title(voc.soc[code][1]), "rule")
            if len(sides) > 1:  # "Founder & CEO", "Farmer/Rancher": the first side that resolves
                for side in sides:
                    side_cleaned = clean(side)
                    if _is_vague(side_cleaned, voc):
                        continue
                    hit = _lookup(side_cleaned, voc, depth + 1)
                    if hit is not None:
                        return Hit(hit.code, hit.name, "rule")
    # An office role named by its field outranks a tail read without its modifier ("General
    # Accounting Manager" is no office supervisor); the tail names it when both agree.
    found: tuple[str, str] | None | bool = False  # looked up once, when first needed
    for form, _method in forms:  # "icu registered nurse" -> "registered nurse"
        tail = known_tail(form.split(), voc)
        if tail is not None and (hit := _exact(tail, voc)) is not None and not (
                form in headed and hit.code in _FIRST_LINE) and not _unclaimed(hit.code, claimed):
            if found is False:
                found = _field_role(forms, voc)
            if found is None or found[0] == hit.code:
                return Hit(hit.code, hit.name, "rule")
    for form, _method in forms[:2]:  # "Database Administrator SQL": the title before a tool
        if (head := known_head(form, voc)) is not None and (hit := _exact(head, voc)):
            return Hit(hit.code, hit.name, "rule")
    if found is False:
        found = _field_role(forms, voc)
    if found is None:
        return _supervised(cleaned, voc, own=True) if depth == 0 else None
    # "People Team Manager": named by its SOC title, not a curated neighbour ("CTO"); under an
    # "All Other" code by the title itself ("Technical Documentation Manager", not "Manager").
    title = voc.soc[found[0]][1]
    return Hit(found[0], title_case(strip_seniority(found[1])[0]) if title.endswith("All Other")
               else singular_title(title), "rule")


_CHIEF = re.compile(r"^chief (.+) officer$")


def _chief_officer(cleaned: Cleaned, voc: Vocabulary) -> Hit | None:
    """'Chief Revenue Officer' is the sales executive, not a revenue officer (a tax examiner),
    'Chief Program Officer' a top executive: named by the title itself."""
    chief = _CHIEF.match(cleaned.shortened[0])
    if chief is None or chief.group(0) in voc.curated or chief.group(0) in voc.titles:
        return None
    code = chief_officer(chief.group(1))
    return Hit(code, title_case(chief.group(0)), "rule") if code in voc.soc else None


def _unclaimed(code: str, claimed: tuple[str, ...]) -> bool:
    """A code other than those the standard lists file the title as written under."""
    return bool(claimed) and code not in claimed


def _field_role(forms: list[tuple[str, str]], voc: Vocabulary) -> tuple[str, str] | None:
    """(SOC code, form) of the first form that names an office role by its field."""
    return next(((c, f) for f, _m in forms if (c := field_role(f)) and c in voc.soc), None)


def resolve_occupations(texts: Sequence[str],
                        aliases: Mapping[str, str] | None = None) -> list[Resolution]:
    """Resolve job titles; one Resolution per input, in order (each distinct text once)."""
    distinct = list(dict.fromkeys(texts))
    results = _resolve_distinct(distinct, aliases or {})
    return [results[t] for t in texts]


def _resolve_distinct(texts: list[str], aliases: Mapping[str, str]) -> dict[str, Resolution]:
    voc = vocabulary()
    program = {fold(k): v for k, v in aliases.items()}
    results: dict[str, Resolution] = {}
    pending: dict[str, Cleaned] = {}
    for text in texts:
        folded = fold(text)
        if not folded:
            results[text] = unresolved(text)
            continue
        if folded in program:
            results[text] = _program_alias(text, program[folded], voc)
            continue
        cleaned, vague = _cleaned(text, voc)
        raw = expand(fold(ASIDE.sub(" ", text))) if "teacher" in cleaned.full else ""
        teacher = next(filter(None, map(school_teacher, [raw, cleaned.title, *cleaned.inverted])),
                       None)  # "Grade 4 Teacher" as typed, "Math / CS Teacher" side by side
        if teacher is None and cleaned.title in SOME_SCHOOL_TEACHER and \
                _exact(cleaned.full, voc) is None:  # "Head Teacher" is a headteacher
            results[text] = guessed(text, cleaned, cleaned.title, SCHOOL_LEVELS, voc)
            continue
        if cleaned.title in SOME_INSTRUCTOR and _exact(cleaned.full, voc) is None:
            results[text] = guessed(text, cleaned, cleaned.title, INSTRUCTOR_GUESS, voc)
            continue
        if teacher is None and vague:
            results[text] = unresolved(text)
            continue
        hit = Hit(teacher, None, "rule") if teacher else _lookup(cleaned, voc)
        if hit is not None:
            results[text] = result(text, hit, 100.0 if hit.method == "exact" else 95.0,
                                   cleaned, voc)
        elif (guess := best_guess(text, cleaned, voc)) is not None:
            results[text] = guess
        elif (aside := _aside_title(text, voc)) is not None:
            results[text] = result(text, aside[1], 95.0, aside[0], voc)
        elif cleaned.title in voc.ambiguous or cleaned.full in voc.ambiguous:
            results[text] = unresolved(text)
        else:
            pending[text] = cleaned
    if pending:
        results.update(_fuzzy(pending, voc))
    return results


def _cleaned(text: str, voc: Vocabulary) -> tuple[Cleaned, bool]:
    """The text cleaned, and whether it names no one occupation ("Manager"; but "Manager (IT)"
    is read with its aside)."""
    cleaned = clean(text)
    vague = _is_vague(cleaned, voc)
    if vague and (aside := _with_aside(text)) is not None:
        cleaned = _read_with_aside(text, aside, voc)
        vague = _is_vague(cleaned, voc)
    return cleaned, vague


def closest_to_unresolved(texts: Sequence[str], limit: int = 3) -> list[tuple[Closest, ...]]:
    """Where to start looking for an alias for each title that resolves to nothing: the closest
    standard occupations (mentorctl.occupation_closest), none for vague text, which no alias
    should settle ("Manager", "Student")."""
    voc = vocabulary()
    named = [t for t in dict.fromkeys(texts) if fold(t) and not _cleaned(t, voc)[1]]
    found = dict(zip(named, closest_occupations(named, limit), strict=True))
    return [found.get(t, ()) for t in texts]


_SOC_CODE = re.compile(r"^\s*(\d{2}-\d{4})(?:\.\d{2})?\s*$")


def _program_alias(text: str, target: str, voc: Vocabulary) -> Resolution:
    if code := _SOC_CODE.match(target):  # "Bid Manager": "13-1199"
        if voc.soc.get(code[1], (None,))[0] != 3:
            raise InvalidInput(f"settings aliases.occupation: {text!r} maps to {target.strip()!r}"
                               ", which is no SOC 2018 detailed occupation")
        return result(text, Hit(code[1], None, "program-alias"), 100.0, clean(text), voc)
    cleaned = clean(target)
    hit = _lookup(cleaned, voc)
    if hit is None:
        fuzzy = _fuzzy({target: cleaned}, voc)[target]
        if fuzzy.key is not None:
            return Resolution(text, fuzzy.canonical, fuzzy.key, 100.0, "program-alias",
                              fuzzy.attrs)
        slug = re.sub(r"[^a-z0-9]+", "-", fold(target)).strip("-")
        return Resolution(text, target.strip(), f"occ:program:{slug}", 100.0, "program-alias",
                          {"family": None, "profession": None, "seniority": None})
    return result(text, Hit(hit.code, hit.name, "program-alias"), 100.0, cleaned, voc)


def _fuzzy(pending: dict[str, Cleaned], voc: Vocabulary) -> dict[str, Resolution]:
    """Typos only (mentorctl.occupation_fuzzy), each distinct cleaned title once: the whole
    title as a typo of a curated one, else its misspelt words respelt and the title read again."""
    best = typo_matches(list(dict.fromkeys(c.title for c in pending.values())), voc)
    respelt = word_corrections([w for c in pending.values() if best.get(c.title) is None
                                for w in c.full.split()], voc)
    out: dict[str, Resolution] = {}
    for text, cleaned in pending.items():
        found = best.get(cleaned.title)
        if found is not None and found[3] in SOME_SCHOOL_TEACHER:  # "Teahcer": still a guess
            out[text] = guessed(text, cleaned, found[3], SCHOOL_LEVELS, voc, "fuzzy")
        elif found is not None:
            out[text] = result(text, Hit(found[0], found[1], "fuzzy"), found[2], cleaned, voc)
        elif (read := _read_respelt(cleaned, respelt, voc)) is not None:
            out[text] = result(text, read[1], FUZZY_WORDS_SCORE, read[0], voc)
        else:
            out[text] = unresolved(text)
    return out


FUZZY_WORDS_SCORE = 85.0  # below a whole title one typo from a curated one (86 or more)


def _read_respelt(cleaned: Cleaned, respelt: dict[str, str], voc: Vocabulary
                  ) -> tuple[Cleaned, Hit] | None:
    """'Sr. Public Health Annalyst': the title read again as 'public health analyst'."""
    words = cleaned.full.split()
    if not any(w in respelt for w in words):
        return None
    again = clean(" ".join(respelt.get(w, w) for w in words))
    if _is_vague(again, voc) or (hit := _lookup(again, voc)) is None:
        return None
    return again, Hit(hit.code, hit.name, "fuzzy")
