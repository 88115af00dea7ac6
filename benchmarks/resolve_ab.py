"""Resolving every distinct occupation, school and place string of a program: two builds side by
side, each in fresh processes, interleaved (A, B, A, B, ...), timed from before the first
resolution (tables loaded lazily included) to the last.

    python benchmarks/resolve_ab.py --a /work/venv-base/bin --b /work/venv/bin --csv program.csv

The CSV is a generated program (`benchmarks/generate.py`): its `Job title`, `University` (";"
separated) and `City` columns. Prints a Markdown table of medians and the ratio B / A.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, sys, time
texts = json.load(open(sys.argv[2], encoding="utf-8"))
started = time.perf_counter()
from mentorctl.normalize import resolve_texts
results = resolve_texts(sys.argv[1], texts)
print(json.dumps({"seconds": time.perf_counter() - started,
                  "resolved": sum(1 for r in results if r.key), "distinct": len(texts)}))
"""

COLUMNS = {"occupation": "Job title", "school": "University", "location": "City"}


def distinct_texts(path: Path) -> dict[str, list[str]]:
    seen: dict[str, dict[str, None]] = {kind: {} for kind in COLUMNS}
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            for kind, column in COLUMNS.items():
                parts = row[column].split(";") if kind == "school" else [row[column]]
                for part in parts:
                    if part.strip():
                        seen[kind][part.strip()] = None
    return {kind: list(texts) for kind, texts in seen.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a", required=True, help="bin folder of build A (its python)")
    parser.add_argument("--b", required=True, help="bin folder of build B")
    parser.add_argument("--csv", required=True, type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    texts = distinct_texts(args.csv)
    results: dict[tuple[str, str], list[dict]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for kind, values in texts.items():
            path = Path(folder) / f"{kind}.json"
            path.write_text(json.dumps(values), encoding="utf-8")
            for _ in range(args.runs):
                for build in ("a", "b"):
                    python = str(Path(getattr(args, build)) / "python")
                    out = subprocess.run([python, "-c", CHILD, kind, str(path)], check=True,
                                         capture_output=True, text=True, cwd=folder).stdout
                    results.setdefault((kind, build), []).append(json.loads(out))
    print("| kind | distinct | A median | B median | B / A | A resolved | B resolved |")
    print("|---|---|---|---|---|---|---|")
    for kind in COLUMNS:
        a, b = results[(kind, "a")], results[(kind, "b")]
        ma = statistics.median(r["seconds"] for r in a)
        mb = statistics.median(r["seconds"] for r in b)
        n = a[0]["distinct"]
        print(f"| {kind} | {n:,} | {ma:.2f} s | {mb:.2f} s | {mb / ma:.2f} | "
              f"{a[0]['resolved'] / n:.1%} | {b[0]['resolved'] / n:.1%} |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
