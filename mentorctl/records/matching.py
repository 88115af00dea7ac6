"""The shared dataclasses of one concern: scores, shared points, suggestions, plans and introductions.

Import them from `mentorctl.model`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mentorctl.records.members import Member
    from mentorctl.records.pairings import Pairing


@dataclass(frozen=True)
class SharedPoint:
    kind: str  # one of FEATURES
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "text": self.text}


def shared_dicts(shared) -> list[dict[str, str]]:
    """Shared points (SharedPoint or {kind, text} dicts) as plain dicts."""
    return [p.to_dict() if isinstance(p, SharedPoint) else {"kind": str(p["kind"]),
                                                             "text": str(p["text"])}
            for p in shared or ()]


@dataclass(frozen=True)
class Suggestion:
    mentor: str
    name: str
    score: float
    shared: tuple[SharedPoint, ...]
    features: dict[str, float] = field(default_factory=dict, hash=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The `suggest --json` item."""
        return {"mentor": self.mentor, "name": self.name, "score": self.score,
                "shared": [p.to_dict() for p in self.shared]}


@dataclass(frozen=True)
class SuggestResult:
    mentee: str
    suggestions: tuple[Suggestion, ...]
    reason: str | None  # why the list is empty, when it is
    mentee_name: str = ""
    open_pairings: int = 0  # the mentee's open pairings as mentee
    at_limit: bool = False  # they already have as many open pairings as the rules allow

    def to_dict(self) -> dict[str, Any]:
        """The `suggest --all --json` item."""
        return {"mentee": self.mentee,
                "suggestions": [s.to_dict() for s in self.suggestions],
                **({"reason": self.reason} if self.reason else {})}


@dataclass(frozen=True)
class PlannedPair:
    mentee: str
    mentor: str
    score: float
    shared: tuple[SharedPoint, ...]
    mentee_name: str = ""
    mentor_name: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"mentee": self.mentee, "mentor": self.mentor, "score": self.score,
                "shared": [p.to_dict() for p in self.shared]}


@dataclass(frozen=True)
class Unmatched:
    mentee: str
    reason: str
    name: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"mentee": self.mentee, "reason": self.reason}


@dataclass(frozen=True)
class Optimality:
    """A proven upper bound on the best total under the same rules (None: not proven), the
    plan's gap to it (a share, 0 = optimal), and whether the plan is proven optimal."""

    bound: float | None
    gap: float | None
    certified: bool

    def to_dict(self) -> dict[str, Any]:
        return {"bound": self.bound, "gap": self.gap, "certified": self.certified}

    def text(self) -> str:
        if self.certified:
            return "optimal (certified)"
        if self.gap is None:
            return "not proven optimal (run with --certify for a bound)"
        return f"within {100 * self.gap:.2f} % of the optimum"


@dataclass(frozen=True)
class Plan:
    pairs: tuple[PlannedPair, ...]
    total_score: float
    unmatched: tuple[Unmatched, ...]
    solver: str
    candidate_pairs: int
    optimality: Optimality = Optimality(None, None, False)

    def to_dict(self) -> dict[str, Any]:
        return {"pairs": [pair.to_dict() for pair in self.pairs], **self.summary_dict()}

    def summary_dict(self) -> dict[str, Any]:
        """to_dict() but the pairs, for a caller that writes the pairs its own way."""
        return {"total_score": self.total_score,
                "unmatched": [u.to_dict() for u in self.unmatched],
                "solver": self.solver, "candidate_pairs": self.candidate_pairs,
                "optimality": self.optimality.to_dict()}


@dataclass(frozen=True)
class Intro:
    mentee: str
    mentor: str
    to: tuple[str, ...]
    subject: str
    body: str
    shared: tuple[SharedPoint, ...]
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"mentee": self.mentee, "mentor": self.mentor, "to": list(self.to),
                "subject": self.subject, "body": self.body, "score": self.score,
                "shared": [p.to_dict() for p in self.shared]}

    def markdown(self) -> str:
        return f"## {self.subject}\n\n" + self.body.replace("\n- ", "\n* ")

    def text(self) -> str:
        return f"To: {', '.join(self.to)}\nSubject: {self.subject}\n\n{self.body}"


@dataclass(frozen=True)
class PairResult:
    """`pair MENTEE MENTOR`: the pairing proposed, or with dry_run the one that would be."""

    mentee: Member
    mentor: Member
    score: float
    shared: tuple[SharedPoint, ...]
    pairing: Pairing | None  # None on a dry run

    def to_dict(self) -> dict[str, Any]:
        if self.pairing is not None:
            return self.pairing.to_dict()
        return {"mentee": self.mentee.id, "mentor": self.mentor.id, "score": self.score,
                "shared": [p.to_dict() for p in self.shared], "dry_run": True}


@dataclass(frozen=True)
class AutoPairResult:
    """`pair --auto`: the plan, and the pairings written from it (none on a dry run)."""

    plan: Plan
    created: tuple[Pairing, ...]
    dry_run: bool

    def to_dict(self) -> dict[str, Any]:
        """The `pair --auto --json` contract, with the pairing id of each created pair."""
        by_pair = {(p.mentee_id, p.mentor_id): p.id for p in self.created}
        # The plan's pairs written once, with their pairing ids (not Plan.to_dict()'s, then
        # replaced: 1.2 s at 100k); the keys in the order of Plan.to_dict().
        return {"pairs": [{**pair.to_dict(), "pairing": by_pair.get((pair.mentee, pair.mentor))}
                          for pair in self.plan.pairs],
                **self.plan.summary_dict(),
                "created": len(self.created),
                "dry_run": self.dry_run}
