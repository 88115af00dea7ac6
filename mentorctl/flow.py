"""The capacity-constrained assignment as a min-cost flow, and its dual prices (a certificate).

Max total score such that each mentee takes at most one mentor and each mentor at most its room,
over a given set of allowed pairs with their scores. Solved exactly by OR-Tools'
`SimpleMinCostFlow` on integer costs: scores are multiples of 0.1, so a pair's weight is
`score x 10 x SCALE + 1` with SCALE above the number of mentees — the +1 makes more pairs win
among plans of equal score, and can never outweigh 0.1 point. With SCALE 1 the weight is the
plain tenths (no tie-break): the solver is ~35 % faster on that cost range, so a large plan's
first solve, whose prices only start pricing, uses it (`mentorctl.assign`).

The prices come from shortest paths in the residual graph of the optimal flow (it has no negative
cycle): u (mentee) and v (mentor), both >= 0, with u[e] + v[m] >= weight(e, m) on every pair of
the graph. Weak duality then makes `sum(u) + sum(room x v)` an upper bound on any plan over every
pair that satisfies those inequalities — `mentorctl.pricing` checks the pairs outside the graph.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mentorctl.errors import MentorctlError


@dataclass(frozen=True)
class FlowResult:
    chosen: np.ndarray  # indexes of the pairs in the plan
    u: np.ndarray  # price per mentee row (weight units), >= 0
    v: np.ndarray  # price per mentor column (weight units), >= 0
    exact_prices: bool  # False when the shortest paths were cut short (prices still feasible)


def weights_of(scores: np.ndarray, scale: int) -> np.ndarray:
    """Integer weights: score x 10 x scale + 1 (scores are multiples of 0.1); with scale 1,
    the plain tenths: no tie-break, and a cost range the solver handles ~35 % faster (a plan's
    first solve, whose prices only start pricing, uses it)."""
    tenths = np.rint(scores * 10.0).astype(np.int64)
    return tenths * scale + bonus_of(scale)


def bonus_of(scale: int) -> int:
    """The weight a pair gets for being made: 1 (the tie-break) unless scale is 1."""
    return 1 if scale > 1 else 0


def scale_for(mentee_count: int) -> int:
    return int(mentee_count) + 1


def solve(rows: np.ndarray, cols: np.ndarray, weight: np.ndarray, room: np.ndarray,
          n_rows: int) -> FlowResult:
    """Max-weight b-matching over arcs (rows[k], cols[k], weight[k] > 0); room per column."""
    from ortools.graph.python import min_cost_flow

    n_cols = len(room)
    if len(rows) == 0:
        return FlowResult(np.zeros(0, dtype=np.int64), np.zeros(n_rows, dtype=np.int64),
                          np.zeros(n_cols, dtype=np.int64), True)
    source, sink = n_rows + n_cols, n_rows + n_cols + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    r = np.arange(n_rows, dtype=np.int64)
    c = np.arange(n_cols, dtype=np.int64) + n_rows
    tails = np.concatenate([rows.astype(np.int64), np.full(n_rows, source), c, [source]])
    heads = np.concatenate([cols.astype(np.int64) + n_rows, r, np.full(n_cols, sink), [sink]])
    caps = np.concatenate([np.ones(len(rows), dtype=np.int64), np.ones(n_rows, dtype=np.int64),
                           room.astype(np.int64), [n_rows]])
    costs = np.concatenate([-weight.astype(np.int64), np.zeros(n_rows + n_cols + 1,
                                                               dtype=np.int64)])
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(n_rows + n_cols + 2, dtype=np.int64)
    supplies[source], supplies[sink] = n_rows, -n_rows
    flow.set_nodes_supplies(np.arange(len(supplies)), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise MentorctlError(f"the assignment solver failed (status {status}); please report it")
    used = flow.flows(np.arange(len(rows))) > 0
    chosen = np.flatnonzero(used)
    u, v, exact = _prices(rows, cols, weight, room, n_rows, used)
    return FlowResult(chosen, u, v, exact)


def _prices(rows, cols, weight, room, n_rows, used, max_passes: int = 5000):
    """Shortest-path distances d in the residual graph (every node a source at 0), then
    u = max(0, d[row] - d[O]) and v = max(0, d[O] - d[col]), O the outside node."""
    n_cols = len(room)
    outside = n_rows + n_cols
    matched_row = np.zeros(n_rows, dtype=bool)
    matched_row[rows[used]] = True
    load = np.bincount(cols[used], minlength=n_cols)
    r = np.arange(n_rows)
    c = np.arange(n_cols) + n_rows
    # Residual arcs: every pair row->col at -w (its capacity of 1 is implied by the row's, so
    # the arc counts as uncapacitated and the prices need no term of their own for it), used
    # pair col->row at +w; O->row when the row is free, row->O when matched; col->O when the
    # column has room left, O->col when used.
    tails = np.concatenate([rows, cols[used] + n_rows, np.full((~matched_row).sum(),
                            outside), r[matched_row], c[load < room],
                            np.full((load > 0).sum(), outside)])
    heads = np.concatenate([cols + n_rows, rows[used], r[~matched_row],
                            np.full(matched_row.sum(), outside),
                            np.full((load < room).sum(), outside), c[load > 0]])
    cost = np.concatenate([-weight, weight[used],
                           np.zeros(len(tails) - len(weight) - used.sum(), dtype=np.int64)])
    order = np.argsort(heads, kind="stable")
    tails, heads, cost = tails[order], heads[order], cost[order]
    starts = np.r_[0, np.flatnonzero(heads[1:] != heads[:-1]) + 1]
    targets = heads[starts]
    d = np.zeros(outside + 1, dtype=np.int64)
    exact = False
    for _ in range(max_passes):
        best = np.minimum.reduceat(d[tails] + cost, starts)
        better = best < d[targets]
        if not better.any():
            exact = True
            break
        d[targets[better]] = best[better]
    u = np.maximum(0, d[:n_rows] - d[outside])
    v = np.maximum(0, d[outside] - d[n_rows:outside])
    if not exact:  # still a valid bound once every pair of the graph is covered
        u = np.maximum(u, _cover(rows, cols, weight, v, n_rows))
    return u, v, exact


def _cover(rows, cols, weight, v, n_rows) -> np.ndarray:
    need = np.zeros(n_rows, dtype=np.int64)
    np.maximum.at(need, rows, weight - v[cols])
    return need
