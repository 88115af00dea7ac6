"""What every resolver returns, and the text folding they share.

A resolver turns free text ("Sr. SWE", "MIT", "SF") into a canonical entry. Every kind
(occupation, school, place) returns the same `Resolution` so the store, the matcher and the
CLI can treat them alike.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# The shared type lives in model; resolvers import it from here with the text folding.
from mentorctl.model import METHODS, Resolution, unresolved  # noqa: F401

_NON_WORD = re.compile(r"[^a-z0-9]+")


def strip_accents(text: str) -> str:
    """'Zürich' -> 'Zurich', 'São Paulo' -> 'Sao Paulo'. Letters with no ASCII base are kept."""
    text = text.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("ł", "l")
    text = text.replace("Ł", "L").replace("æ", "ae").replace("Æ", "AE").replace("đ", "d")
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=262_144)
def fold(text: str) -> str:
    """The lookup form of a string: accents stripped, lower case, punctuation to single spaces.

    >>> fold("  ETH Zürich ")
    'eth zurich'
    >>> fold("Sr. S.W.E.")
    'sr s w e'
    """
    text = strip_accents(text).lower().replace("&", " and ").replace("'", "")
    return _NON_WORD.sub(" ", text).strip()


_LANGUAGE_NAMES = {"espanol": "spanish", "castellano": "spanish", "francais": "french",
                   "deutsch": "german", "portugues": "portuguese", "italiano": "italian",
                   "mandarin chinese": "mandarin", "chinese mandarin": "mandarin",
                   "putonghua": "mandarin", "farsi": "persian", "tagalog": "filipino",
                   "asl": "american sign language", "nihongo": "japanese", "hangul": "korean"}


def language_key(text: str) -> str:
    """The key two spellings of one language share: 'Español' and 'spanish' -> 'spanish'."""
    key = fold(text)
    return _LANGUAGE_NAMES.get(key, key)
