"""A found SOC code as a Resolution: its place in the SOC hierarchy, the level the title states,
and the best guess among the few codes a title the standard lists file under several names."""

from __future__ import annotations

from dataclasses import dataclass

from mentorctl.occupation_clean import Cleaned
from mentorctl.occupation_data import PROFESSIONS, Vocabulary, title_case
from mentorctl.occupation_words import stated_level
from mentorctl.resolution import Resolution, fold

GUESS_SCORE = 70.0  # a best guess among the codes a title names, as among places
LEVEL_LABEL = {0: "intern", 1: "junior", 2: "mid-level", 3: "senior", 4: "lead", 5: "principal"}


@dataclass(frozen=True)
class Hit:
    code: str
    name: str | None  # the curated display name the text matched, if it matched one
    method: str


_FAMILIES: dict[str, dict] = {}


def _family(code: str, voc: Vocabulary) -> dict:
    """The SOC levels above a code, once per code."""
    found = _FAMILIES.get(code)
    if found is None:
        broad, minor, major = (voc.level(code, n) for n in (2, 1, 0))
        found = _FAMILIES[code] = {
            "soc_title": voc.title(code),
            "family": {"broad": broad, "minor": minor, "major": major},
            "family_titles": {"broad": voc.title(broad), "minor": voc.title(minor),
                              "major": voc.title(major)},
            "profession": minor if minor in PROFESSIONS else None}
    return found


def result(text: str, hit: Hit, score: float, cleaned: Cleaned | None,
           voc: Vocabulary) -> Resolution:
    name = hit.name or voc.display.get(hit.code) or hit.code
    level = cleaned.level if cleaned else None
    if cleaned and cleaned.level_word in fold(name).split():  # "Resident Physician" is no junior
        # ... but "Senior Executive Assistant" is a senior one: the other words' level.
        level = stated_level([w for w in cleaned.full.split() if w not in fold(name).split()])
    family = _family(hit.code, voc)
    return Resolution(text, name, f"occ:{hit.code}", score, hit.method, {
                          **family, "family": dict(family["family"]),
                          "family_titles": dict(family["family_titles"]),
                          "seniority": level,
                          "seniority_label": LEVEL_LABEL.get(level) if level is not None
                          else None})


def best_guess(text: str, cleaned: Cleaned, voc: Vocabulary) -> Resolution | None:
    """A title the standard lists file under two or three codes about equally ("Content
    Manager") is the first of them as a best guess that says so (guessed)."""
    form = next((f for f in (cleaned.full, *cleaned.shortened, cleaned.title, cleaned.first)
                 if f in voc.guesses), None)
    return None if form is None else guessed(text, cleaned, form, voc.guesses[form], voc)


def guessed(text: str, cleaned: Cleaned, form: str, codes: tuple[str, ...],
            voc: Vocabulary, method: str | None = None) -> Resolution:
    """The first of several codes a title names, as a best guess that says so: a lower score,
    the others as alternatives (like a bare "Georgia" among places; `unresolved` lists it), and
    only the SOC levels all of them share as its family."""
    method = method or ("exact" if form == cleaned.full else "rule")
    found = result(text, Hit(codes[0], title_case(form), method), GUESS_SCORE, cleaned, voc)
    families = [_family(code, voc) for code in codes]
    shared = {level: found.attrs["family"][level] if len({f["family"][level] for f in families})
              == 1 else None for level in ("broad", "minor", "major")}
    found.attrs.update(
        family=shared, family_titles={k: voc.title(v) if v else None for k, v in shared.items()},
        profession=found.attrs["profession"] if shared["minor"] else None,
        ambiguous=True, guessed=occupation_name(codes[0], voc),
        alternatives=[occupation_name(code, voc) for code in codes[1:]])
    return found


def occupation_name(code: str, voc: Vocabulary) -> str:
    """An occupation's name among alternatives: a catch-all by its SOC title ("Computer
    Occupations, All Other"), not by the curated title that happens to stand for it."""
    title = voc.title(code) or code
    return title if title.endswith("All Other") else voc.display.get(code, title)
