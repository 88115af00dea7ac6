"""Which member field each column of a sign-up file holds, read from what its header asks.

Form tools name a column after its question ("Are you joining as a mentor or a mentee?",
"School(s) you attended", "How many mentees can you take on?"), so an exact list of header
names is not enough. A header is normalized (case, accents, punctuation and noise such as
"(optional)" or "(mentors only)" taken off), then scored against every field by cue phrases,
with vetoes for the look-alikes ("Current role" is a job, not a program role; "Which days will
you be available?" is a schedule). A column's answers confirm or overrule the header where the
field has a shape: roles, capacities, yes/no, email addresses. Each field then takes its best
column, the best pairs first, so the result does not depend on column order beyond ties.

The coordinator's mappings (`--map`, then the settings' `import.map`) come before any of this,
and every decision comes back as a `ColumnMapping`, so the command line can show it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from mentorctl.answers import read_capacity, read_role
from mentorctl.errors import MissingColumns
from mentorctl.model import ColumnMapping
from mentorctl.resolution import fold

# Header spellings that are a field outright (compared after normalize()).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("id", "member id", "handle", "username", "user id", "short name"),
    "name": ("name", "full name", "your name", "fullname", "first and last name",
             "participant name", "member name", "display name", "your full name"),
    "email": ("email", "email address", "e mail", "e mail address", "work email",
              "contact email", "your email", "email id", "mail", "your email address"),
    "role": ("role", "mentor or mentee", "mentor mentee", "i want to be a", "participant type",
             "program role", "type", "joining as", "sign up as"),
    "occupation": ("occupation", "job title", "title", "current position", "position", "job",
                   "profession", "current role", "current job title", "job role", "work",
                   "what do you do", "current occupation"),
    "schools": ("schools", "school", "university", "universities", "college", "colleges",
                "education", "alma mater", "school s", "university college", "institution"),
    "location": ("location", "city", "where are you based", "based in", "town", "city state",
                 "city country", "home city", "current city", "where do you live", "region"),
    "interests": ("interests", "skills", "topics", "areas of interest", "expertise",
                  "interest areas", "skills interests", "topics of interest", "hobbies"),
    "friends": ("friends", "connections", "people you know", "colleagues you know",
                "mutual friends", "referrals", "friends in the program"),
    "languages": ("languages", "language", "spoken languages", "languages spoken",
                  "languages you speak"),
    "capacity": ("capacity", "max mentees", "maximum mentees", "how many mentees",
                 "mentee capacity", "number of mentees", "max number of mentees", "slots"),
    "available": ("available", "availability", "active", "opt in", "accepting mentees",
                  "available to match"),
    "goals": ("goals", "goal", "what do you hope to get", "objectives", "goals for mentoring",
              "what you hope to gain", "what can you offer", "mentoring goals"),
    "bio": ("bio", "about", "about you", "about me", "background", "short bio", "biography"),
    "organization": ("organization", "organisation", "company", "employer", "org",
                     "workplace", "company name"),
}
FIELD_NAMES = tuple(HEADER_SYNONYMS)
REQUIRED = ("name", "role")
_SYNONYM_TO_FIELD = {syn: name for name, syns in HEADER_SYNONYMS.items() for syn in syns}
_FIRST_NAME = ("first name", "given name", "first", "your first name", "first names")
_LAST_NAME = ("last name", "surname", "family name", "last", "your last name")

# Columns form tools add on their own (Google, Microsoft, Typeform, Jotform): kept as extra data,
# never mapped, never warned about.
METADATA = frozenset({
    "timestamp", "submitted at", "submitted", "submission date", "submission time",
    "submission id", "submission ip", "start time", "completion time", "last modified time",
    "start date utc", "submit date utc", "stage date utc", "end date utc", "network id", "token",
    "response id", "respondent id", "response type", "tags", "ip", "ip address", "created at",
    "updated at", "date submitted", "date created", "last updated", "edit link", "score",
    "total score", "total points", "user agent", "referrer", "form name",
})
# Where a form tool numbers its responses ("ID" in Microsoft Forms, "#" in Typeform) a column of
# whole numbers is the response number, not a member id.
_RESPONSE_NUMBER = frozenset({"id", "#", "no", "number", "row"})

# Parenthesized or trailing words that say how to answer, not what: dropped before scoring.
_NOISE = re.compile(
    r"\b(?:optional|required|list all|list them all|all that apply|select all that apply|"
    r"check all that apply|choose all that apply|select one|choose one|pick one|one per line|"
    r"separate with commas|comma separated|mentors? only|mentees? only|for mentors|"
    r"for mentees|if applicable|if any|please|pick up to \w+|select up to \w+|"
    r"choose up to \w+)\b")


def normalize(header: str) -> str:
    """A header as the cues read it: folded, its noise taken off ("School(s) you attended
    (list all)" -> "schools you attended")."""
    text = re.sub(r"\((s|es)\)", r"\1", header)  # "School(s)" is "Schools"
    return " ".join(_NOISE.sub(" ", fold(text)).split())


# Cue phrases per field: (pattern over the normalized header, score 0-100). A field's score is
# its best cue; a veto that matches sets it to 0.
_CUES: dict[str, tuple[tuple[str, int], ...]] = {
    "name": ((r"\bnames?\b", 70), (r"\bwho are you\b", 60), (r"\bcall you\b", 50),
             (r"^(?:nom|nombre|nome|naam)(?: complet| completo| e cognome| y apellidos)?$", 60)),
    "email": ((r"\be ?mails?\b", 80), (r"\bemail address\b", 90), (r"\bcontact address\b", 60)),
    "role": ((r"\bmentor or (?:a |an )?mentee\b|\bmentee or (?:a |an )?mentor\b", 90),
             (r"\bmentor mentee\b|\bmentee mentor\b", 85),
             (r"\b(?:joining|join|sign(?:ing)? up|signing up|register(?:ing)?|apply(?:ing)?"
              r"|participate|participating|taking part|enrol+(?:ing)?) (?:us |the program |)?as\b",
              85),
             (r"\b(?:program|programme|participant|participation|member|mentoring) (?:role|type)\b"
              r"|\brole type\b|\brole in (?:the |this )?program", 90),
             (r"\bi (?:want|would like|d like) to be\b", 70),
             (r"\bmentor(?:ing)? or be(?:ing)? mentored\b|\bgive or (?:get|receive)\b", 85),
             (r"\bare you (?:a |an )?(?:mentor|mentee)\b", 60),
             (r"\bdescribes? you\b|\bwhich are you\b|\byou are a\b", 40),
             (r"^role$|\byour role\b", 55), (r"\bmentors?\b|\bmentees?\b", 25)),
    "occupation": ((r"\b(?:occupation|profession|job title|designation)\b", 85),
                   (r"\bwhat do you do\b|\bdo you do for (?:a )?(?:work|living)\b", 85),
                   (r"\bjob\b", 80), (r"\bline of work\b|\bwork as\b", 80),
                   (r"\bcurrent (?:role|position)\b|\brole at work\b|\bposition\b|\btitle\b",
                    75),
                   (r"\bcareer\b|\bfield of work\b|\bwork\b|\bworking\b", 45)),
    "schools": ((r"\bschools?\b|\buniversit(?:y|ies)\b|\bcolleges?\b|\balma mater\b", 85),
                (r"\bwhere did you (?:study|go to school|graduate)\b|\bdegree from\b"
                 r"|\bgraduated from\b|\bstudied at\b", 90),
                (r"\beducation\b", 70), (r"\bstud(?:y|ied)\b|\battended\b", 60),
                (r"\binstitution\b", 45)),
    "location": ((r"\bwhere (?:are you|do you) (?:based|live|located|living|currently live)\b"
                  r"|\bwhere in the world\b", 90),
                 (r"\bcity\b|\blocation\b|\bbased in\b|\blive in\b|\blocated in\b"
                  r"|\bwhere\b.*\b(?:based|live|located|living)\b", 85),
                 (r"\bhometown\b|\btown\b", 75), (r"\bcountry\b", 70),
                 (r"\bregion\b|\bwhere are you\b", 60),
                 (r"^state$|\b(?:which|what|home|us) state\b", 60)),
    "interests": ((r"\binterests?\b|\bareas? of (?:interest|expertise|focus)\b", 85),
                  (r"\btopics?\b|\bcare about\b|\bresearch areas?\b", 80),
                  (r"\bskills?\b|\bexpertise\b", 75),
                  (r"\bhobbies\b|\bpassions?\b|\bpassionate about\b|\bcapabilit(?:y|ies)\b"
                   r"|\bwant to (?:learn|improve|develop)\b|\bmentor (?:you )?on\b"
                   r"|\bhelp with\b|\bsubjects?\b|\bareas? you\b", 60)),
    "friends": ((r"\bfriends?\b|\bknow anyone\b|\bknow (?:someone|somebody|people|anybody)\b"
                 r"|\bpeople you know\b", 85),
                (r"\balready (?:in|part of|signed up|joined)\b|\bconnections\b", 70),
                (r"\breferr(?:al|als|ed)\b|\bmutual\b", 60), (r"\bcolleagues\b", 50)),
    "languages": ((r"\blanguages?\b|\bidiomas?\b|\blangues?\b|\bsprachen\b", 90),
                  (r"\bspeak\b|\bfluent\b", 70)),
    "capacity": ((r"\bhow many (?:\w+ )?mentees\b|\b(?:max|maximum|number of|no of)\b.*\bmentees\b"
                  r"|\bmentee (?:limit|count|capacity|slots)\b", 95),
                 (r"\bhow many\b.*\bmentees?\b", 90), (r"\bcapacity\b", 85),
                 (r"\bhow many (?:people|students|persons|mentees)\b", 80), (r"\bslots?\b", 70),
                 (r"\bhow many\b.*\b(?:mentor|paired|matched)\b", 70)),
    "available": ((r"^(?:available|availability|active|opt in)$", 90),
                  (r"\b(?:accepting|taking|open to) (?:new )?mentees\b"
                   r"|\bavailable (?:to|for) (?:be )?(?:match|mentor|pair)", 80)),
    "goals": ((r"\bgoals?\b", 80),
              (r"\bhope to (?:get|gain|achieve|learn)\b|\bwhat would you like to (?:get|gain|"
               r"achieve|learn)\b|\bwant to (?:achieve|get out|gain)\b|\bobjectives?\b", 75),
              (r"\bhoping\b|\blooking for in a mentor\b|\bexpectations?\b", 60),
              (r"\bwhy (?:do you want|did you (?:apply|sign up|join)|are you joining)\b", 40)),
    "bio": ((r"\bbio\b|\bbiography\b", 90), (r"\babout (?:you|yourself|me)\b"
             r"|\bintroduce yourself\b", 80),
            (r"\btell us (?:a bit |a little |more )?about\b", 70), (r"\bbackground\b", 65)),
    "organization": ((r"\bemployer\b|\binstitution or company\b", 90),
                     (r"\bcompany\b|\borgani[sz]ation\b", 85),
                     (r"\bwhere do you work\b|\bwho do you work for\b|\bworkplace\b"
                      r"|\bwork(?:ing)? (?:at|for)\b", 80),
                     (r"\baffiliation\b", 75), (r"\bfirm\b", 60)),
}
_VETOES: dict[str, str] = {
    "name": r"\b(?:company|college|school|university|organi[sz]ation|employer|business|team|"
            r"emoji|manager|parents?|teachers?|project|file|user|institution|org|pet|group|"
            r"program|event|course|department|mentors? s|mentees? s|preferred mentor|friends?|"
            r"file|last|first|nick)\b",
    "email": r"\b(?:parents?|manager|mentors? s|friends?|referr\w*|know|mobile|phone|whatsapp|"
             r"emails? of|2|second|alternate|other)\b",
    "role": r"\b(?:current|job|work|professional|your role and|role related|role at|first time|"
            r"experience|open to|prefer|preferred|limit|why|how many|how much|help|support|bring|"
            r"style|feedback|goal|capabilit\w*|skills?|topics?|areas?|willing|interested in|"
            r"before|previously|past|structured)\b",
    "occupation": r"\b(?:company|employer|organi[sz]ation|industry|how long|years?|hours|"
                  r"work in it|manage|where|location|city|experience|seniority|level|grade|"
                  r"manager|change|switch|block|allocate|specific|would like to work|"
                  r"workplace|work(?:ing)? (?:at|for)|mentee could|ideal|dream|future|"
                  r"related area)\b",
    "schools": r"\b(?:major|subject|graduation year|year|grade|class of|level|highest|"
               r"field of study|area of study|what did you study|gpa|student id|"
               r"institution or company|current institution|recent institution)\b",
    "location": r"\b(?:time ?zone|origin|nationality|citizenship|born|birth|email address|"
                r"ip address|web address|relocat\w*|in person|remote)\b",
    "interests": r"\b(?:prefer not|not to be matched|avoid|exclude|don ?t want|pronouns?)\b",
    "friends": r"\b(?:hear about|heard about|how did you)\b",
    "languages": r"\b(?:programming|coding|code)\b",
    "capacity": r"\b(?:times|hours|years|how long|how often|sessions|meetings|participated|"
                r"events)\b",
    "goals": r"\b(?:mentee s goals|pronouns?)\b",
    "bio": r"\b(?:anything else|what else|hear about|background check)\b",
    "organization": r"\b(?:size|industry|type of|how long|limit your match|same)\b",
}
_COMPILED = {name: tuple((re.compile(p), w) for p, w in cues) for name, cues in _CUES.items()}
_COMPILED_VETOES = {name: re.compile(p) for name, p in _VETOES.items()}
_EMAIL_LIKE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_YES_NO = {"yes", "no", "y", "n", "true", "false", "1", "0", "available", "unavailable",
           "active", "inactive", "on", "off", "x", "paused"}

MAP_SCORE = 50  # a column maps to a field from this score
LOOKS_LIKE_SCORE = 35  # a column kept as extra is worth a warning from this score
SAMPLE_ANSWERS = 200  # answers per column looked at


def header_scores(header: str) -> dict[str, int]:
    """Field -> score (0-100) of what the header alone asks."""
    text = normalize(header)
    if not text:
        return {}
    exact = _SYNONYM_TO_FIELD.get(text)
    scores = {}
    for name, cues in _COMPILED.items():
        best = max((w for pattern, w in cues if pattern.search(text)), default=0)
        if best and _COMPILED_VETOES.get(name) and _COMPILED_VETOES[name].search(text):
            best = 0
        if best:
            scores[name] = best
    if exact:
        scores[exact] = 100
    return scores


def _answer_share(answers: Sequence[str], reads) -> float | None:
    """The share of the non-empty answers a reader can read; None without answers."""
    if not answers:
        return None
    return sum(1 for a in answers if reads(a)) / len(answers)


def _weigh_by_answers(scores: dict[str, int], answers: list[str]) -> tuple[dict[str, int], str]:
    """The header's scores confirmed or overruled by the column's answers (a question's, not a
    known header's), and how."""
    scores = dict(scores)
    how = ""
    role_share = _answer_share(answers, read_role)
    if role_share is not None:
        header = scores.get("role", 0)
        if role_share >= 0.8 and (header >= 25 or len(set(map(fold, answers))) <= 8):
            scores["role"] = max(header, 75)
            how = "answers" if header < MAP_SCORE else how
        elif role_share < 0.5 and 0 < header < 100:
            scores["role"] = min(header, LOOKS_LIKE_SCORE)
    checks = {"capacity": lambda a: read_capacity(a) != "unreadable",
              "available": lambda a: a.strip().lower() in _YES_NO,
              "email": lambda a: bool(_EMAIL_LIKE.match(a.strip()))}
    for name, reads in checks.items():
        share = _answer_share(answers, reads)
        # A known header keeps its field whatever the answers: their errors are then reported.
        if share is not None and 0 < scores.get(name, 0) < 100 and share < 0.8:
            scores[name] = min(scores[name], LOOKS_LIKE_SCORE)
    email_share = _answer_share(answers, checks["email"])
    if email_share is not None and email_share >= 0.8 and max(scores, key=scores.get,
                                                              default="") == "id":
        scores["email"] = 95  # Google Forms names its collected-email column "Username"
    if answers and all(fold(a) == "anonymous" for a in answers):
        scores = {}  # Microsoft Forms fills Name and Email with "anonymous" when it collects none
        how = "anonymous answers"
    return scores, how


def recognize(
    file: str,
    headers: Sequence[str],
    answers: Sequence[Sequence[str]],
    mapping: Mapping[str, tuple[str | None, str]] | None = None,
    *,
    need_role: bool = True,
) -> list[ColumnMapping]:
    """One ColumnMapping per header. `answers[i]` holds column i's first non-empty answers;
    `mapping` is {folded header: (field or None for extra, "--map" or "settings")}.

    Raises MissingColumns (with the mapping, and the likely columns) when no column holds a
    required field."""
    mapping = mapping or {}
    result: dict[int, ColumnMapping] = {}
    scored: dict[int, dict[str, int]] = {}
    hows: dict[int, str] = {}
    taken: set[str] = set()
    folded = [fold(h) for h in headers]
    metadata_file = any(f in METADATA for f in folded)
    for index, header in enumerate(headers):
        key = folded[index]
        if key in mapping:
            target, source = mapping[key]
            if target is None or target not in taken:
                result[index] = ColumnMapping(file, header, target, source, 100)
                if target:
                    taken.add(target)
                continue
        column_answers = [a for a in answers[index]] if index < len(answers) else []
        if key in METADATA or header.strip() == "#" or (
                metadata_file and key in _RESPONSE_NUMBER and column_answers
                and all(a.strip().isdigit() for a in column_answers)):
            result[index] = ColumnMapping(file, header, None, "form metadata", 0)
            continue
        if not key:
            result[index] = ColumnMapping(file, header, None, "no header", 0)
            continue
        scores, how = _weigh_by_answers(header_scores(header), column_answers)
        scored[index] = scores
        hows[index] = how
    # The best (column, field) pairs first; equal scores go to the earlier column.
    pairs = sorted(((score, -index, name) for index, scores in scored.items()
                    for name, score in scores.items() if score >= MAP_SCORE), reverse=True)
    for score, negative_index, name in pairs:
        index = -negative_index
        if index in result or name in taken:
            continue
        how = hows[index] or ("known header" if normalize(headers[index]) in _SYNONYM_TO_FIELD
                              else "question")
        result[index] = ColumnMapping(file, headers[index], name, how, score)
        taken.add(name)
    first_last = None
    if "name" not in taken:
        first_last = _first_last(folded, result)
        if first_last:
            taken.add("name")
            for index in first_last:
                result[index] = ColumnMapping(file, headers[index], "name", "first + last name",
                                              100)
    for index, scores in scored.items():
        if index in result:
            continue
        best = max(scores, key=lambda n: (scores[n], n), default=None)
        looks = best if best and scores[best] >= LOOKS_LIKE_SCORE else None
        result[index] = ColumnMapping(file, headers[index], None, "not recognized", 0,
                                      looks_like=looks, looks_score=scores.get(looks, 0)
                                      if looks else 0)
    columns = [result[i] for i in range(len(headers))]
    missing = [name for name in REQUIRED if name not in taken and (name != "role" or need_role)]
    if missing:
        likely = {name: _likely(headers, scored, name) for name in missing}
        raise MissingColumns(file, missing, columns, likely)
    return columns


def _first_last(folded: list[str], result: dict[int, ColumnMapping]) -> tuple[int, int] | None:
    free = [i for i in range(len(folded)) if i not in result]
    first = next((i for i in free if normalize(folded[i]) in _FIRST_NAME), None)
    last = next((i for i in free if normalize(folded[i]) in _LAST_NAME), None)
    return (first, last) if first is not None and last is not None else None


def _likely(headers: Sequence[str], scored: dict[int, dict[str, int]], name: str
            ) -> list[str]:
    """The headers most like a field, best first (up to three)."""
    ranked = sorted(((scores.get(name, 0), -i) for i, scores in scored.items()
                     if scores.get(name, 0) >= 20), reverse=True)
    if not ranked and name == "role":
        # No header asks it: any column whose header mentions mentoring is worth a look.
        ranked = [(1, -i) for i in scored if re.search(r"\bmentor|\bmentee|\brole\b",
                                                       fold(headers[i]))]
    return [headers[-negative] for _score, negative in ranked[:3]]
