"""Occupation resolution on the frozen, independent sets of benchmarks/eval12 (see its README).

    python benchmarks/evaluate_occupations12.py [--misses]

For each language: coverage (share of labelled rows that resolve to any occupation), precision
(share of those whose SOC code is the label), and the share of vague rows left unresolved; then
the false-friend pairs kept apart (not resolved to one code). The sets were frozen before the
resolver was tuned and must not be edited to fit it. `--half dev` is the only part whose misses
may be looked at while improving the resolver; `--half held-out` is reported, never inspected.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from mentorctl.occupations import resolve_occupations  # noqa: E402

LANGUAGES = ("en", "es", "fr", "de", "pt", "it", "nl", "pl")


def rows(name: str) -> list[dict[str, str]]:
    with open(HERE / "eval12" / name, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream, delimiter="\t"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true", help="list every wrong or missed row")
    parser.add_argument("--half", choices=("dev", "held-out"),
                        help="only the rows at even positions (dev: the only ones whose misses "
                             "may be looked at while improving the resolver) or odd (held-out)")
    args = parser.parse_args()
    pick = {"dev": 0, "held-out": 1}.get(args.half)
    if args.misses and args.half != "dev":
        parser.error("--misses only with --half dev: the held-out rows stay unseen")
    print("| language | labelled | resolved | right code (of resolved) | vague left unresolved |")
    print("|---|---|---|---|---|")
    totals = {"other": [0, 0, 0, 0, 0]}
    for lang in LANGUAGES:
        data = rows(f"occupations_{lang}.tsv")
        if pick is not None:
            data = data[pick::2]
        results = resolve_occupations([r["text"] for r in data])
        labelled = [(r, x) for r, x in zip(data, results, strict=True) if r["soc"]]
        vague = [(r, x) for r, x in zip(data, results, strict=True) if not r["soc"]]
        resolved = [(r, x) for r, x in labelled if x.code]
        right = [(r, x) for r, x in resolved if x.code == r["soc"]]
        left = [(r, x) for r, x in vague if not x.code]
        print(f"| {lang} | {len(labelled)} | {len(resolved) / len(labelled):.1%} | "
              f"{len(right) / max(len(resolved), 1):.1%} | "
              f"{len(left)}/{len(vague)} |")
        if lang != "en":
            for i, n in enumerate((len(labelled), len(resolved), len(right), len(left),
                                   len(vague))):
                totals["other"][i] += n
        if args.misses:
            for r, x in labelled:
                if x.code != r["soc"]:
                    print(f"    {lang} {r['text']!r}: want {r['soc']}, got {x.code} "
                          f"({x.canonical}, {x.method})")
            for r, x in vague:
                if x.code:
                    print(f"    {lang} vague {r['text']!r}: got {x.code} ({x.canonical})")
    n, res, right, left, vague_n = totals["other"]
    print(f"| the seven others | {n} | {res / n:.1%} | {right / max(res, 1):.1%} | "
          f"{left}/{vague_n} |")
    pairs = rows("false_friends.tsv")
    if pick is not None:
        pairs = pairs[pick::2]
    apart = 0
    for pair in pairs:
        a, b = resolve_occupations([pair["a"], pair["b"]])
        if a.code is None or b.code is None or a.code != b.code:
            apart += 1
        elif args.misses:
            print(f"    merged: {pair['a']!r} and {pair['b']!r} -> {a.code}")
    print(f"\nFalse-friend pairs kept apart: {apart}/{len(pairs)} ({apart / len(pairs):.1%})")


if __name__ == "__main__":
    main()
