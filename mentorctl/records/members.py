"""The shared dataclasses of one concern: members, their import, and what their free text resolved to.

Import them from `mentorctl.model`."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

_SOC = re.compile(r"^\d\d-\d\d\d\d$")


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving one input string.

    key:       a stable identifier of the canonical entry (e.g. "occ:registered-nurse",
               "school:mit", "place:5391959"); two inputs share a point iff their keys are equal.
    canonical: the entry's display name ("Registered Nurse", "Massachusetts Institute of
               Technology", "San Francisco, California, United States").
    score:     0-100, how sure the resolver is.
    method:    one of METHODS.
    attrs:     kind-specific facts. occupation: family, seniority (int or None), seniority_label.
               school: country. place: city, region, country, country_code, lat, lon, population,
               radius_km (for metro areas).
    """

    input: str
    canonical: str | None
    key: str | None
    score: float
    method: str
    attrs: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def resolved(self) -> bool:
        return self.key is not None

    @property
    def code(self) -> str | None:
        """The entry's code in its standard: the SOC 2018 detailed code of an occupation
        ("15-1252"), the main web domain of a school ("mit.edu"), the GeoNames id of a place
        ("5391959"); None for an entry that has none (a coordinator's own alias, a country)."""
        if self.key is None:
            return None
        kind, _, rest = self.key.partition(":")
        if kind == "occ" and _SOC.match(rest):
            return rest
        if kind == "school" and "." in rest and not rest.startswith("program:"):
            return rest
        if kind == "place" and rest.isdigit():
            return rest
        return None

    def to_dict(self) -> dict[str, Any]:
        """The `resolve --json` item."""
        return {"input": self.input, "canonical": self.canonical, "score": round(self.score, 1),
                "method": self.method, "code": self.code,
                **({"attrs": self.attrs} if self.attrs else {})}


def unresolved(text: str) -> Resolution:
    return Resolution(input=text, canonical=None, key=None, score=0.0, method="unresolved")


@dataclass(frozen=True)
class Unresolved:
    """Text of the program that resolved to nothing, or only to a best guess among several
    well-known entries (`alternatives`), and how many members wrote it."""

    kind: str
    text: str
    members: int
    alternatives: tuple[str, ...] = ()
    # an occupation that resolved to nothing: the closest standard occupations, (SOC code, name)
    # best first; where to start looking for an alias, not a resolution
    closest: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "members": self.members,
                "alternatives": list(self.alternatives),
                "closest": [{"code": code, "name": name} for code, name in self.closest]}


@dataclass(frozen=True)
class StoredResolution:
    """A distinct text of the program beside what it resolved to (`api.resolutions`)."""

    kind: str
    text: str
    canonical: str | None
    method: str
    score: float
    members: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    role: str
    email: str | None = None
    occupation: str | None = None
    schools: tuple[str, ...] = ()
    location: str | None = None
    interests: tuple[str, ...] = ()
    friends: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    capacity: int = 1
    available: bool = True
    goals: str | None = None
    bio: str | None = None
    organization: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    promoted_at: str | None = None
    created_at: str | None = None
    updated_at: str | None = None

    @property
    def can_mentor(self) -> bool:
        return self.role != "mentee"  # mentor or both (model.MENTOR_ROLES)

    def to_dict(self) -> dict[str, Any]:
        """Every field; the list fields (tuples here) as lists."""
        return {key: list(value) if isinstance(value, tuple) else value
                for key, value in asdict(self).items()}

    def summary(self) -> dict[str, Any]:
        """The `member list --format json` item."""
        return {"id": self.id, "name": self.name, "role": self.role, "email": self.email,
                "capacity": self.capacity, "available": self.available}


@dataclass(frozen=True)
class MemberProfile:
    """A member as `member show` presents it: what they wrote, what it resolved to, pairings."""

    member: Member
    resolved: dict[str, list[dict[str, Any]]]  # kind -> [{input, canonical, method, score}]
    pairings: tuple[dict[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        return {**self.member.to_dict(), "resolved": self.resolved,
                "pairings": [dict(p) for p in self.pairings]}


@dataclass(frozen=True)
class RowError:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "field": self.field,
                "message": f"{self.field}: {self.message}"}


@dataclass(frozen=True)
class ColumnMapping:
    """How one column of an imported file was read.

    field:  the member field it fills, or None when it is kept as extra data.
    how:    why: "--map", "settings", "known header", "question" (what the header asks),
            "answers" (what the column holds), "first + last name", "form metadata",
            "not recognized", "anonymous answers", "no header".
    score:  0-100, how sure the recognizer is (100 for a mapping the coordinator gave).
    looks_like: for a column kept as extra, the field it resembles (worth a warning).
    """

    file: str
    column: str
    field: str | None
    how: str
    score: int = 0
    looks_like: str | None = None
    looks_score: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "column": self.column, "field": self.field, "how": self.how,
                "score": self.score, "looks_like": self.looks_like}


@dataclass(frozen=True)
class ImportResult:
    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    errors: tuple[RowError, ...] = ()
    rejected_rows: int = 0
    dry_run: bool = False
    edits_kept: tuple[tuple[str, str], ...] = ()  # (member id, field) the file would have changed
    duplicates: tuple[Duplicate, ...] = ()  # likely two records of one person, after the import
    columns: tuple[ColumnMapping, ...] = ()  # how each column of each file was read

    def to_dict(self) -> dict[str, Any]:
        """The `import --json` contract (more keys may be added)."""
        return {"created": len(self.created), "updated": len(self.updated),
                "unchanged": len(self.unchanged), "rejected": self.rejected_rows,
                "errors": [e.to_dict() for e in self.errors], "dry_run": self.dry_run,
                "edits_kept": [{"member": m, "field": f} for m, f in self.edits_kept],
                "duplicates": [d.to_dict() for d in self.duplicates],
                "columns": [c.to_dict() for c in self.columns]}


@dataclass(frozen=True)
class Duplicate:
    """Two records that likely hold one person (`member merge KEEP OTHER` joins them)."""

    first: str
    second: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"members": [self.first, self.second], "reason": self.reason}
