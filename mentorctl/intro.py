"""Introductions: the email a coordinator sends to a new pair, from the program's template."""

from __future__ import annotations

import string
from functools import lru_cache
from typing import Any

from mentorctl.errors import InvalidInput
from mentorctl.match import score_pair
from mentorctl.model import Intro, SharedPoint
from mentorctl.program import MemberTexts, Program

PLACEHOLDERS = ("mentee_name", "mentee_first", "mentor_name", "mentor_first",
                "mentee_role_phrase", "mentor_role_phrase", "shared_sentences", "goals_sentence",
                "offer_sentence", "coordinator", "mentee_email", "mentor_email")
_VERBS = ("studied", "speak", "work", "live")


def sentence(point: SharedPoint) -> str:
    """A shared point as a sentence addressed to both people."""
    return _sentence(point.kind, point.text)


@lru_cache(maxsize=65_536)  # the same points recur across pairs ("both speak English")
def _sentence(kind: str, text: str) -> str:
    if kind == "friends":
        return f"You have {text}."
    if kind == "interests":
        return f"You share an interest in {text}."
    if kind == "location" and " km apart" in text:
        return f"You live close to each other ({text})."
    if text.startswith("both "):
        rest = text[len("both "):]
        if rest.split(" ", 1)[0] in _VERBS:
            return f"You both {rest}."
        return f"You are both {rest}."
    return text[0].upper() + text[1:] + "."


def _first(name: str) -> str:
    return name.split()[0] if name.split() else name


def _role_phrase(row: dict[str, Any]) -> str:
    job, org = row.get("occupation"), row.get("organization")
    if job and org:
        return f" ({job} at {org})"
    if job or org:
        return f" ({job or org})"
    return ""


def _fields(mentee: dict[str, Any], mentor: dict[str, Any], shared: tuple[SharedPoint, ...],
            coordinator: str) -> dict[str, str]:
    if shared:
        shared_text = "What you have in common:\n" + "\n".join(
            f"- {_sentence(p.kind, p.text)}" for p in shared)
    else:
        shared_text = ("You come from different backgrounds, which often makes for the most "
                       "useful conversations.")
    mentee_first, mentor_first = _first(mentee["name"]), _first(mentor["name"])
    goals = (mentee.get("goals") or "").strip()
    offer = (mentor.get("goals") or mentor.get("bio") or "").strip()
    return {
        "mentee_name": mentee["name"], "mentor_name": mentor["name"],
        "mentee_first": mentee_first, "mentor_first": mentor_first,
        "mentee_email": mentee.get("email") or "", "mentor_email": mentor.get("email") or "",
        "mentee_role_phrase": _role_phrase(mentee), "mentor_role_phrase": _role_phrase(mentor),
        "shared_sentences": shared_text,
        "goals_sentence": (f"{mentee_first} hopes to get this from mentoring: "
                           f"{goals.rstrip('.')}." if goals else
                           f"{mentee_first}, please share with {mentor_first} what you hope to "
                           "get from mentoring."),
        "offer_sentence": (f"{mentor_first} offers: {offer.rstrip('.')}." if offer else
                           f"{mentor_first}, please tell {mentee_first} a little about your path "
                           "and what you can help with."),
        "coordinator": coordinator,
    }


@lru_cache(maxsize=16)
def _check_template(template: str, setting: str) -> None:
    """Refuse a template with an unknown placeholder (checked once per template, not per intro)."""
    try:
        names = [name for _lit, name, _spec, _conv in string.Formatter().parse(template) if name]
    except ValueError as exc:
        raise InvalidInput(f"settings {setting}: malformed template ({exc})") from None
    unknown = sorted(set(names) - set(PLACEHOLDERS))
    if unknown:
        raise InvalidInput(f"settings {setting}: unknown placeholder {{{unknown[0]}}}; "
                           f"use {', '.join('{' + p + '}' for p in PLACEHOLDERS)}")


def render_template(template: str, fields: dict[str, str], setting: str) -> str:
    _check_template(template, setting)
    return template.format_map(fields)


def build_intro(program: Program, texts: MemberTexts, mentee_id: str, mentor_id: str) -> Intro:
    """The introduction for a pair, with the shared points the score is made of."""
    scored = score_pair(program, texts, mentee_id, mentor_id)
    mentee = texts.row(program.position(mentee_id))
    mentor = texts.row(program.position(mentor_id))
    return compose_intro(mentee, mentor, scored.shared, scored.score, program.settings.intro)


def compose_intro(mentee: dict[str, Any], mentor: dict[str, Any], shared, score: float | None,
                  intro_settings) -> Intro:
    """The introduction from two member rows and their shared points ({kind, text} dicts or
    SharedPoint), e.g. the ones recorded on a pairing: no scoring, no program arrays."""
    shared = tuple(p if isinstance(p, SharedPoint) else SharedPoint(p["kind"], p["text"])
                   for p in shared)
    fields = _fields(mentee, mentor, shared, intro_settings.coordinator)
    subject = render_template(intro_settings.subject, fields, "intro.subject")
    body = render_template(intro_settings.template, fields, "intro.template")
    if " \n" in body or "\t\n" in body:
        body = "\n".join(line.rstrip() for line in body.splitlines())
    body = body.strip() + "\n"
    while "\n\n\n" in body:  # an empty placeholder leaves a gap
        body = body.replace("\n\n\n", "\n\n")
    to = tuple(x for x in (mentee.get("email"), mentor.get("email")) if x)
    return Intro(mentee["id"], mentor["id"], to, subject, body, shared, score or 0.0)
