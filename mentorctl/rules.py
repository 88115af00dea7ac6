"""The hard pairing rules, written once: which mentee-mentor pairs may be proposed, and why not.

`check` answers for whole arrays of pairs at once with the first rule that refuses each pair
(`Rule.OK` when none does). Suggestions, `pair`, `pair --auto`, the exports and the unmatched
reasons all ask it, so they agree, and its messages are the only words for a refusal:

- `explain` says why one pair is refused, naming both people ("mentor m1 has no capacity left
  (1 of 1 open pairings)");
- `summary` says why a mentee has no eligible mentor at all. The rules are numbered in the order a
  coordinator would narrow the list (mentors, available, with room, not paired before, sharing a
  language, ...), so the highest rule any mentor reached is the step that left nobody, and its
  summary ("every available mentor is at capacity") holds when checked.

The facts the rules need come in a `PairFacts`: from the whole program's arrays (suggest, plan),
or read from the database for just the members of a write (`load_facts`), inside its transaction,
so a rule is never checked against a stale picture.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np

from mentorctl.model import MENTEE_ROLES, MENTOR_ROLES, OPEN_STATES
from mentorctl.resolution import fold, language_key
from mentorctl.sparse_rows import Csr, row_dots


class Rule(IntEnum):
    """Why a pair may not be proposed; OK when it may. The order is the order of narrowing."""

    OK = 0
    NOT_A_MENTOR = 1
    SAME_PERSON = 2
    NOT_A_MENTEE = 3
    MENTOR_UNAVAILABLE = 4
    MENTEE_UNAVAILABLE = 5
    NOT_TAKING_MENTEES = 6
    MENTOR_FULL = 7
    MENTEE_AT_LIMIT = 8
    ALREADY_OPEN = 9
    ENDED_BEFORE = 10
    COMPLETED_BEFORE = 11
    NO_SHARED_LANGUAGE = 12
    SAME_ORGANIZATION = 13


MENTEE_RULES = (Rule.NOT_A_MENTEE, Rule.MENTEE_UNAVAILABLE, Rule.MENTEE_AT_LIMIT)
_PAIRED_BEFORE = ("every mentor with room has already been paired with this mentee (open, "
                  "completed, declined or ended)")
SUMMARIES = {
    Rule.NOT_A_MENTOR: "the program has no mentors yet",
    Rule.SAME_PERSON: "the only mentor is the mentee themself",
    Rule.NOT_A_MENTEE: "they are not a mentee",
    Rule.MENTOR_UNAVAILABLE: "no mentor is available (all are marked unavailable)",
    Rule.MENTEE_UNAVAILABLE: "they are marked unavailable",
    Rule.NOT_TAKING_MENTEES: "every available mentor has capacity 0 (not taking mentees)",
    Rule.MENTOR_FULL: "every available mentor is at capacity",
    Rule.MENTEE_AT_LIMIT: "they already have as many open pairings as the rules allow",
    Rule.ALREADY_OPEN: _PAIRED_BEFORE,
    Rule.ENDED_BEFORE: _PAIRED_BEFORE,
    Rule.COMPLETED_BEFORE: _PAIRED_BEFORE,
    Rule.NO_SHARED_LANGUAGE: "no mentor with room shares a language "
                             "(rules.require_shared_language)",
    Rule.SAME_ORGANIZATION: "every mentor with room is in the mentee's organization "
                            "(rules.different_organization)",
}

# What a pair's history says about proposing it again; an open pairing outranks the past.
_HISTORY_RULE = {**dict.fromkeys(OPEN_STATES, Rule.ALREADY_OPEN),
                 "declined": Rule.ENDED_BEFORE, "ended": Rule.ENDED_BEFORE,
                 "completed": Rule.COMPLETED_BEFORE}


@dataclass(frozen=True)
class PairFacts:
    """What the rules look at, one entry per member (by position), plus each pair's history."""

    ids: list[str]
    roles: list[str] | None  # for messages; None when only the booleans are known
    role_mentor: np.ndarray
    role_mentee: np.ndarray
    available: np.ndarray
    capacity: np.ndarray
    open_as_mentor: np.ndarray
    open_as_mentee: np.ndarray
    organization: np.ndarray  # code of the folded organization, -1 when none
    languages: Csr
    history_keys: np.ndarray  # sorted mentee * size + mentor, one per pair that has a history
    history_rule: np.ndarray  # the Rule each history entry means (ALREADY_OPEN, ...)
    history_note: dict[int, str] = field(default_factory=dict)  # key -> "#3, proposed"
    open_detail: dict[int, str] = field(default_factory=dict)  # mentee -> "#1 with m1"
    require_shared_language: bool = False
    different_organization: bool = False
    max_open_per_mentee: int = 1

    @property
    def size(self) -> int:
        return len(self.ids)

    def history_of(self, e: np.ndarray, m: np.ndarray) -> np.ndarray:
        """The history Rule of each pair (Rule.OK when they were never paired)."""
        out = np.zeros(len(e), dtype=np.int8)
        if len(self.history_keys) == 0 or len(e) == 0:
            return out
        keys = e.astype(np.int64) * self.size + m
        slot = np.minimum(np.searchsorted(self.history_keys, keys), len(self.history_keys) - 1)
        found = self.history_keys[slot] == keys
        out[found] = self.history_rule[slot[found]]
        return out

    def mentee_history(self, mentee: int) -> tuple[np.ndarray, np.ndarray]:
        """(mentors, their history Rule) of every pair this mentee has a history with."""
        lo, hi = np.searchsorted(self.history_keys, [mentee * self.size, (mentee + 1) * self.size])
        return self.history_keys[lo:hi] % self.size, self.history_rule[lo:hi]


