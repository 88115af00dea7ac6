"""Does a title keep its code when it is typed the way people dress it?

    python benchmarks/dressed_titles.py [--data ../shared/data] [--examples N]

Takes every distinct title workers reported to O*NET (onet-27.0/sample_of_reported_titles),
resolves it as written, then dressed five ways people type titles into a form ("X - Employer",
"X – Employer", "Sr. X @ Employer", "X / Freelance", "Global X"; the employer drawn from a fixed
list with a fixed seed), and counts, among the titles that resolve as written, how many keep
their code dressed, how many lose it (unresolved) and how many change it. It needs no labels:
the title as written is its own reference. It measures consistency, not correctness.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from mentorctl.occupations import resolve_occupations  # noqa: E402

EMPLOYERS = ["Acme Corp", "Freelance", "Self", "City of Springfield", "Google", "Contract",
             "Remote"]
DRESSINGS = ["{} - {}", "{} – {}", "Sr. {} @ {}", "{} / Freelance", "Global {}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    parser.add_argument("--examples", type=int, default=0, help="print N changed codes per way")
    args = parser.parse_args()
    path = args.data / "onet-27.0" / "sample_of_reported_titles.txt.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        titles = sorted({row["Reported Job Title"] for row in csv.DictReader(fh, delimiter="\t")})
    rng = random.Random(9)
    texts = []
    for title in titles:
        employer = rng.choice(EMPLOYERS)
        texts += [title, *(way.format(title, employer) if way.count("{}") == 2
                           else way.format(title) for way in DRESSINGS)]
    found = [r.code for r in resolve_occupations(texts)]
    step = len(DRESSINGS) + 1
    plain = {i: found[step * i] for i in range(len(titles)) if found[step * i]}
    print(f"{len(titles)} reported titles, {len(plain)} resolve as written")
    print("| dressed as | keeps its code | unresolved | another code |")
    print("|---|---|---|---|")
    for k, way in enumerate(DRESSINGS, start=1):
        same = sum(1 for i, code in plain.items() if found[step * i + k] == code)
        lost = sum(1 for i in plain if found[step * i + k] is None)
        other = len(plain) - same - lost
        print(f"| `{way.format('X', 'Employer') if way.count('{}') == 2 else way.format('X')}` "
              f"| {same} ({same / len(plain):.1%}) | {lost} | {other} |")
        shown = [texts[step * i + k] for i, code in plain.items()
                 if found[step * i + k] not in (None, code)][:args.examples]
        for text in shown:
            print(f"    {text}")


if __name__ == "__main__":
    main()
