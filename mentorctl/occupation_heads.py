"""Where the occupation sits in a longer title: its known tail ("ICU Registered Nurse"), or a known
title followed by words that are no occupation's noun ("Database Administrator SQL", "Nurse ICU",
"Registered Nurse - ER": the words after the title name a skill, a unit or a tool).

The guard comes from the vocabulary: a trailing word may be dropped only when no title of the
vocabulary ends in it (in any of its languages). "Accountant Finance" keeps its last word, since
"Director of Finance" ends in it, and so does "Nurse Manager".
"""

from __future__ import annotations

from collections import Counter

from mentorctl.occupation_data import Vocabulary
from mentorctl.occupation_words import CONNECTORS, CREDENTIALS, FUNCTION_TITLES, GENDER_ENDINGS

MAX_TRAILING = 2  # "Java Developer SQL Server": at most two words after the title
# The title's own last word must end at least this many titles: a noun ("nurse" ends 196),
# not an adjective a few titles happen to end in ("financial" ends 1, "information" 3).
MIN_NOUN_TITLES = 5
_ENDINGS: list[Counter] = []
# A one-word tail must be the word's usual sense: at least this share of the vocabulary's longer
# titles ending in it belong to its code's minor group. "Architect" ends 80 titles, 46 of them
# computing ones, so "AI Architect" is not a building architect; "Controller" ends air traffic,
# production and finance titles alike. ("Accept a one-word tail only when that word names few
# codes.")
MIN_TAIL_SHARE = 0.5
# Words no one-word tail may be: O*NET files "X Coach" under 14 codes (life, job, career, health,
# executive, instructional coaches ...) and names the sports its coaches' code holds one by one
# ("Basketball Coach"), so a coach of anything else is no sports coach ("Mental Health Coach").
NO_ONE_WORD_TAIL = frozenset({"coach"})
# Tails O*NET files under computer support, which read so only after a word of computing: an
# "Application Support Specialist" supports software, a "Sales", "Faculty" or "Employee Support
# Specialist" supports people.
COMPUTING_TAILS = frozenset({"support specialist", "support technician"})
_COMPUTING = frozenset({"it", "technical", "tech", "technology", "desktop", "application",
                        "applications", "software", "systems", "system", "network", "computer",
                        "help", "desk", "helpdesk", "salesforce", "crm", "erp", "sap", "epic",
                        "hardware", "user", "end", "cloud", "server", "database", "web", "saas",
                        "product", "platform", "infrastructure"})
# Tails that name their field only when nothing comes before it: a nonprofit's "Development
# Officer" raises funds, but a "Real Estate Development Officer" or a "Test Development
# Director" develops what the words before it say.
FIELD_ONLY_ALONE = frozenset({"development"})
# Words before a function typed as the job ("Customer Service") that make the text its head.
_HEADS_OF = frozenset({"director", "head", "manager", "chief", "vp", "svp", "evp", "avp",
                       "president", "supervisor", "of"})
# (last word, minor group) -> titles, and last word -> titles; built once.
_TAIL_COUNTS: list[tuple[Counter, Counter]] = []


def known_tail(tokens: list[str], voc: Vocabulary) -> str | None:
    """The longest known title ending the text: a curated title or one more than one source
    names; one word only in its usual sense."""
    for start in range(1, len(tokens)):
        tail = " ".join(tokens[start:])
        one_word = len(tokens) - start == 1
        if tail not in voc.curated and tail not in voc.strong:
            continue
        if " ".join(tokens[:start]) in voc.vague and all(w in CREDENTIALS for w in tail.split()):
            continue  # "Captain-EMT": a vague rank with a credential, not an EMT
        code = voc.curated[tail].code if tail in voc.curated else voc.titles.get(tail)
        if code is None or tail in voc.vague or tokens[start] in FIELD_ONLY_ALONE:
            continue
        if tail in FUNCTION_TITLES and any(t in _HEADS_OF for t in tokens[:start]):
            continue  # "Director of Customer Service" heads it ("Social Media Customer Service")
        if one_word and (tail in NO_ONE_WORD_TAIL or _tail_share(tail, code, voc) < MIN_TAIL_SHARE):
            continue
        if tail in COMPUTING_TAILS and not _COMPUTING.intersection(tokens[:start]):
            continue
        if one_word and tail not in voc.curated and not all(w in voc.words for w in tokens[:start]):
            continue  # "Physcial Therapist": a typo before a standard word is the fuzzy step's
        return tail
    return None


