"""School resolution on the frozen evaluation set of issue 12 (benchmarks/eval12/schools.tsv).

    python benchmarks/evaluate_schools12.py            # the figures
    python benchmarks/evaluate_schools12.py --json     # machine-readable
    python benchmarks/evaluate_schools12.py --misses   # also list the rows that miss

The set comes from a source the package does not ship and was frozen before the resolver was
tuned; it is evidence, not a target. Columns: text, domain, note. A row with a domain must
resolve to that institution; a row with an empty domain names several institutions and must stay
unresolved. Figures:
- coverage: the share of rows with a domain that resolve to anything;
- precision: the share of those resolved rows whose code is the row's domain, or whose entry
  lists it among its domains (`attrs["domains"]`);
- ambiguous kept unresolved: the share of rows with an empty domain that resolve to nothing.
Targets (issue 12): coverage >= 90 %, precision >= 97 %.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mentorctl.schools import resolve_schools  # noqa: E402

EVAL = ROOT / "benchmarks" / "eval12" / "schools.tsv"


def load(path: Path) -> list[tuple[str, set[str], str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE) if r and any(r)]
    if rows and [c.strip().lower() for c in rows[0][:2]] == ["text", "domain"]:
        rows = rows[1:]
    out = []
    for r in rows:
        text, domain, note = (r + ["", "", ""])[:3]
        domains = {d.lower().removeprefix("www.") for d in re.split(r"[|,;\s]+", domain.strip()) if d}
        out.append((text, domains, note))
    return out


def evaluate(path: Path = EVAL) -> dict:
    rows = load(path)
    started = time.perf_counter()
    got = resolve_schools([text for text, _, _ in rows])
    seconds = time.perf_counter() - started
    labelled = [(row, r) for row, r in zip(rows, got, strict=True) if row[1]]
    ambiguous = [(row, r) for row, r in zip(rows, got, strict=True) if not row[1]]
    resolved = [(row, r) for row, r in labelled if r.resolved]
    right = [(row, r) for row, r in resolved
             if row[1] & ({r.code} | set(r.attrs.get("domains") or ()))]
    kept = [(row, r) for row, r in ambiguous if not r.resolved]
    return {
        "rows": len(rows), "labelled": len(labelled), "ambiguous": len(ambiguous),
        "resolved": len(resolved), "right": len(right), "ambiguous_unresolved": len(kept),
        "coverage": len(resolved) / max(len(labelled), 1),
        "precision": len(right) / max(len(resolved), 1),
        "ambiguous_kept": len(kept) / max(len(ambiguous), 1),
        "seconds": round(seconds, 2),
        "misses": [{"text": row[0], "expected": sorted(row[1]), "got": r.code, "note": row[2]}
                   for row, r in labelled if not r.resolved or (row, r) not in right]
        + [{"text": row[0], "expected": [], "got": r.code, "note": row[2]}
           for row, r in ambiguous if r.resolved],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--misses", action="store_true", help="list the rows that miss")
    ap.add_argument("--file", type=Path, default=EVAL)
    args = ap.parse_args()
    res = evaluate(args.file)
    if not args.misses:
        res.pop("misses")
    if args.json:
        print(json.dumps(res, indent=2, ensure_ascii=False))
        return
    print(f"{args.file.relative_to(ROOT) if args.file.is_relative_to(ROOT) else args.file}: "
          f"{res['rows']} rows ({res['labelled']} with a domain, {res['ambiguous']} ambiguous), "
          f"resolved in {res['seconds']} s")
    print(f"coverage  {res['coverage']:.1%}  ({res['resolved']}/{res['labelled']}; target >= 90 %)")
    print(f"precision {res['precision']:.1%}  ({res['right']}/{res['resolved']}; target >= 97 %)")
    print(f"ambiguous kept unresolved {res['ambiguous_kept']:.1%}  "
          f"({res['ambiguous_unresolved']}/{res['ambiguous']})")
    for m in res.get("misses", []):
        print(f"  {m['text']!r}: expected {m['expected'] or 'unresolved'}, got {m['got']}")


if __name__ == "__main__":
    main()
