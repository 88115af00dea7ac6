"""Reading form answers as people write them: a role ("I'd like to mentor someone", "Looking for
a mentor", "Both") and a capacity ("2", "Up to 3", "Two", "N/A").

A reader returns None for an answer it cannot read, never a guess: the caller reports it with
file, line and field. Header recognition uses the same readers to look at a column's answers.
"""

from __future__ import annotations

import re

from mentorctl.resolution import fold

# Whole answers that name a role (after fold()); other languages' words for mentor and mentee.
_ROLE_WORDS = {
    "mentor": "mentor", "mentors": "mentor", "mentora": "mentor", "mentore": "mentor",
    "mentorin": "mentor", "tutor": "mentor", "tuteur": "mentor", "padrino": "mentor",
    "mentee": "mentee", "mentees": "mentee", "protege": "mentee", "mentorado": "mentee",
    "mentorada": "mentee", "mentoree": "mentee", "mentorando": "mentee", "mentoranda": "mentee",
    "tutorado": "mentee", "aprendiz": "mentee", "mentoring receiver": "mentee",
    "both": "both", "either": "both", "ambos": "both", "ambas": "both", "beide": "both",
    "les deux": "both", "entrambi": "both", "mentor and mentee": "both",
    "mentee and mentor": "both", "mentor mentee": "both", "mentee mentor": "both",
}
# Phrases that ask for a mentor, or to be one's mentee: read before the bare word "mentor",
# which they contain ("I'm looking for a mentor" is a mentee).
_WANTS_A_MENTOR = re.compile(
    r"\b(?:(?:be|being|get|getting|to be) mentored"
    r"|(?:looking for|look for|find|finding|want|wanting|need|needing|get|getting|have|having"
    r"|seek|seeking|searching for|matched with|paired with|connect with|connected with"
    r"|learn from|learning from|would like|d like|like) (?:a |an |my |one |some )?"
    r"(?:mentor|mentors|mentoring|mentorship|guidance)"
    r"|(?:receive|receiving|get|getting) (?:some )?(?:mentoring|mentorship|guidance)"
    r"|(?:quiero|busco|necesito|cherche|veux|voudrais|suche|mochte|procuro|quero|preciso|cerco"
    r"|voglio|zoek) (?:un |una |um |uma |einen |eine |een )?(?:mentor|mentora|mentore|mentorin)"
    r"|mentee|mentees|protege|proteges|mentorad[oa]s?|mentorand[oa]s?|aprendiz)\b")
_OFFERS_MENTORING = re.compile(
    r"\b(?:mentor|mentors|mentoring|mentorship|mentora|mentore|mentorin|tutor|padrino)\b")
_BOTH = re.compile(r"\b(?:both|either|ambos|ambas|beide|les deux|entrambi|one or the other)\b")
_NEITHER = re.compile(r"\b(?:neither|not sure|unsure|undecided|none|no preference)\b")
MAX_ROLE_WORDS = 16  # a longer answer is an essay, not a choice of role


def read_role(text: str) -> str | None:
    """mentor, mentee or both, from a role answer as written; None when it cannot be read."""
    words = fold(text)
    if not words:
        return None
    if words in _ROLE_WORDS:
        return _ROLE_WORDS[words]
    if len(words.split()) > MAX_ROLE_WORDS or _NEITHER.search(words):
        return None
    wants = bool(_WANTS_A_MENTOR.search(words))
    offers = bool(_OFFERS_MENTORING.search(_WANTS_A_MENTOR.sub(" ", words)))
    if _BOTH.search(words) and (wants or offers or len(words.split()) <= 3):
        return "both"
    if wants and offers:
        return "both"
    if wants:
        return "mentee"
    if offers:
        return "mentor"
    return None


_NUMBER_WORDS = {"zero": 0, "none": 0, "no": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3,
                 "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
# Answers that mean "the question is not for me" (mentees answering a mentors-only question).
_NOT_APPLICABLE = {"n a", "na", "not applicable", "none applicable", "nvt", "not a mentor",
                   "mentee", "i m a mentee", "im a mentee", "i am a mentee"}
# "Up to 3", "3 mentees", "2-3", "1 or 2", "3+", "max 4", "two": the largest number named.
_NUMBER = r"(\d+|zero|none|one|two|three|four|five|six|seven|eight|nine|ten|a|an)"
_CAPACITY = re.compile(
    r"^(?:up to|upto|at most|max|maximum|no more than|about|around|approx|approximately)?\s*"
    rf"(?:{_NUMBER}\s+(?:to\s+|or\s+)?)?{_NUMBER}\s*(?:mentees?|people|persons?|students?)?"
    r"(?:\s*(?:max|maximum|at most|at a time|at once))?$")


def read_capacity(text: str) -> int | None | str:
    """A capacity answer: an int; None for a blank or not-applicable answer; the string
    "unreadable" when it is neither (the caller says why)."""
    stripped = text.strip()
    if not stripped or stripped in ("-", "—", "–"):
        return None
    if re.fullmatch(r"-\s*\d+(\.\d+)?", stripped):
        return "unreadable"  # a negative number is a typo to report, not a range
    words = fold(stripped)
    if words in _NOT_APPLICABLE:
        return None
    try:
        number = float(stripped)
    except ValueError:
        pass
    else:
        return int(number) if number.is_integer() else "unreadable"
    found = _CAPACITY.match(words)
    if not found:
        return "unreadable"
    numbers = [_number(part) for part in found.groups() if part is not None]
    if any(n is None for n in numbers):
        return "unreadable"
    return max(numbers)


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)
