"""The values every layer shares, defined once: states, roles, kinds, limits, and the frozen
dataclasses that cross from the core to the command line (members, pairings, suggestions, plans).

Nothing here touches the database or the terminal. The constants are defined below; the
dataclasses are defined in `mentorctl.records` and served from here on first use (PEP 562), so
`from mentorctl.model import Member` works everywhere while a command that needs only the
constants (`mentorctl --help`) never builds them.
"""

from __future__ import annotations

# --- constants ------------------------------------------------------------------------------

ROLES = ("mentor", "mentee", "both")
MENTOR_ROLES = ("mentor", "both")
MENTEE_ROLES = ("mentee", "both")

STATES = ("proposed", "introduced", "active", "paused", "completed", "declined", "ended")
OPEN_STATES = ("proposed", "introduced", "active", "paused")
FINAL_STATES = ("completed", "declined", "ended")

# verb -> (the states it may start from, the state it leads to); checkin keeps the state.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "introduce": (("proposed",), "introduced"),
    "start": (("introduced",), "active"),
    "pause": (("active",), "paused"),
    "resume": (("paused",), "active"),
    "complete": (("active", "paused"), "completed"),
    "checkin": (("active",), None),
    "decline": (("proposed", "introduced"), "declined"),
    "end": (("proposed", "introduced", "active", "paused"), "ended"),
}
VERBS = tuple(TRANSITIONS)
REASON_REQUIRED = ("decline", "end")

# What free text resolves to: the `resolve` kinds.
KINDS = ("occupation", "school", "location")
# The score's features, which are also the kinds of shared points (`suggest --json`).
FEATURES = ("friends", "school", "location", "occupation", "interests", "languages")
# Shared points name these too (an organization is shared, not scored).
POINT_KINDS = (*FEATURES, "organization")
# Member fields that hold lists.
LIST_FIELDS = ("schools", "interests", "friends", "languages")

MAX_PAIRING_ID = 2**63 - 1  # SQLite's largest integer
MAX_CAPACITY = 1000  # mentees one mentor may have open at once: more is a typo, not a program

EXPORT_KINDS = ("members", "pairings", "unmatched", "mentor-load", "events", "intros")
AUDIENCES = ("mentor", "mentee", "coordinator")


def allowed_verbs(status: str) -> list[str]:
    """The verbs that may be applied to a pairing in `status`, in the order of TRANSITIONS."""
    return [verb for verb, (sources, _) in TRANSITIONS.items() if status in sources]


# --- resolution -----------------------------------------------------------------------------

# Methods, from most to least certain. "unresolved" means canonical is None.
METHODS = ("program-alias", "exact", "alias", "rule", "fuzzy", "unresolved")


# The dataclasses, served lazily from mentorctl.records (see the module docstring): name -> module.
RECORDS = {
    "Resolution": "members",
    "unresolved": "members",
    "Unresolved": "members",
    "StoredResolution": "members",
    "Member": "members",
    "MemberProfile": "members",
    "RowError": "members",
    "ImportResult": "members",
    "Duplicate": "members",
    "Backup": "roster",
    "Restored": "roster",
    "Removed": "roster",
    "Merged": "roster",
    "ColumnMapping": "members",
    "SharedPoint": "matching",
    "shared_dicts": "matching",
    "Suggestion": "matching",
    "SuggestResult": "matching",
    "PlannedPair": "matching",
    "Unmatched": "matching",
    "Plan": "matching",
    "Optimality": "matching",
    "Intro": "matching",
    "PairResult": "matching",
    "AutoPairResult": "matching",
    "Pairing": "pairings",
    "Event": "pairings",
    "PairingDetail": "pairings",
    "TransitionResult": "pairings",
    "StalePairing": "pairings",
    "STALE_REASONS": "pairings",
    "StepsResult": "pairings",
    "ExpiredPairing": "pairings",
    "ExpireResult": "pairings",
    "ExportTable": "pairings",
    "SentMessage": "pairings",
    "SendReport": "pairings",
    "EmlExport": "pairings",
}


def __getattr__(name: str):
    module = RECORDS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"mentorctl.records.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *RECORDS])
