"""Introductions: the email a coordinator sends to a new pair, from the program's template."""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from mentorctl.errors import InvalidInput
from mentorctl.model import Intro, SharedPoint

PLACEHOLDERS = ("mentee_name", "mentee_first", "mentor_name", "mentor_first",
                "mentee_role_phrase", "mentor_role_phrase", "shared_sentences", "goals_sentence",
                "offer_sentence", "coordinator", "mentee_email", "mentor_email")
_VERBS = ("studied", "speak", "work", "live")


def sentence(point: SharedPoint) -> str:
    """A shared point as a sentence addressed to both people."""
    return _sentence(point.kind, point.text)


@lru_cache(maxsize=65_536)  # the same points recur across pairs ("both speak English")
def _sentence(kind: str, text: str) -> str:
    if kind == "friends" and text.startswith("you "):
        return text[0].upper() + text[1:] + "."
    if kind == "friends":
        return f"You have {text}."
    if kind == "organization":
        return f"You both work at {text.removeprefix('both at ')}."
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


# Kept in capitals when a member's own words are re-cased ("ux designer" -> "UX Designer").
_ACRONYMS = {"ux", "ui", "it", "hr", "qa", "ai", "ml", "ceo", "cto", "cfo", "coo", "cio", "vp",
             "rn", "lpn", "cpa", "md", "phd", "sre", "swe", "pm", "bi", "seo", "hvac", "emt",
             "cnc", "ios", "aws", "nyc", "usa", "uk", "ngo", "r&d"}
_SMALL_WORDS = {"of", "and", "for", "the", "at", "in", "on", "to", "a", "an", "de", "la", "der",
                "und", "y", "e", "et"}
_LEVEL_WORDS = {"junior": "Junior", "senior": "Senior", "lead": "Lead", "principal": "Principal"}


def display_title(text: str | None, canonical: str | None = None,
                  seniority_label: str | None = None) -> str | None:
    """How a title is shown to the people introduced: the canonical name with its level
    ("Senior Software Developer" for "Sr. SWE"), else the member's own words, cased properly
    when they were typed all lower or all upper case ("ux designer" -> "UX Designer")."""
    if canonical:
        level = _LEVEL_WORDS.get(seniority_label or "")
        if seniority_label == "intern":
            return f"{canonical} Intern"
        return f"{level} {canonical}" if level else canonical
    text = " ".join((text or "").split())
    if not text or not (text.islower() or text.isupper()):
        return text or None
    words = text.split()
    return " ".join(w.upper() if w.lower() in _ACRONYMS else
                    w.lower() if i and w.lower() in _SMALL_WORDS else w.capitalize()
                    for i, w in enumerate(words))


_SENIORITY_NOTE = re.compile(r"; the mentor is more senior(?: \([^)]*\))?")


def _addressed(sentence: str, mentor_first: str) -> str:
    """A sentence for the two people themselves: "the mentor" is named."""
    return _SENIORITY_NOTE.sub(f"; {mentor_first} has more experience", sentence)


def _role_phrase(row: dict[str, Any]) -> str:
    job = row.get("title") or display_title(row.get("occupation"))
    org = row.get("organization")
    if job and org:
        return f" ({job} at {org})"
    if job or org:
        return f" ({job or org})"
    return ""


def _fields(mentee: dict[str, Any], mentor: dict[str, Any], shared: tuple[SharedPoint, ...],
            coordinator: str) -> dict[str, str]:
    if shared:
        mentor_first = _first(mentor["name"])
        shared_text = "What you have in common:\n" + "\n".join(
            f"- {_addressed(_sentence(p.kind, p.text), mentor_first)}" for p in shared)
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


def build_intro(program, texts, mentee_id: str, mentor_id: str) -> Intro:
    """The introduction for a pair, with the shared points the score is made of."""
    from mentorctl.match import score_pair

    scored = score_pair(program, texts, mentee_id, mentor_id)
    rows = []
    for member_id in (mentee_id, mentor_id):
        row = dict(texts.row(program.position(member_id)))
        found = texts.resolution("occupation", row.get("occupation"))
        row["title"] = display_title(row.get("occupation"), found.canonical if found else None,
                                     found.attrs.get("seniority_label") if found else None)
        rows.append(row)
    return compose_intro(rows[0], rows[1], scored.shared, scored.score, program.settings.intro)


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


# --- intros of recorded pairings, for export and for sending ----------------------------------


@dataclass(frozen=True)
class PairingIntro:
    pairing_id: int
    status: str
    mentee: dict[str, Any]
    mentor: dict[str, Any]
    intro: Intro | None  # None: withheld, and `withheld` says why
    withheld: str | None = None


NO_SHARED_LANGUAGE = ("they share no language: no introduction unless you pair them by hand "
                      "(`mentorctl pair`)")


_PERSON = ("{p}.id AS {p}_id, {p}.name AS {p}_name, {p}.email AS {p}_email, "
           "{p}.occupation AS {p}_occupation, {p}.organization AS {p}_organization, "
           "{p}.goals AS {p}_goals, {p}.bio AS {p}_bio, {p}.languages AS {p}_languages, "
           "{r}.canonical AS {p}_canonical, json_extract({r}.attrs, '$.seniority_label') "
           "AS {p}_level")
_FIELDS = ("id", "name", "email", "occupation", "organization", "goals", "bio", "languages",
           "canonical", "level")


def pairing_intros(conn, intro_settings, statuses, pairing_ids=None,
                   *, with_withheld: bool = False) -> Iterator[PairingIntro]:
    """The introduction of each pairing in `statuses` (or of the given ids), by id, from the
    shared points recorded when it was proposed: no program arrays, no re-scoring. A pair that
    shares no language gets none unless the coordinator paired them by hand; `with_withheld`
    yields those too, without an intro and with the reason, for the callers that report them."""
    from mentorctl.resolution import language_key

    marks = ", ".join("?" * len(statuses))
    where = f"p.status IN ({marks})"
    params: list[Any] = list(statuses)
    if pairing_ids:
        where += f" AND p.id IN ({', '.join('?' * len(pairing_ids))})"
        params += list(pairing_ids)
    query = conn.execute(
        f"SELECT p.id, p.status, p.score, p.shared, p.origin, {_PERSON.format(p='e', r='re')}, "
        f"{_PERSON.format(p='m', r='rm')} FROM pairings p "
        "JOIN members e ON e.id = p.mentee_id JOIN members m ON m.id = p.mentor_id "
        "LEFT JOIN resolutions re ON re.kind = 'occupation' AND re.text = e.occupation "
        "LEFT JOIN resolutions rm ON rm.kind = 'occupation' AND rm.text = m.occupation "
        f"WHERE {where} ORDER BY p.id", params)
    for pair in query:
        people = []
        for side in ("e", "m"):
            row = {f: pair[f"{side}_{f}"] for f in _FIELDS}
            row["title"] = display_title(row["occupation"], row["canonical"], row["level"])
            row["languages"] = {language_key(t) for t in json.loads(row["languages"] or "[]")}
            people.append(row)
        mentee, mentor = people
        if pair["origin"] != "hand" and mentee["languages"] and mentor["languages"] and \
                not mentee["languages"] & mentor["languages"]:
            if with_withheld:
                yield PairingIntro(pair["id"], pair["status"], mentee, mentor, None,
                                   NO_SHARED_LANGUAGE)
            continue
        yield PairingIntro(pair["id"], pair["status"], mentee, mentor, compose_intro(
            mentee, mentor, json.loads(pair["shared"]), pair["score"], intro_settings))