def _tail_share(word: str, code: str, voc: Vocabulary) -> float:
    if not _TAIL_COUNTS:  # counted in C, not a Python step per title
        claims = [*voc.titles.items(), *((k, e.code) for k, e in voc.curated.items())]
        pairs = Counter((key[key.rfind(" ") + 1:], found[:4]) for key, found in claims
                        if " " in key)
        words: Counter = Counter()
        for (last, _group), n in pairs.items():
            words[last] += n
        _TAIL_COUNTS.append((pairs, words))
    pairs, words = _TAIL_COUNTS[0]
    # Too few titles to judge: as before (the curated word stands).
    return 1.0 if words[word] < 5 else pairs[(word, code[:4])] / words[word]


def title_endings(voc: Vocabulary) -> Counter:
    """How many titles of the vocabulary end in each word (its head nouns), once per process."""
    if not _ENDINGS:
        keys = [*voc.titles, *voc.curated, *voc.ambiguous, *voc.vague]
        _ENDINGS.append(Counter(key.rsplit(" ", 1)[-1] for key in keys if key))
    return _ENDINGS[0]


def known_head(form: str, voc: Vocabulary) -> str | None:
    """The longest title at the start of `form` that only non-noun words follow, if it is a
    curated title or a strong standard title (more than one source names it)."""
    tokens = form.split()
    endings = title_endings(voc)
    for cut in range(len(tokens) - 1, 0, -1):
        head, rest = " ".join(tokens[:cut]), tokens[cut:]
        if len(rest) > MAX_TRAILING or any(word in endings or word in CONNECTORS
                                           for word in rest):
            break  # a noun of some title, or "of X": the text goes on naming an occupation
        if head in voc.vague or endings[tokens[cut - 1]] < MIN_NOUN_TITLES:
            continue  # "Financial Inst Exam": the start must end in a noun of its own
        if head in voc.curated or head in voc.strong:
            # A noun misspelt ("Nurse Practioner") is the fuzzy step's, not a tool word.
            return None if any(_misspelt_noun(word, voc) for word in rest) else head
    return None


_NOUNS: list[list[str]] = []
_MISSPELT: dict[str, bool] = {}


def _misspelt_noun(word: str, voc: Vocabulary) -> bool:
    """'Practioner', 'Desginer': within two edits of a noun that ends titles (a typo the fuzzy
    step corrects, not a tool word)."""
    if len(word) < 5 or word in voc.words:
        return False  # short, or a real word of the vocabulary: no typo
    if word in _MISSPELT:
        return _MISSPELT[word]
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    if not _NOUNS:
        _NOUNS.append([w for w, n in title_endings(voc).items() if n >= MIN_NOUN_TITLES])
    found = _MISSPELT[word] = process.extractOne(word, _NOUNS[0], scorer=Levenshtein.distance,
                                                 score_cutoff=2) is not None
    return found


def masculine(form: str, voc: Vocabulary) -> str | None:
    """The form with its last word in the masculine, when that is a known title."""
    words = form.split()
    if not words:
        return None
    last = words[-1]
    for ending, replacement in GENDER_ENDINGS:
        if last.endswith(ending) and len(last) > len(ending) + 3:
            candidate = " ".join([*words[:-1], last[: -len(ending)] + replacement])
            if candidate in voc.curated or candidate in voc.titles:
                return candidate
    return None
