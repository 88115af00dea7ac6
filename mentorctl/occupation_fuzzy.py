"""The occupation resolver's last step: typos ("Sofware Enginer") corrected into a curated
English title, with guards against landing on another occupation and against correcting a real
word of the vocabulary ("Processor" is not "Professor")."""

from __future__ import annotations

from dataclasses import dataclass

from mentorctl.occupation_data import Vocabulary
from mentorctl.occupation_fields import FIELDS
from mentorctl.occupation_teachers import SCHOOL_LEVELS, SOME_SCHOOL_TEACHER
from mentorctl.occupation_words import singular
from mentorctl.resolution import fold

FUZZY_MIN_SCORE = 86.0
FUZZY_MARGIN = 4.0


@dataclass
class _Choices:
    texts: list[str]
    found: list[tuple[str, str]]  # (SOC code, display name) of each text


_CHOICES: list[_Choices] = []


def _choices(voc: Vocabulary) -> _Choices:
    """What typos are corrected into: the curated English titles. Correcting into every title of
    eight languages would turn a word of one language into a near-spelling of another's
    ("verpleger", a nurse in Dutch, into "verleger", a publisher in German). A teacher of no
    stated school ("Teahcer") is a choice too: it becomes the same best guess as "Teacher"."""
    if not _CHOICES:
        found: dict[str, tuple[str, str]] = {}
        for key, entry in voc.curated.items():
            if key in voc.english:
                found.setdefault(key, (entry.code, entry.name))
        for key in sorted(SOME_SCHOOL_TEACHER):
            found.setdefault(key, (SCHOOL_LEVELS[0], "Teacher"))
        _CHOICES.append(_Choices(list(found), list(found.values())))
    return _CHOICES[0]


def words_align(query: str, choice: str, voc: Vocabulary) -> bool:
    """Every word of the query has a close word in the choice, in order, and vice versa in count;
    a query word that is itself a word of the vocabulary is never changed into another."""
    from rapidfuzz.distance import OSA

    q, c = query.split(), choice.split()
    if len(q) != len(c):
        return False
    for a, b in zip(q, c, strict=True):
        if a == b or singular(a) == singular(b):  # "Operation Mangaer": the number is no typo
            continue
        if a in voc.words or min(len(a), len(b)) < 5:
            return False
        # One typo (a swapped pair counts as one) in a short word, two in a long one.
        if OSA.distance(a, b) > (1 if max(len(a), len(b)) < 8 else 2):
            return False
    return True


def typo_matches(queries: list[str], voc: Vocabulary) -> dict[str, tuple[str, str, float, str]]:
    """Cleaned titles -> (SOC code, display name, score, the title corrected into) of the title
    each is a typo of: one cdist over the distinct queries."""
    import numpy as np
    from rapidfuzz import fuzz, process

    choices = _choices(voc)
    usable = [q for q in queries if len(q) >= 5
              and not all(w in voc.words for w in q.split())]
    best: dict[str, tuple[str, str, float, str]] = {}
    if not usable:
        return best
    scores = process.cdist(usable, choices.texts, scorer=fuzz.ratio, dtype=np.uint8,
                           score_cutoff=int(FUZZY_MIN_SCORE) - int(FUZZY_MARGIN), workers=-1)
    codes = np.array([code for code, _name in choices.found])
    for row, query in enumerate(usable):
        line = scores[row]
        top = int(line.argmax())
        top_score = float(line[top])
        if top_score < FUZZY_MIN_SCORE:
            continue
        rivals = line[codes != codes[top]]
        if len(rivals) and top_score - float(rivals.max()) < FUZZY_MARGIN:
            continue
        if not words_align(query, choices.texts[top], voc):
            continue
        best[query] = (*choices.found[top], top_score, choices.texts[top])
    return best


def _english_words(voc: Vocabulary) -> list[str]:
    """What a misspelt word is corrected into: the words of the curated English titles, of SOC's
    official titles and of the office fields (English, so "verpleger" never becomes a German
    "verleger"). About 2,200 words, gathered in a few milliseconds."""
    found = {w for key in voc.english for w in key.split()}
    found.update(w for _level, title in voc.soc.values() for w in fold(title).split())
    found.update(w for phrases, _codes in FIELDS.values() for p in phrases for w in p.split())
    return sorted(w for w in found if len(w) >= 4 and w.isalpha())


def word_corrections(words: list[str], voc: Vocabulary) -> dict[str, str]:
    """Misspelt words -> the one English vocabulary word each is a typo of ("asministrator" ->
    "administrator"): a word of five letters or more that no title holds, one typo (a swapped
    pair counts as one) from a single word. Two would turn real words the lists lack into others
    ("qualitative" into "quantitative", "secretariat" into "secretary"). One cdist over the
    distinct words."""
    import numpy as np
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    targets = _english_words(voc)
    asked = sorted({w for w in words if len(w) >= 5 and w.isalpha() and w not in voc.words})
    if not asked or not targets:
        return {}
    distances = process.cdist(asked, targets, scorer=OSA.distance, dtype=np.int32,
                              score_cutoff=1, workers=-1)
    out: dict[str, str] = {}
    for row, word in enumerate(asked):
        line = distances[row]
        best = int(line.min())
        if best > 1:
            continue
        hits = np.flatnonzero(line == best)
        if len(hits) == 1:
            out[word] = targets[int(hits[0])]
    return out
