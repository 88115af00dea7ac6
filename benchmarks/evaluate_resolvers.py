"""Resolver quality on the labelled evaluation sets, next to a plain rapidfuzz baseline.

    python benchmarks/evaluate_resolvers.py            # all kinds
    python benchmarks/evaluate_resolvers.py --json     # machine-readable

For each kind (tests/eval/<kind>.yaml):
- same-group rate: the share of variants that resolve to their group's canonical entry;
- trap rate: the share of trap pairs that stay distinct (do not resolve to one entry).
The baseline is what a spreadsheet user would try: rapidfuzz WRatio with a cutoff of 85, pairwise
(a variant counts as matched when WRatio(variant, canonical) >= 85; a trap pair counts as merged
when WRatio(a, b) >= 85). Targets: same-group >= 97 %, traps 100 %.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import yaml
from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mentorctl.normalize import resolve_texts  # noqa: E402

EVAL_FILES = {"occupation": "occupations.yaml", "school": "schools.yaml", "location": "places.yaml"}


def evaluate(kind: str) -> dict:
    data = yaml.safe_load((ROOT / "tests" / "eval" / EVAL_FILES[kind]).read_text(encoding="utf-8"))
    variants = [(group["canonical"], v) for group in data["groups"] for v in group["variants"]]
    traps = [tuple(pair) for pair in data["traps"]]
    texts = sorted({v for _, v in variants} | {t for pair in traps for t in pair})
    started = time.perf_counter()
    resolved = dict(zip(texts, resolve_texts(kind, texts), strict=True))
    seconds = time.perf_counter() - started
    same = sum(resolved[v].canonical == canonical for canonical, v in variants)
    distinct = sum(resolved[a].key is None or resolved[a].key != resolved[b].key for a, b in traps)
    misses = [(v, canonical, resolved[v].canonical) for canonical, v in variants
              if resolved[v].canonical != canonical]
    merged = [(a, b) for a, b in traps if resolved[a].key and resolved[a].key == resolved[b].key]
    base_same = sum(fuzz.WRatio(v, canonical) >= 85 for canonical, v in variants)
    base_distinct = sum(fuzz.WRatio(a, b) < 85 for a, b in traps)
    return {
        "kind": kind, "variants": len(variants), "traps": len(traps),
        "same_group_rate": same / len(variants), "trap_distinct_rate": distinct / len(traps),
        "baseline_same_group_rate": base_same / len(variants),
        "baseline_trap_distinct_rate": base_distinct / len(traps),
        "seconds": seconds, "misses": misses, "merged_traps": merged,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--kind", choices=list(EVAL_FILES))
    args = parser.parse_args()
    results = [evaluate(kind) for kind in ([args.kind] if args.kind else EVAL_FILES)]
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
        return 0
    print("| kind | cases (variants + trap pairs) | same-group: mentorctl | baseline | "
          "traps distinct: mentorctl | baseline |")
    print("|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['kind']} | {r['variants']} + {r['traps']} | {r['same_group_rate']:.1%} | "
              f"{r['baseline_same_group_rate']:.1%} | {r['trap_distinct_rate']:.1%} | "
              f"{r['baseline_trap_distinct_rate']:.1%} |")
    for r in results:
        for variant, expected, got in r["misses"]:
            print(f"miss  {r['kind']}: {variant!r} -> {got!r} (expected {expected!r})",
                  file=sys.stderr)
        for a, b in r["merged_traps"]:
            print(f"TRAP  {r['kind']}: {a!r} and {b!r} resolved to one entry", file=sys.stderr)
    ok = all(r["same_group_rate"] >= 0.97 and r["trap_distinct_rate"] == 1.0 for r in results)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
