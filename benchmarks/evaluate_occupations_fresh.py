"""Occupation resolution on the fresh, frozen English set benchmarks/eval14 (see its README).

    python benchmarks/evaluate_occupations_fresh.py [--file PATH] [--misses]

Reports coverage (share of labelled rows resolved to any occupation), precision (share of the
resolved rows whose SOC code is one of the labels, with a 95 % Wilson interval) and the share of
vague rows left unresolved, overall and per source. A label may list several codes (`a|b`) or a
prefix (`25-1*`); official SOC codes that OEWS merges are mapped to the OEWS code first.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from mentorctl.occupations import resolve_occupations  # noqa: E402

AGGREGATE = {  # official SOC 2018 / O*NET detailed code -> OEWS code (eval12 README)
    **dict.fromkeys(("13-1021", "13-1022", "13-1023"), "13-1020"),
    **dict.fromkeys(("13-2022", "13-2023"), "13-2020"),
    **dict.fromkeys(("21-1011", "21-1014"), "21-1018"),
    **dict.fromkeys(("25-2055", "25-2056"), "25-2052"),
    **dict.fromkeys(("25-9042", "25-9043", "25-9049"), "25-9045"),
    **dict.fromkeys(("29-2011", "29-2012"), "29-2010"),
    **dict.fromkeys(("31-1121", "31-1122"), "31-1120"),
    **dict.fromkeys(("39-7011", "39-7012"), "39-7010"),
    **dict.fromkeys(("47-4091", "47-4099"), "47-4090"),
    **dict.fromkeys(("51-2022", "51-2023"), "51-2028"),
    **dict.fromkeys(("51-2092", "51-2099"), "51-2090"),
    **dict.fromkeys(("53-1042", "53-1043", "53-1044", "53-1049"), "53-1047"),
}


def oews(code: str) -> str:
    code = code.split(".")[0]
    return AGGREGATE.get(code, code)


def matches(code: str, label: str) -> bool:
    code = oews(code)
    for alt in label.split("|"):
        if alt.endswith("*") and code.startswith(alt[:-1]):
            return True
        if code == alt:
            return True
    return False


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return (0.0, 0.0)
    p = k / n
    den = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return (mid - half, mid + half)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", default=str(HERE / "eval14" / "occupations_fresh.tsv"))
    parser.add_argument("--misses", action="store_true", help="list every wrong or missed row")
    args = parser.parse_args()
    with open(args.file, encoding="utf-8", newline="") as stream:
        data = list(csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE))
    results = resolve_occupations([r["text"] for r in data])
    groups: dict[str, list] = defaultdict(list)
    for r, x in zip(data, results, strict=True):
        groups["all"].append((r, x))
        groups[r.get("source") or "-"].append((r, x))
    print("| rows | labelled | resolved | right code (of resolved) | 95 % Wilson | vague left unresolved |")
    print("|---|---|---|---|---|---|")
    for name in ["all"] + sorted(k for k in groups if k != "all"):
        pairs = groups[name]
        labelled = [(r, x) for r, x in pairs if r["soc"]]
        vague = [(r, x) for r, x in pairs if not r["soc"]]
        resolved = [(r, x) for r, x in labelled if x.code]
        right = [(r, x) for r, x in resolved if matches(x.code, r["soc"])]
        left = [(r, x) for r, x in vague if not x.code]
        lo, hi = wilson(len(right), len(resolved))
        print(f"| {name} | {len(labelled)} | {len(resolved)}/{len(labelled)} = "
              f"{len(resolved) / max(len(labelled), 1):.1%} | {len(right)}/{len(resolved)} = "
              f"{len(right) / max(len(resolved), 1):.1%} | {lo:.1%}–{hi:.1%} | "
              f"{len(left)}/{len(vague)} = {len(left) / max(len(vague), 1):.1%} |")
    if args.misses:
        print("\nWrong code:")
        for r, x in groups["all"]:
            if r["soc"] and x.code and not matches(x.code, r["soc"]):
                print(f"  {r['text']!r}\twant {r['soc']}\tgot {x.code} ({x.canonical}, {x.method})")
        print("\nUnresolved (labelled):")
        for r, x in groups["all"]:
            if r["soc"] and not x.code:
                print(f"  {r['text']!r}\twant {r['soc']}")
        print("\nVague but resolved:")
        for r, x in groups["all"]:
            if not r["soc"] and x.code:
                print(f"  {r['text']!r}\tgot {x.code} ({x.canonical}, {x.method})")


if __name__ == "__main__":
    main()
