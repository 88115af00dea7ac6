"""mentorctl side by side with mentor-match 7.0.1 (PyPI; Hungarian algorithm with munkres).

    python benchmarks/compare_mentor_match.py --sizes 500,2000,4000 --repeat 5 \
        --mm-python /path/to/venv-mm/bin/python

For each size, one program from generate.py (--seed) is written twice: as the Google-Forms CSV
mentorctl imports, and as the mentors.csv + mentees.csv folder mentor-match reads (see
mentor_match_run.py for its format and rules). Then, alternately (mentor-match first on even
repetitions, mentorctl first on odd ones), each tool's whole run is timed as subprocesses, wall
clock, from nothing:

- mentor-match: `VENV-MM/bin/python benchmarks/mentor_match_run.py FOLDER` (start-up, reading the
  CSVs, scoring every pair, three munkres rounds, writing its two mailing lists);
- mentorctl: `mentorctl --db FRESH.db import PROGRAM.csv` then `mentorctl --db FRESH.db pair
  --auto` (start-up twice, import with normalization, scoring, the optimal assignment, writing
  the pairings), the database deleted before each repetition.

The medians and the ratio (mentor-match / mentorctl: above 1, mentorctl is faster) are printed
as a Markdown table, with the exact commands. The tools score differently (mentor-match: grade
difference, same profession, an unmatched bonus; mentorctl: occupation, seniority, place,
schools, friends, interests, languages), so this compares speed on the same people and the same
constraints (one mentor per mentee, a mentor's capacity, the unavailable left out), not quality.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
JUNIOR = ("junior", "jr", "associate", "entry level", "trainee", "assistant", "intern", "student")
SENIOR = ("senior", "sr", "lead", "principal", "staff", "head", "ii", "iii", "iv")
TOP = ("manager", "mgr", "director", "chief", "vp", "vice president", "cto", "founder")
MM_COLUMNS = ["first name", "last name", "email", "role", "organisation", "grade", "profession",
              "capacity", "available"]


def grade(title: str) -> int:
    """mentor-match needs an integer grade; the generated program has job titles: 1-4 from them."""
    words = re.findall(r"[a-z]+", title.lower())
    text = " ".join(words)
    if any(re.search(rf"\b{w}\b", text) for w in TOP):
        return 4
    if any(w in words for w in SENIOR):
        return 3
    if any(re.search(rf"\b{w}\b", text) for w in JUNIOR):
        return 1
    return 2


def write_mentor_match_folder(program: Path, folder: Path) -> tuple[int, int]:
    """The program as mentor-match's mentors.csv and mentees.csv ('both' in each)."""
    folder.mkdir(parents=True, exist_ok=True)
    mentors, mentees = [], []
    with open(program, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            role = row["Role"].strip().lower()
            first, _, last = row["Full name"].strip().partition(" ")
            person = {
                "first name": first, "last name": last, "email": row["Email Address"].strip().lower(),
                "role": row["Job title"], "organisation": row["Organization"],
                "grade": grade(row["Job title"]), "profession": row["Job title"].strip().lower(),
                "capacity": row["Max mentees"] or "0",
                "available": "no" if row["Available"].strip().lower() == "no" else "yes",
            }
            if role in ("mentor", "both", "mentor and mentee"):
                mentors.append(person)
            if role in ("mentee", "both", "mentor and mentee"):
                mentees.append(person)
    for name, people in (("mentors.csv", mentors), ("mentees.csv", mentees)):
        with open(folder / name, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=MM_COLUMNS)
            writer.writeheader()
            writer.writerows(people)
    return len(mentors), len(mentees)


def timed(argv: list, env: dict) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"failed ({done.returncode}): {shlex.join(map(str, argv))}\n{done.stderr}")
    return elapsed, done.stdout + done.stderr  # mentorctl says what it created on stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="500,2000,4000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mm-python", required=True, help="Python of a venv with mentor-match 7.0.1")
    parser.add_argument("--bin-dir", type=Path, default=Path(sys.executable).parent,
                        help="folder holding `mentorctl` (default: beside this Python)")
    parser.add_argument("--work", type=Path, help="working folder (default: a new temporary one)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="mentorctl-vs-mm-"))
    work.mkdir(parents=True, exist_ok=True)
    mentorctl = args.bin_dir / "mentorctl"
    env = {**os.environ, "NO_COLOR": "1", "MENTORCTL_CONFIG": str(work / "no-settings.yaml")}
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        program = work / f"program-{size}.csv"
        subprocess.run([sys.executable, HERE / "generate.py", "--members", str(size), "--seed",
                        str(args.seed), "-o", program], check=True, capture_output=True)
        folder = work / f"mm-{size}"
        n_mentors, n_mentees = write_mentor_match_folder(program, folder)
        db = work / f"mentorctl-{size}.db"
        mm_cmd = [args.mm_python, HERE / "mentor_match_run.py", folder]
        imp_cmd = [mentorctl, "--db", db, "import", program]
        pair_cmd = [mentorctl, "--db", db, "pair", "--auto"]
        for cmd in (mm_cmd, imp_cmd, pair_cmd):
            print("$", shlex.join(map(str, cmd)), flush=True)
        mm_times, ctl_times, imp_times, pair_times = [], [], [], []
        mm_pairs = ctl_pairs = ""
        for rep in range(args.repeat):
            for tool in (("mm", "ctl") if rep % 2 == 0 else ("ctl", "mm")):
                if tool == "mm":
                    shutil.rmtree(folder / "output", ignore_errors=True)
                    elapsed, out = timed(mm_cmd, env)
                    mm_times.append(elapsed)
                    mm_pairs = re.search(r"(\d+) pairs", out).group(1)
                else:
                    for leftover in work.glob(f"mentorctl-{size}.db*"):
                        leftover.unlink()
                    t_import, _ = timed(imp_cmd, env)
                    t_pair, out = timed(pair_cmd, env)
                    imp_times.append(t_import)
                    pair_times.append(t_pair)
                    ctl_times.append(t_import + t_pair)
                    ctl_pairs = re.search(r"Created (\d+) pairings", out).group(1)
            print(f"  {size}: repetition {rep + 1}: mentor-match {mm_times[-1]:.2f} s, mentorctl "
                  f"{ctl_times[-1]:.2f} s ({imp_times[-1]:.2f} + {pair_times[-1]:.2f})", flush=True)
        mm, ctl = statistics.median(mm_times), statistics.median(ctl_times)
        rows.append(f"| {size:,} | {n_mentors:,} / {n_mentees:,} | {mm:.2f} s ({mm_pairs} pairs) | "
                    f"{ctl:.2f} s = {statistics.median(imp_times):.2f} + "
                    f"{statistics.median(pair_times):.2f} ({ctl_pairs} pairs) | "
                    f"{mm / ctl:.2f}× |")
    print(f"\nmedian of {args.repeat}, interleaved; ratio = mentor-match / mentorctl "
          "(above 1: mentorctl faster)\n")
    print("| members | mentors / mentees (both in each) | mentor-match 7.0.1 | "
          "mentorctl import + pair --auto | ratio |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
