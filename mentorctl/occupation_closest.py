"""The standard occupations closest to a title that resolves to nothing, for `unresolved`.

A coordinator settles an unresolved title with an alias; these are where to start looking, not a
resolution. They are ranked by retrieval over every title of the vocabulary (O*NET's titles, the
curated ones and the bridged ESCO labels): a word-level TF-IDF cosine between the title and each
of them, the best titles' similarities summed per SOC code. On the held-out sets of self-typed
titles, the code a labeller chose is among the first three for about two in three of the titles
the resolver leaves unresolved, and first for about two in five (benchmarks/occupation_ceiling.py):
a good start for a human, far too weak to resolve anything by itself.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from mentorctl.occupation_data import Vocabulary, vocabulary
from mentorctl.occupation_result import occupation_name
from mentorctl.resolution import fold

# Words that say nothing of the work; the rest are weighted by how rare they are in the titles.
_NOISE = frozenset({"of", "and", "the", "for", "in", "to", "a", "an", "sr", "jr", "ii", "iii",
                    "iv"})
_POOL = 50  # titles whose similarities are summed per code


def words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", fold(text)) if w not in _NOISE]


@dataclass(frozen=True)
class Closest:
    code: str  # SOC detailed code
    name: str  # its name, a catch-all by its SOC title ("Managers, All Other")


class _Index:
    """Every vocabulary title as a unit TF-IDF row of a sparse matrix."""

    def __init__(self, voc: Vocabulary) -> None:
        import numpy as np
        from scipy import sparse

        pairs = [(key, entry.code) for key, entry in voc.curated.items()]
        pairs += voc.titles.items()
        pairs += [(key, code) for key, codes in voc.ambiguous.items() for code in codes]
        # the keys are folded already: their words are what split() gives
        title_words = [set(title.split()) - _NOISE for title, _code in pairs]
        self.vocab: dict[str, int] = {}
        cols = [self.vocab.setdefault(w, len(self.vocab)) for ws in title_words for w in ws]
        rows = np.repeat(np.arange(len(pairs)), [len(ws) for ws in title_words])
        matrix = sparse.csr_matrix((np.ones(len(cols)), (rows, cols)),
                                   shape=(len(pairs), len(self.vocab)))
        df = np.asarray(matrix.sum(axis=0)).ravel()
        self.idf = np.log((1 + len(pairs)) / (1 + df)) + 1
        matrix = matrix.multiply(self.idf).tocsr()
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        self.matrix = (sparse.diags(1 / np.maximum(norms, 1e-12)) @ matrix).tocsr()
        self.codes = [code for _title, code in pairs]

    def ranked(self, texts: Sequence[str], limit: int) -> list[list[str]]:
        """The `limit` best codes for each text, best first (none for a text of unknown words)."""
        import numpy as np
        from scipy import sparse

        rows, cols, values = [], [], []
        for i, text in enumerate(texts):
            known = {self.vocab[w] for w in words(text) if w in self.vocab}
            weight = np.sqrt(sum(self.idf[j] ** 2 for j in known)) or 1.0
            for j in known:
                rows.append(i)
                cols.append(j)
                values.append(self.idf[j] / weight)
        queries = sparse.csr_matrix((values, (rows, cols)), shape=(len(texts), len(self.vocab)))
        sims = (queries @ self.matrix.T).tocsr()  # only titles sharing a word are stored
        out = []
        for i in range(len(texts)):
            start, end = sims.indptr[i], sims.indptr[i + 1]
            found, scores = sims.indices[start:end], sims.data[start:end]
            scores_by_code: dict[str, float] = defaultdict(float)
            for k in np.argsort(-scores, kind="stable")[:_POOL]:
                scores_by_code[self.codes[found[k]]] += scores[k]
            out.append(sorted(scores_by_code, key=lambda c: (-scores_by_code[c], c))[:limit])
        return out


@cache
def _index() -> _Index:
    return _Index(vocabulary())


def closest_occupations(texts: Sequence[str], limit: int = 3) -> list[tuple[Closest, ...]]:
    """The standard occupations closest to each title, best first; none when no word of it is a
    word of any title. Vague text ("Manager") is the caller's to leave out."""
    if not texts:
        return []
    voc = vocabulary()
    return [tuple(Closest(code, occupation_name(code, voc)) for code in codes)
            for codes in _index().ranked(list(texts), limit)]