def history_arrays(size: int, mentees: np.ndarray, mentors: np.ndarray, statuses: list[str]
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Sorted pair keys and the Rule each pair's history means (the most restrictive)."""
    if len(mentees) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int8)
    keys = mentees.astype(np.int64) * size + mentors
    rule = np.array([_HISTORY_RULE[s] for s in statuses], dtype=np.int8)
    order = np.lexsort((rule, keys))  # by key, the most restrictive (lowest rule) first
    keys, rule = keys[order], rule[order]
    first = np.r_[True, keys[1:] != keys[:-1]]
    return keys[first], rule[first]


# For one pair named by hand, the most specific refusal comes first: "they already have an open
# pairing" says more than "the mentor is full" when both hold.
EXPLAIN_ORDER = (Rule.NOT_A_MENTOR, Rule.SAME_PERSON, Rule.NOT_A_MENTEE, Rule.MENTOR_UNAVAILABLE,
                 Rule.MENTEE_UNAVAILABLE, Rule.ALREADY_OPEN, Rule.ENDED_BEFORE,
                 Rule.COMPLETED_BEFORE, Rule.NOT_TAKING_MENTEES, Rule.MENTOR_FULL,
                 Rule.MENTEE_AT_LIMIT, Rule.NO_SHARED_LANGUAGE, Rule.SAME_ORGANIZATION)


