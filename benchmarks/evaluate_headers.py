"""Header recognition on real headers the recognizer was not written from.

    python benchmarks/evaluate_headers.py            # figures and every miss
    python benchmarks/evaluate_headers.py --json

tests/eval/form_headers.yaml holds real form-export headers and sign-up questions found in public
repositories, each with the field a coordinator would want (or null: keep as extra), frozen
before mentorctl/headers.py was written. Only headers are known (no answers), so a column the
recognizer would confirm by its answers (a role column asked as "Which best describes you?")
counts here as the header alone reads.

- precision: of the columns mapped to a field, the share mapped to a right one;
- recall: of the columns that must map (their answer is a field, not "either"), the share mapped
  right;
- baseline: the exact header list mentorctl used before (HEADER_SYNONYMS, compared folded).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mentorctl.errors import MissingColumns  # noqa: E402
from mentorctl.headers import _SYNONYM_TO_FIELD, recognize  # noqa: E402
from mentorctl.resolution import fold  # noqa: E402


def recognized(headers: list[str]) -> list[str | None]:
    try:
        columns = recognize("eval", headers, [[] for _ in headers], need_role=False)
    except MissingColumns as exc:
        columns = exc.columns
    return [c.field for c in columns]


def exact_list(headers: list[str]) -> list[str | None]:
    taken: set[str] = set()
    out = []
    for header in headers:
        target = _SYNONYM_TO_FIELD.get(fold(header))
        out.append(target if target and target not in taken else None)
        taken.update([target] if target else [])
    return out


def score(cases: list[tuple[str, object, str | None]]) -> dict:
    mapped = right = must = must_right = 0
    misses = []
    for header, expected, got in cases:
        accepted = expected if isinstance(expected, list) else [expected]
        if got is not None:
            mapped += 1
            right += got in accepted
        if None not in accepted:
            must += 1
            must_right += got in accepted
        if got not in accepted:
            misses.append({"header": header, "expected": expected, "got": got})
    return {"columns": len(cases), "mapped": mapped, "precision": right / mapped if mapped else 1.0,
            "must_map": must, "recall": must_right / must if must else 1.0, "misses": misses}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    data = yaml.safe_load((ROOT / "tests" / "eval" / "form_headers.yaml").read_text("utf-8"))
    report = {}
    for name, reader in (("recognizer", recognized), ("exact list (before)", exact_list)):
        cases = []
        for export in data["files"]:
            headers = [h for h, _ in export["columns"]]
            for (header, expected), got in zip(export["columns"], reader(headers), strict=True):
                cases.append((header, expected, got))
        for header, expected in data["questions"]:
            cases.append((header, expected, reader([header])[0]))
        report[name] = score(cases)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for name, figures in report.items():
        print(f"{name}: {figures['columns']} columns, {figures['mapped']} mapped, precision "
              f"{figures['precision']:.1%}, recall {figures['recall']:.1%} "
              f"(of {figures['must_map']} that must map)")
    print("\nrecognizer misses:")
    for miss in report["recognizer"]["misses"]:
        print(f"  {miss['header'][:90]!r}: expected {miss['expected']}, got {miss['got']}")


if __name__ == "__main__":
    main()
