"""The occupation resolver's first step: a title as typed, cleaned into the forms the lookup
tries (mentorctl.occupations): asides, employers and how the work is held dropped, the parts of
"Teacher, High School" or "Nurse - St. Mary's" and the sides of "Farmer/Rancher" kept, seniority
split off as an attribute."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mentorctl.occupation_data import expand
from mentorctl.occupation_words import (
    NOISE_WORDS,
    leading_seniority_dropped,
    payroll,
    strip_seniority,
    without_grade,
)
from mentorctl.resolution import fold

_EMPLOYER = re.compile(r"\s(?:at|@|for|with|to)\s.*$|\s[@|]\s?.*$")
ASIDE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# ... to a person or an office, not to a practice ("assistant to licensed chiropractor")
_ASSISTANT_TO = re.compile(
    r"^((?:executive |personal )?)(?:pa|assistant) to (?:the |our |my )?(?:ceo|cfo|coo|cto|md|"
    r"president|vice president|vp|svp|evp|director|founder|co-founder|chair|chairman|chairwoman|"
    r"head|partner|managing|executive|dean|principal|headteacher|mayor|minister|senator|"
    r"manager|general|regional|dr|mr|mrs|ms|professor|ambassador|governor|board|owner)\b.*$",
    re.IGNORECASE)
_PARTS = re.compile(r",|\s[-–—]|[-–—]\s")


@dataclass
class Cleaned:
    title: str  # the cleaned title (seniority removed)
    full: str  # before removing seniority
    level: int | None
    level_word: str | None
    inverted: list[str]  # alternative orders for "Teacher, High School"
    # the full title less a trailing grade ("Executive Director III"), then less one, two ...
    # leading seniority words ("Senior Executive Assistant" -> "Executive Assistant")
    shortened: tuple[str, ...]
    # the part before a comma or spaced dash, when there is more ("Casino Cashier - Acme")
    first: str | None = None


def is_noise(text: str) -> bool:
    """'Freelance', 'Part-time', 'Contract': how the work is held, not a title or employer."""
    words = fold(text).split()  # not the "A" of "A/C Tech"
    return all(w in NOISE_WORDS for w in words) and bool(set(words) - {"a", "an", "the", "and"})


def clean(text: str) -> Cleaned:
    """A title as typed -> the forms to look up (folded, abbreviations expanded)."""
    raw = ASIDE.sub(" ", text)
    raw = re.sub(r"^(?:i am an?|i'?m an?|i work as an?|working as an?|currently an?)\s+", "",
                 raw.strip(), flags=re.IGNORECASE)
    # "PA to the CEO", "Assistant to the Director": whose assistant, not a physician assistant
    # or a bare "assistant"
    raw = _ASSISTANT_TO.sub(lambda m: f"{m.group(1) or 'personal '}assistant", raw)
    # "Farmer/Rancher": each side is a title of its own, with its own employer ("Grad Student/
    # stay at home mom/graphic designer" is not a student employed "at home").
    sides = [_EMPLOYER.sub("", " " + side).strip() for side in raw.split("/")
             if not is_noise(side)] if "/" in raw else []
    if len(sides) == 1:  # "Teacher / Freelance" is a teacher
        raw, sides = sides[0], []
    raw = _EMPLOYER.sub("", " " + raw).strip()
    # A spaced dash parts a title like a comma ("Nurse - St. Mary's", "Analyst – Contract");
    # a hyphen inside a word ("Co-Founder") does not.
    parts = [payroll(expand(fold(p))) for i, p in enumerate(_PARTS.split(raw))
             if fold(p) and not (i and is_noise(p))]
    full = " ".join(parts)
    inverted = [payroll(expand(fold(side))) for side in sides if fold(side)]
    if len(parts) == 2:
        inverted.append(f"{parts[1]} {parts[0]}")
    if len(parts) >= 2:
        inverted.append(parts[0])
    title, level, word = strip_seniority(full)
    shortened = (without_grade(full), *leading_seniority_dropped(full))
    return Cleaned(title, full, level, word, inverted, shortened,
                   parts[0] if len(parts) >= 2 else None)