def check(facts: PairFacts, e: np.ndarray, m: np.ndarray, *, mentee_side: bool = True,
          by_hand: bool = False, in_order: bool = False,
          order: tuple[Rule, ...] | None = None) -> np.ndarray:
    """The first rule that refuses each pair (mentee e[k], mentor m[k]); Rule.OK (0) if none.

    mentee_side: also check the mentee's own role, availability and limit of open pairings
        (suggestions leave them out: they list mentors for anyone who asks).
    by_hand: the coordinator names the pair, so having completed a pairing together before is
        no refusal (suggestions and the whole-program plan never propose a past pair).
    in_order: the pairs are proposed one after another, each seeing those before it: a mentor's
        second pair in the batch counts the first against the capacity, and so on.
    order: which refusal to report when several hold: by default the order of narrowing (the
        Rule numbers, see the module doc); EXPLAIN_ORDER for pairs named one by one.
    """
    e = np.asarray(e, dtype=np.int64)
    m = np.asarray(m, dtype=np.int64)
    f = facts
    mentor_load = f.open_as_mentor[m]
    mentee_load = f.open_as_mentee[e]
    repeat = np.zeros(len(e), dtype=bool)
    if in_order and len(e):
        mentor_load = mentor_load + _earlier_in_batch(m)
        mentee_load = mentee_load + _earlier_in_batch(e)
        repeat = _earlier_in_batch(e * f.size + m) > 0
    history = f.history_of(e, m)
    history = np.where(repeat, np.int8(Rule.ALREADY_OPEN), history)
    if by_hand:
        history = np.where(history == Rule.COMPLETED_BEFORE, np.int8(Rule.OK), history)
    fails: dict[Rule, np.ndarray] = {
        Rule.NOT_A_MENTOR: ~f.role_mentor[m],
        Rule.SAME_PERSON: e == m,
        Rule.MENTOR_UNAVAILABLE: ~f.available[m],
        Rule.NOT_TAKING_MENTEES: f.capacity[m] <= 0,
        Rule.MENTOR_FULL: mentor_load >= f.capacity[m],
        Rule.ALREADY_OPEN: history == Rule.ALREADY_OPEN,
        Rule.ENDED_BEFORE: history == Rule.ENDED_BEFORE,
        Rule.COMPLETED_BEFORE: history == Rule.COMPLETED_BEFORE,
    }
    if mentee_side:
        fails[Rule.NOT_A_MENTEE] = ~f.role_mentee[e]
        fails[Rule.MENTEE_UNAVAILABLE] = ~f.available[e]
        fails[Rule.MENTEE_AT_LIMIT] = mentee_load >= f.max_open_per_mentee
    refused = np.zeros(len(e), dtype=np.int8)
    for rule in order or tuple(Rule)[1:]:
        if rule in fails:
            refused = np.where((refused == 0) & fails[rule], np.int8(rule), refused)
    # The optional rules come last in every order, and cost a sparse product: only for pairs
    # still allowed.
    if f.require_shared_language:
        open_ = np.flatnonzero(refused == 0)
        shares = row_dots(f.languages, f.languages, e[open_], m[open_]) > 0
        refused[open_[~shares]] = Rule.NO_SHARED_LANGUAGE
    if f.different_organization:
        same = (f.organization[e] >= 0) & (f.organization[e] == f.organization[m])
        refused = np.where((refused == 0) & same, np.int8(Rule.SAME_ORGANIZATION), refused)
    return refused


