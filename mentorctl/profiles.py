"""A member as `member show` presents it: stored fields, what they resolved to, their pairings."""

from __future__ import annotations

from typing import Any

from mentorctl.members import Member
from mentorctl.normalize import KINDS
from mentorctl.store import Store


def member_profile(store: Store, member: Member) -> dict[str, Any]:
    data = member.to_dict()
    texts = {"occupation": [member.occupation] if member.occupation else [],
             "school": list(member.schools),
             "location": [member.location] if member.location else []}
    resolved: dict[str, list[dict[str, Any]]] = {}
    for kind in KINDS:
        entries = []
        for text in texts[kind]:
            row = store.query(
                "SELECT canonical, method, score, attrs FROM resolutions WHERE kind = ? AND text = ?",
                (kind, text),
            )
            hit = row[0] if row else {"canonical": None, "method": "pending", "score": 0}
            entries.append({"input": text, "canonical": hit["canonical"],
                            "method": hit["method"], "score": hit["score"]})
        resolved[kind] = entries
    data["resolved"] = resolved
    data["pairings"] = store.query(
        "SELECT id, mentee_id AS mentee, mentor_id AS mentor, status, score, created_at "
        "FROM pairings WHERE mentee_id = ? OR mentor_id = ? ORDER BY id",
        (member.id, member.id),
    )
    return data
