"""How far two blind labellings of one set agree, and the resolver scored against each.

    python benchmarks/label_agreement.py [FIRST SECOND]

Defaults to eval18's labels and its second labelling (benchmarks/eval18/second_labelling.tsv,
made by a labeller who saw neither the first labels nor any resolver output). Two code sets agree
when they share a code (after the OEWS merges; `25-1*` matches any postsecondary teacher). This
says how much of a precision figure is the labels' ambiguity rather than the resolver's errors.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from evaluate_occupations_fresh import matches, oews, wilson  # same folder

from mentorctl.occupations import resolve_occupations

HERE = Path(__file__).resolve().parent


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as stream:
        return list(csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE))


def _agree(first: str, second: str) -> bool:
    ours, theirs = {oews(c) for c in first.split("|")}, {oews(c) for c in second.split("|")}
    return any(a == b or (a.endswith("*") and b.startswith(a[:-1]))
               or (b.endswith("*") and a.startswith(b[:-1])) for a in ours for b in theirs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", nargs="?", type=Path,
                        default=HERE / "eval18" / "occupations_signup.tsv")
    parser.add_argument("second", nargs="?", type=Path,
                        default=HERE / "eval18" / "second_labelling.tsv")
    args = parser.parse_args()
    first, second = _rows(args.first), _rows(args.second)
    if [r["text"] for r in first] != [r["text"] for r in second]:
        parser.error("the two files must hold the same texts in the same order")
    both_vague = only_first = only_second = agree = coded = 0
    for a, b in zip(first, second, strict=True):
        if not a["soc"] and not b["soc"]:
            both_vague += 1
        elif not a["soc"]:
            only_first += 1
        elif not b["soc"]:
            only_second += 1
        else:
            coded += 1
            agree += _agree(a["soc"], b["soc"])
    print(f"{len(first)} texts: both vague {both_vague}; vague for the first only {only_first}, "
          f"for the second only {only_second}; both coded {coded}, code sets shared "
          f"{agree} ({100 * agree / max(1, coded):.1f}%)")
    results = resolve_occupations([r["text"] for r in first])
    print("| scored against | labelled | resolved | right, of resolved (95 % Wilson) | "
          "vague kept unresolved |\n|---|---|---|---|---|")
    for name, labels in (("first labelling", [r["soc"] for r in first]),
                         ("second labelling", [r["soc"] for r in second]),
                         ("either (codes of both)", ["|".join(filter(None, (a["soc"], b["soc"])))
                                                    for a, b in zip(first, second, strict=True)])):
        labelled = [(x, soc) for x, soc in zip(results, labels, strict=True) if soc]
        resolved = [(x, soc) for x, soc in labelled if x.code]
        right = sum(matches(oews(x.code), soc) for x, soc in resolved)
        vague = [x for x, soc in zip(results, labels, strict=True) if not soc]
        low, high = wilson(right, len(resolved))
        print(f"| {name} | {len(labelled)} | {100 * len(resolved) / len(labelled):.1f}% | "
              f"{100 * right / max(1, len(resolved)):.1f}% ({100 * low:.1f}-{100 * high:.1f}%) | "
              f"{sum(x.code is None for x in vague)}/{len(vague)} |")


if __name__ == "__main__":
    main()