def _earlier_in_batch(values: np.ndarray) -> np.ndarray:
    """For each position, how many earlier positions hold the same value."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = np.r_[0, np.flatnonzero(ordered[1:] != ordered[:-1]) + 1]
    rank = np.arange(len(values)) - np.repeat(starts, np.diff(np.r_[starts, len(values)]))
    out = np.empty(len(values), dtype=np.int64)
    out[order] = rank
    return out


def eligible_mentors(facts: PairFacts, mentee: int, *, mentee_side: bool = False
                     ) -> tuple[np.ndarray, str | None]:
    """The mentors this mentee may be paired with now, and, when there are none, why."""
    everyone = np.arange(facts.size, dtype=np.int64)
    refused = check(facts, np.full(facts.size, mentee, dtype=np.int64), everyone,
                    mentee_side=mentee_side)
    allowed = np.flatnonzero(refused == 0)
    if len(allowed) or facts.size == 0:
        return allowed, (None if len(allowed) else SUMMARIES[Rule.NOT_A_MENTOR])
    return allowed, summary(refused)


def has_eligible_mentor(facts: PairFacts, mentees) -> np.ndarray:
    """For each mentee (positions), whether any mentor may be proposed to them now.

    The same answer as `eligible_mentors`, without scanning every mentor for every mentee when
    no rule depends on the mentee's own facts: count the mentors with room, then take away the
    mentee themself and the mentors they were paired with.
    """
    mentees = np.asarray(mentees, dtype=np.int64)
    if facts.require_shared_language or facts.different_organization:
        return np.array([len(eligible_mentors(facts, int(i))[0]) > 0 for i in mentees],
                        dtype=bool)
    f = facts
    with_room = f.role_mentor & f.available & (f.capacity > 0) & (f.open_as_mentor < f.capacity)
    rooms = int(with_room.sum())
    out = np.zeros(len(mentees), dtype=bool)
    for k, i in enumerate(mentees.tolist()):
        mentors, _rule = f.mentee_history(i)
        excluded = int(with_room[i]) + int(with_room[mentors[mentors != i]].sum())
        out[k] = rooms - excluded > 0
    return out


def summary(refused: np.ndarray) -> str:
    """Why none of a mentee's pairs is allowed, given every pair's refusal (see module doc)."""
    mentee_rules = [r for r in MENTEE_RULES if np.any(refused == r)]
    if mentee_rules:
        return SUMMARIES[Rule(min(mentee_rules))]
    return SUMMARIES[Rule(int(refused.max()))] if len(refused) else SUMMARIES[Rule.NOT_A_MENTOR]


def explain(facts: PairFacts, e: int, m: int, rule: Rule) -> str:
    """Why the pair (e, m) is refused, naming both members; `rule` is what `check` gave."""
    f = facts
    mentee, mentor = f.ids[e], f.ids[m]

    def role(i: int) -> str:
        if f.roles is not None:
            return f.roles[i]
        return ("both" if f.role_mentee[i] else "mentor") if f.role_mentor[i] else "mentee"

    key = e * f.size + m
    if rule == Rule.NOT_A_MENTOR:
        return (f"{mentor} is a {role(m)}, not a mentor "
                f"(promote them first: `mentorctl member promote {mentor}`)")
    if rule == Rule.SAME_PERSON:
        return f"{mentee} cannot mentor themself"
    if rule == Rule.NOT_A_MENTEE:
        return (f"{mentee} is a {role(e)}, not a mentee "
                f"(change it with `mentorctl member set {mentee} --role both`)")
    if rule in (Rule.MENTOR_UNAVAILABLE, Rule.MENTEE_UNAVAILABLE):
        who, member = ("mentor", mentor) if rule == Rule.MENTOR_UNAVAILABLE else ("mentee", mentee)
        return (f"{who} {member} is unavailable "
                f"(`mentorctl member set {member} --available` to match them)")
    if rule == Rule.NOT_TAKING_MENTEES:
        return (f"mentor {mentor} is not taking mentees (capacity 0; "
                f"`mentorctl member set {mentor} --capacity N`)")
    if rule == Rule.MENTOR_FULL:
        return (f"mentor {mentor} has no capacity left ({int(f.open_as_mentor[m])} of "
                f"{int(f.capacity[m])} open pairings)")
    if rule == Rule.MENTEE_AT_LIMIT:
        count = int(f.open_as_mentee[e])
        where = f.open_detail.get(e)
        return (f"mentee {mentee} already has {count} open pairing{'s' * (count != 1)}"
                f"{f' ({where})' if where else ''}; at most {f.max_open_per_mentee} allowed "
                "(rules.max_open_pairings_per_mentee)")
    note = f.history_note.get(key)
    if rule == Rule.ALREADY_OPEN:
        return f"{mentee} and {mentor} already have an open pairing" + (f" ({note})" if note else "")
    if rule in (Rule.ENDED_BEFORE, Rule.COMPLETED_BEFORE):
        status, number = (note.split(" ", 1) if note else ("paired", ""))
        return (f"{mentee} and {mentor} were paired before and it was {status}"
                f"{f' ({number})' if number else ''}; such a pair is not paired again")
    if rule == Rule.NO_SHARED_LANGUAGE:
        return "they share no language (rules.require_shared_language)"
    if rule == Rule.SAME_ORGANIZATION:
        return "they are in the same organization (rules.different_organization)"
    raise ValueError(f"not a refusal: {rule!r}")


# --- facts for the members of one write, read inside its transaction --------------------------


FEW_MEMBERS = 200  # up to this many members, read only theirs


def load_facts(conn, member_ids: set[str], rules) -> tuple[PairFacts, dict[str, int]]:
    """The rules' facts for these members, read from the database; and their positions.

    `conn` is the write transaction's connection; `rules` the program's `Rules` settings.
    Members not in the database are left out of the positions (the caller reports them).
    """
    ids = sorted(member_ids)
    few = len(ids) <= FEW_MEMBERS
    marks = ", ".join("?" * len(ids))
    # A few members are looked up by id; a whole program's batch reads the tables once (and
    # stays within SQLite's limit on query parameters).
    member_rows = conn.execute(
        "SELECT id, role, available, capacity, organization, languages FROM members"
        + (f" WHERE id IN ({marks})" if few else ""), ids if few else ())
    wanted = set(ids)
    rows = {r[0]: r for r in member_rows if r[0] in wanted}
    ids = [i for i in ids if i in rows]
    index = {member_id: i for i, member_id in enumerate(ids)}
    n = len(ids)
    open_mentor = np.zeros(n, dtype=np.int64)
    open_mentee = np.zeros(n, dtype=np.int64)
    open_detail: dict[int, list[str]] = {}
    hist_e, hist_m, hist_status = [], [], []
    history_note: dict[int, str] = {}
    note_rule: dict[int, Rule] = {}
    marks = ", ".join("?" * n)
    pairings = [] if not n else conn.execute(
        "SELECT id, mentee_id, mentor_id, status FROM pairings"
        + (f" WHERE mentee_id IN ({marks}) OR mentor_id IN ({marks})" if few else "")
        + " ORDER BY id", ids + ids if few else ())
    for pairing_id, mentee_id, mentor_id, status in pairings:
        e, m = index.get(mentee_id), index.get(mentor_id)
        if status in OPEN_STATES:
            if m is not None:
                open_mentor[m] += 1
            if e is not None:
                open_mentee[e] += 1
                open_detail.setdefault(e, []).append(f"#{pairing_id} with {mentor_id}")
        if e is not None and m is not None:
            hist_e.append(e)
            hist_m.append(m)
            hist_status.append(status)
            key = e * n + m
            # The note names the pairing the most restrictive history comes from.
            if key not in note_rule or _HISTORY_RULE[status] < note_rule[key]:
                note_rule[key] = _HISTORY_RULE[status]
                history_note[key] = _note(pairing_id, status)
    keys, rule = history_arrays(n, np.array(hist_e, dtype=np.int64),
                                np.array(hist_m, dtype=np.int64), hist_status)
    organizations: dict[str, int] = {}
    organization = np.array([organizations.setdefault(fold(rows[i][4]), len(organizations))
                             if rows[i][4] and fold(rows[i][4]) else -1 for i in ids],
                            dtype=np.int64)
    languages: dict[str, int] = {}
    language_rows = [[languages.setdefault(language_key(t), len(languages))
                      for t in json.loads(rows[i][5] or "[]") if fold(t)] for i in ids]
    roles = [rows[i][1] for i in ids]
    facts = PairFacts(
        ids=ids, roles=roles,
        role_mentor=np.array([r in MENTOR_ROLES for r in roles], dtype=bool),
        role_mentee=np.array([r in MENTEE_ROLES for r in roles], dtype=bool),
        available=np.array([bool(rows[i][2]) for i in ids], dtype=bool),
        capacity=np.array([rows[i][3] for i in ids], dtype=np.int64),
        open_as_mentor=open_mentor, open_as_mentee=open_mentee, organization=organization,
        languages=Csr.from_rows(language_rows, len(languages)),
        history_keys=keys, history_rule=rule, history_note=history_note,
        open_detail={e: ", ".join(items) for e, items in open_detail.items()},
        require_shared_language=rules.require_shared_language,
        different_organization=rules.different_organization,
        max_open_per_mentee=rules.max_open_pairings_per_mentee)
    return facts, index


def _note(pairing_id: int, status: str) -> str:
    """How explain() names the pairing behind a history: '#3, proposed' or 'declined #6'."""
    return f"#{pairing_id}, {status}" if status in OPEN_STATES else f"{status} #{pairing_id}"

