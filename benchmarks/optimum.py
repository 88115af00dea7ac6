"""The optimum of a program computed independently of `pair --auto`'s candidates and pricing.

Scores every mentee x mentor pair the rules allow (the project's own scores and rules, in
blocks), then solves the capacity-constrained assignment over all of them with OR-Tools'
min-cost flow, written here from scratch, and compares `pair --auto --dry-run --json` with it.

    python benchmarks/optimum.py --db /tmp/g5000.db

Memory grows with the number of pairs: about 24 million at 10,000 members.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

import numpy as np


def optimum(db: str) -> tuple[float, int, int]:
    from ortools.graph.python import min_cost_flow

    from mentorctl.api.common import opened_store, settings_in_force
    from mentorctl.api.matching import program_and_texts
    from mentorctl.assign import allowed, mentees_to_match, mentors_with_room
    from mentorctl.match import pair_scores

    with opened_store(db) as store:
        p, _texts = program_and_texts(store, settings_in_force(db, None))
    mentees, mentors = mentees_to_match(p), mentors_with_room(p)
    room = p.mentor_room()[mentors]
    rows, cols, tenths = [], [], []
    step = max(1, 2_000_000 // max(len(mentors), 1))
    for start in range(0, len(mentees), step):
        r = np.repeat(np.arange(start, min(start + step, len(mentees))), len(mentors))
        c = np.tile(np.arange(len(mentors)), len(r) // len(mentors))
        ok = allowed(p, mentees[r], mentors[c])
        r, c = r[ok], c[ok]
        scores, _ = pair_scores(p, mentees[r], mentors[c])
        rows.append(r)
        cols.append(c)
        tenths.append(np.rint(scores * 10).astype(np.int64))
    r, c, t = np.concatenate(rows), np.concatenate(cols), np.concatenate(tenths)
    n, k = len(mentees), len(mentors)
    scale = n + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = n + k, n + k + 1
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([r, np.full(n, source), n + np.arange(k), [source]]),
        np.concatenate([n + c, np.arange(n), np.full(k, sink), [sink]]),
        np.concatenate([np.ones(len(r) + n, dtype=np.int64), room, [n]]),
        np.concatenate([-(t * scale + 1), np.zeros(n + k + 1, dtype=np.int64)]))
    supplies = np.zeros(n + k + 2, dtype=np.int64)
    supplies[source], supplies[sink] = n, -n
    flow.set_nodes_supplies(np.arange(n + k + 2), supplies)
    assert flow.solve() == flow.OPTIMAL
    used = flow.flows(np.arange(len(r))) > 0
    return int(t[used].sum()) / 10, int(used.sum()), len(r)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--certify", action="store_true")
    args = parser.parse_args()
    start = time.perf_counter()
    command = [sys.executable, "-m", "mentorctl", "--db", args.db, "pair", "--auto",
               "--dry-run", "--json"] + (["--certify"] if args.certify else [])
    plan = json.loads(subprocess.run(command, check=True, capture_output=True).stdout)
    plan_seconds = time.perf_counter() - start
    start = time.perf_counter()
    best, matched, pairs = optimum(args.db)
    print(json.dumps({"db": args.db, "plan_total": plan["total_score"],
                      "plan_pairs": len(plan["pairs"]), "plan_seconds": round(plan_seconds, 2),
                      "optimality": plan["optimality"], "solver": plan["solver"],
                      "independent_optimum": best, "optimum_pairs": matched,
                      "allowed_pairs": pairs,
                      "ratio": round(plan["total_score"] / best, 6) if best else 1.0,
                      "optimum_seconds": round(time.perf_counter() - start, 2)}))


if __name__ == "__main__":
    main()
