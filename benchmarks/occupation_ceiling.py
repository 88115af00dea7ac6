"""How far the standard titles could take the titles the resolver leaves unresolved.

    python benchmarks/occupation_ceiling.py FILE [FILE ...]

For every labelled row of the frozen sets given, it ranks SOC codes for the text by retrieval over
every title the package knows (O*NET 27.0's 60,000 alternate and reported titles and occupation
names, read from ../shared/data, plus the package's own curated and bridged keys): a word-level
TF-IDF cosine against each title, the ten best titles' similarities summed per code. It then says
how often the labeller's code is the first, among the first three or among the first ten codes,
separately for the rows the resolver resolves and for those it leaves unresolved.

This is a ceiling, not a resolver: no threshold is applied, and a reranker that always picked the
right code among the first k would reach the "top k" figure. It prints totals only, so it can be run
on held-out sets without reading their misses.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import re
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy import sparse

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from evaluate_occupations_fresh import matches, oews  # noqa: E402  (same folder)

from mentorctl.occupation_data import vocabulary  # noqa: E402
from mentorctl.occupations import resolve_occupations  # noqa: E402

ONET = HERE.parent.parent / "shared" / "data" / "onet-27.0"
NOISE = frozenset({"of", "and", "the", "for", "in", "to", "a", "an", "sr", "jr", "ii", "iii", "iv"})
RANKS = (1, 3, 10)


def words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in NOISE]


def corpus() -> tuple[list[str], list[str]]:
    titles, codes = [], []
    for name in ("alternate_titles.txt.gz", "sample_of_reported_titles.txt.gz",
                 "occupation_data.txt.gz"):
        with gzip.open(ONET / name, "rt", encoding="utf-8") as stream:
            rows = csv.reader(stream, delimiter="\t")
            next(rows)
            for row in rows:
                titles.append(row[1])
                codes.append(oews(row[0]))
    voc = vocabulary()
    for key, entry in voc.curated.items():
        titles.append(key)
        codes.append(oews(entry.code))
    for key, code in voc.titles.items():
        titles.append(key)
        codes.append(oews(code))
    for key, claimants in voc.ambiguous.items():
        for code in claimants:
            titles.append(key)
            codes.append(oews(code))
    return titles, codes


class Ranker:
    def __init__(self, titles: list[str], codes: list[str]) -> None:
        self.vocab: dict[str, int] = {}
        rows, cols = [], []
        for i, title in enumerate(titles):
            for word in set(words(title)):
                rows.append(i)
                cols.append(self.vocab.setdefault(word, len(self.vocab)))
        matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)),
                                   shape=(len(titles), len(self.vocab)))
        df = np.asarray(matrix.sum(axis=0)).ravel()
        self.idf = np.log((1 + len(titles)) / (1 + df)) + 1
        matrix = matrix.multiply(self.idf).tocsr()
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        self.matrix = (sparse.diags(1 / np.maximum(norms, 1e-12)) @ matrix).tocsr()
        self.codes = np.array(codes)

    def rank(self, text: str, titles: int = 10) -> list[str]:
        known = {self.vocab[w] for w in words(text) if w in self.vocab}
        if not known:
            return []
        query = np.zeros(len(self.vocab))
        for j in known:
            query[j] = self.idf[j]
        sims = self.matrix @ (query / np.linalg.norm(query))
        scores: dict[str, float] = defaultdict(float)
        for i in np.argsort(-sims)[:titles * 5]:
            scores[self.codes[i]] += sims[i]
        return sorted(scores, key=scores.__getitem__, reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    ranker = Ranker(*corpus())
    found: dict[str, list[int | None]] = {"resolved": [], "unresolved": []}
    right = 0
    for name in args.files:
        with open(name, encoding="utf-8", newline="") as stream:
            data = [r for r in csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE)
                    if r["soc"]]
        for row, result in zip(data, resolve_occupations([r["text"] for r in data]), strict=True):
            ranked = ranker.rank(row["text"])
            place = next((k for k, code in enumerate(ranked) if matches(code, row["soc"])), None)
            found["resolved" if result.code else "unresolved"].append(place)
            right += bool(result.code) and matches(result.code, row["soc"])
    print("| labelled rows the resolver | rows | labeller's code first | in first 3 | in first 10 |")
    print("|---|---|---|---|---|")
    for part, places in found.items():
        shares = [sum(1 for p in places if p is not None and p < k) / max(len(places), 1)
                  for k in RANKS]
        print(f"| {part} | {len(places)} | " + " | ".join(f"{s:.1%}" for s in shares) + " |")
    resolved, unresolved = found["resolved"], found["unresolved"]
    total, guessed = len(resolved) + len(unresolved), sum(1 for p in unresolved if p == 0)
    print(f"\nThe resolver: {len(resolved)}/{total} resolved, {right} right "
          f"({right / max(len(resolved), 1):.1%}). Taking the ranking's first code for every row it"
          f" leaves unresolved: {total}/{total} resolved, {right + guessed} right "
          f"({(right + guessed) / max(total, 1):.1%}).")


if __name__ == "__main__":
    main()
