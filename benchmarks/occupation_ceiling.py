"""How far the standard titles could take the titles the resolver leaves unresolved.

    python benchmarks/occupation_ceiling.py FILE [FILE ...]

For every labelled row of the frozen sets given, it ranks SOC codes for the text as `mentorctl
unresolved` does for its suggestions (mentorctl.occupation_closest: retrieval over every title of
the package's vocabulary, O*NET's 60,000 titles among them, by a word-level TF-IDF cosine, the best
titles' similarities summed per code). It then says how often the labeller's code is the first,
among the first three or among the first ten codes, separately for the rows the resolver resolves
and for those it leaves unresolved, and how many of each the labeller noted as a judgement call.

This is a ceiling, not a resolver: no threshold is applied, and a reranker that always picked the
right code among the first k would reach the "top k" figure. It prints totals only, so it can be run
on held-out sets without reading their misses.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from evaluate_occupations_fresh import matches  # noqa: E402  (same folder)

from mentorctl.occupation_closest import closest_occupations  # noqa: E402
from mentorctl.occupations import resolve_occupations  # noqa: E402

RANKS = (1, 3, 10)
JUDGEMENT = re.compile(r"judg|debat", re.IGNORECASE)  # the labeller's own "judgement call" notes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    found: dict[str, list[int | None]] = {"resolved": [], "unresolved": []}
    calls = {"resolved": 0, "unresolved": 0}
    right = 0
    for name in args.files:
        with open(name, encoding="utf-8", newline="") as stream:
            data = [r for r in csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE)
                    if r["soc"]]
        texts = [r["text"] for r in data]
        closest = closest_occupations(texts, limit=max(RANKS))
        for row, result, ranked in zip(data, resolve_occupations(texts), closest, strict=True):
            place = next((k for k, c in enumerate(ranked) if matches(c.code, row["soc"])), None)
            part = "resolved" if result.code else "unresolved"
            found[part].append(place)
            calls[part] += bool(JUDGEMENT.search(row["note"]))
            right += bool(result.code) and matches(result.code, row["soc"])
    print("| labelled rows the resolver | rows | labeller's code first | in first 3 | in first 10 "
          "| noted a judgement call |")
    print("|---|---|---|---|---|---|")
    for part, places in found.items():
        shares = [sum(1 for p in places if p is not None and p < k) / max(len(places), 1)
                  for k in RANKS] + [calls[part] / max(len(places), 1)]
        print(f"| {part} | {len(places)} | " + " | ".join(f"{s:.1%}" for s in shares) + " |")
    resolved, unresolved = found["resolved"], found["unresolved"]
    total, guessed = len(resolved) + len(unresolved), sum(1 for p in unresolved if p == 0)
    print(f"\nThe resolver: {len(resolved)}/{total} resolved, {right} right "
          f"({right / max(len(resolved), 1):.1%}). Taking the ranking's first code for every row it"
          f" leaves unresolved: {total}/{total} resolved, {right + guessed} right "
          f"({(right + guessed) / max(total, 1):.1%}).")


if __name__ == "__main__":
    main()
