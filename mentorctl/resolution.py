"""What every resolver returns, and the text folding they share.

A resolver turns free text ("Sr. SWE", "MIT", "SF") into a canonical entry. Every kind
(occupation, school, place) returns the same `Resolution` so the store, the matcher and the
CLI can treat them alike.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

# Methods, from most to least certain. "unresolved" means canonical is None.
METHODS = ("program-alias", "exact", "alias", "rule", "fuzzy", "unresolved")


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving one input string.

    key:       a stable identifier of the canonical entry (e.g. "occ:registered-nurse",
               "school:mit", "place:5391959"); two inputs share a point iff their keys are equal.
    canonical: the entry's display name ("Registered Nurse", "Massachusetts Institute of
               Technology", "San Francisco, California, United States").
    score:     0-100, how sure the resolver is.
    method:    one of METHODS.
    attrs:     kind-specific facts. occupation: family, seniority (int or None), seniority_label.
               school: country. place: city, region, country, country_code, lat, lon, population,
               radius_km (for metro areas).
    """

    input: str
    canonical: str | None
    key: str | None
    score: float
    method: str
    attrs: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def resolved(self) -> bool:
        return self.key is not None


def unresolved(text: str) -> Resolution:
    return Resolution(input=text, canonical=None, key=None, score=0.0, method="unresolved")


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
