"""Two builds of mentorctl timed in the same run, command by command, interleaved.

    python benchmarks/ab.py --a /path/to/venv-a/bin --b /path/to/venv-b/bin \
        --csv benchmarks/out/members-10000-seed1-*.csv --runs 15

Each build imports the CSV into a database of its own (a build may not read the other's), then
every command runs alternately A, B, A, B, ... so both see the same machine from minute to minute;
the medians and their ratio B / A are printed as a Markdown table. Use it to show that a change
keeps the speed: run the build before the change as A and after it as B.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--a", required=True, help="bin folder of build A (holds `mentorctl`)")
    parser.add_argument("--b", required=True, help="bin folder of build B")
    parser.add_argument("--csv", required=True, type=Path, help="the program to import")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mentorctl-ab-"))
    env = {**os.environ, "NO_COLOR": "1", "MENTORCTL_CONFIG": str(work / "no-settings.yaml")}
    builds = {"A": Path(args.a) / "mentorctl", "B": Path(args.b) / "mentorctl"}
    dbs = {name: work / f"{name}.db" for name in builds}
    for name, exe in builds.items():
        subprocess.run([exe, "--db", dbs[name], "import", args.csv, "--json"], env=env,
                       check=True, capture_output=True)
    listed = json.loads(subprocess.run(
        [builds["B"], "--db", dbs["B"], "member", "list", "--role", "mentee", "--format", "json"],
        env=env, check=True, capture_output=True, text=True).stdout)
    mentees = [m["id"] for m in listed[:: max(1, len(listed) // 5)][:5]]
    commands = {"--help": ["--help"], "report --json": ["report", "--json"],
                "pairing list --format json": ["pairing", "list", "--format", "json"],
                # A file of its own, never /dev/null: older builds replaced what -o named.
                "export members": ["export", "members", "-o", str(work / "members.csv")],
                "pair --auto --dry-run --json": ["pair", "--auto", "--dry-run", "--json"]}
    commands.update({f"suggest --mentee ({i + 1})": ["suggest", "--mentee", m, "--json"]
                     for i, m in enumerate(mentees)})
    for args_ in commands.values():  # warm: each build's scoring cache is written once
        for name, exe in builds.items():
            subprocess.run([exe, "--db", dbs[name], *args_], env=env, capture_output=True)
    print("| command | A median | B median | B / A |\n|---|---|---|---|")
    for label, args_ in commands.items():
        times: dict[str, list[float]] = {"A": [], "B": []}
        for _ in range(args.runs):
            for name, exe in builds.items():
                started = time.perf_counter()
                subprocess.run([exe, "--db", dbs[name], *args_], env=env, capture_output=True,
                               check=True)
                times[name].append(time.perf_counter() - started)
        a, b = statistics.median(times["A"]), statistics.median(times["B"])
        print(f"| `{label}` | {a * 1000:.0f} ms | {b * 1000:.0f} ms | {b / a:.2f} |", flush=True)


if __name__ == "__main__":
    main()
