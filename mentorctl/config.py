"""Program settings: score weights, hard rules, aliases and the intro template.

Settings live in a YAML file beside the database (`mentorctl.yaml`), or wherever $MENTORCTL_CONFIG
points. Every key has a documented default; the file overrides any of them. `load_settings`
validates the whole file and remembers where each value came from, for `config show`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from mentorctl.errors import InvalidInput
from mentorctl.model import FEATURES, KINDS

CONFIG_ENV = "MENTORCTL_CONFIG"
CONFIG_NAME = "mentorctl.yaml"

DEFAULT_INTRO_SUBJECT = "Introduction: {mentee_name}, meet your mentor {mentor_name}"
DEFAULT_INTRO_TEMPLATE = """\
Hi {mentee_first} and {mentor_first},

I'm delighted to introduce you to each other through our mentoring program.

{mentee_first}, meet {mentor_name}{mentor_role_phrase}. {mentor_first}, meet {mentee_name}{mentee_role_phrase}.

{shared_sentences}

{goals_sentence}
{offer_sentence}

A good first step: {mentee_first}, please reply to this email within the week with two or three times that suit you for a 30-minute call, and bring one question you would like help with. Use the first meeting to get to know each other and agree how often you will meet.

Before you meet, please read the program's guide for your role: both guides are attached to this email. If anything is not working, tell me: changing a match is no one's fault.

Enjoy the conversation!
{coordinator}
"""



@dataclass(frozen=True)
class Weights:
    """Points each feature can add to a 0-100 score (scaled so they sum to 100)."""

    friends: float = 20.0
    school: float = 15.0
    location: float = 15.0
    occupation: float = 30.0
    interests: float = 15.0
    languages: float = 5.0

    def normalized(self) -> tuple[float, ...]:
        """The weights in FEATURES order, scaled to sum to 1 (all zero stays zero)."""
        raw = [float(getattr(self, name)) for name in FEATURES]
        total = sum(raw)
        return tuple(w / total for w in raw) if total > 0 else tuple(raw)


@dataclass(frozen=True)
class Rules:
    """The program's hard rules and limits."""

    require_shared_language: bool = False
    different_organization: bool = False
    max_open_pairings_per_mentee: int = 1
    nearby_km: float = 50.0
    stale_days: int = 21  # `pairing stale`: no check-in or no progress for this many days
    paused_idle_days: int = 42  # `pairing stale`: paused for this many days
    term_weeks: int = 26  # a pairing is meant to end this long after it starts (0: no term)
    expire_days: int = 14  # `pairing expire`: decline proposals unanswered this long


@dataclass(frozen=True)
class Aliases:
    """The coordinator's own aliases per kind, which win over the shipped reference data."""

    occupation: Mapping[str, str] = field(default_factory=dict)
    school: Mapping[str, str] = field(default_factory=dict)
    location: Mapping[str, str] = field(default_factory=dict)

    def for_kind(self, kind: str) -> Mapping[str, str]:
        return getattr(self, kind)

    def to_dict(self) -> dict[str, dict[str, str]]:
        return {kind: dict(self.for_kind(kind)) for kind in KINDS}


@dataclass(frozen=True)
class IntroSettings:
    subject: str = DEFAULT_INTRO_SUBJECT
    template: str = DEFAULT_INTRO_TEMPLATE
    coordinator: str = "Your program coordinator"


DEFAULT_CHECKIN_SUBJECT = "How is it going, {mentee_first} and {mentor_first}?"
DEFAULT_CHECKIN_TEMPLATE = """\
Hi {mentee_first} and {mentor_first},

It has been a while since I last heard how your mentoring is going, so this is a friendly check-in.

Could one of you reply with a line or two: when you last met, what you talked about, and whether anything would help? If the match is not working, say so too; changing it is no one's fault.

Thank you,
{coordinator}
"""


@dataclass(frozen=True)
class MailSettings:
    """Where intros and check-ins are sent from. The password is never stored here: it comes
    from $MENTORCTL_SMTP_PASSWORD."""

    host: str = "localhost"
    port: int = 587
    security: str = "starttls"  # starttls, tls (implicit, port 465) or none
    user: str | None = None  # None: no login
    sender: str | None = None  # the From address, e.g. "Dana Lee <dana@example.org>"
    reply_to: str | None = None  # None: the sender
    cc: str | None = None  # an address copied on every intro
    rate_per_minute: int = 30  # at most this many messages a minute (0: no pause)
    checkin_interval_days: int = 14  # no second check-in reminder to a pair before this
    checkin_subject: str = DEFAULT_CHECKIN_SUBJECT
    checkin_template: str = DEFAULT_CHECKIN_TEMPLATE


@dataclass(frozen=True)
class BackupSettings:
    """The private copies taken before each command that changes many rows (`db undo`)."""

    keep: int = 10  # the newest this many are kept; older ones are deleted


@dataclass(frozen=True)
class ImportSettings:
    """How `import` reads a form's columns: `map` is {column header: field} (or `extra`), the
    mapping `import --save-map` writes, applied to every file with those headers."""

    map: Mapping[str, str] = field(default_factory=dict)


SECTIONS = {"weights": Weights, "rules": Rules, "aliases": Aliases, "intro": IntroSettings,
            "mail": MailSettings, "backups": BackupSettings, "import": ImportSettings}
# A section's attribute on Settings where its name is a Python keyword.
_ATTRIBUTE = {"import": "imports"}
SECURITY = ("starttls", "tls", "none")


@dataclass(frozen=True)
class Settings:
    """Every setting in force, validated once when loaded, and where each came from."""

    weights: Weights = field(default_factory=Weights)
    rules: Rules = field(default_factory=Rules)
    aliases: Aliases = field(default_factory=Aliases)
    intro: IntroSettings = field(default_factory=IntroSettings)
    mail: MailSettings = field(default_factory=MailSettings)
    backups: BackupSettings = field(default_factory=BackupSettings)
    imports: ImportSettings = field(default_factory=ImportSettings)
    sources: Mapping[str, str] = field(default_factory=dict)  # "weights.school" -> a file path
    path: Path | None = None

    @property
    def values(self) -> dict[str, dict[str, Any]]:
        """Every setting as plain data, by section (`config show --json`)."""
        return {name: (section.to_dict() if isinstance(section, Aliases) else asdict(section))
                for name, section in ((n, getattr(self, _ATTRIBUTE.get(n, n)))
                                      for n in SECTIONS)}

    def flat(self) -> list[tuple[str, Any, str]]:
        """(dotted key, value, source) for every setting, for `config show`."""
        out = []
        for section, content in self.values.items():
            for key, value in content.items():
                dotted = f"{section}.{key}"
                out.append((dotted, value, self.sources.get(dotted, "default")))
        return out


def settings_path(db_path: Path) -> Path:
    env = os.environ.get(CONFIG_ENV)
    return Path(env).expanduser() if env else db_path.parent / CONFIG_NAME


MAX_SETTINGS_BYTES = 1_000_000


def load_settings(path: Path | None) -> Settings:
    """The defaults overlaid with the file at `path` (when it exists), validated as a whole."""
    if path is None or not path.exists():
        return Settings()
    import yaml

    try:
        if path.stat().st_size > MAX_SETTINGS_BYTES:
            raise InvalidInput(f"{path}: settings file is larger than 1 MB")
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InvalidInput(f"{path}{where}: malformed YAML in settings: {problem}") from None
    except (OSError, UnicodeDecodeError, RecursionError) as exc:
        raise InvalidInput(f"{path}: cannot read settings: {exc}") from None
    if data is None:
        return Settings(path=path)
    if not isinstance(data, dict):
        raise InvalidInput(f"{path}: settings must be a mapping of sections (weights, rules, ...)")
    sections: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for section, content in data.items():
        if section not in SECTIONS:
            raise InvalidInput(
                f"{path}: unknown setting {section!r}; sections are {', '.join(SECTIONS)}")
        if content is None:
            continue
        if not isinstance(content, dict):
            raise InvalidInput(f"{path}: {section} must be a mapping")
        kind = SECTIONS[section]
        names = [f.name for f in fields(kind)]
        values = {}
        for key, value in content.items():
            if key not in names:
                raise InvalidInput(f"{path}: unknown setting '{section}.{key}'; {section} has "
                                   f"{', '.join(names)}")
            values[key] = _validated(path, section, key, value, getattr(kind(), key))
            sources[f"{section}.{key}"] = str(path)
        sections[_ATTRIBUTE.get(section, section)] = kind(**values)
    return Settings(**sections, sources=sources, path=path)


MAX_NUMBER = 1_000_000


def _validated(path: Path, section: str, key: str, value: Any, default: Any) -> Any:
    dotted = f"{section}.{key}"
    if dotted == "import.map":
        return _import_map(path, value)
    if section == "aliases":
        if value is None:
            return {}
        if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise InvalidInput(f"{path}: {dotted} must map text to text, e.g. 'SWE II: Software "
                               "Developer'")
        return dict(value)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise InvalidInput(f"{path}: {dotted} must be true or false, not {value!r}")
        return value
    if isinstance(default, (int, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or \
                not 0 <= value <= MAX_NUMBER:
            raise InvalidInput(f"{path}: {dotted} must be a number from 0 to {MAX_NUMBER:,}, "
                               f"not {value!r}")
        if isinstance(default, int):
            if value != int(value):
                raise InvalidInput(f"{path}: {dotted} must be a whole number, not {value!r}")
            if key in ("max_open_pairings_per_mentee", "expire_days") and value < 1:
                raise InvalidInput(f"{path}: {dotted} must be 1 or more, not {value!r}")
            if dotted == "mail.port" and not 0 < value < 65536:
                raise InvalidInput(f"{path}: {dotted} must be a port number, not {value!r}")
            return int(value)
        return float(value)
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{path}: {dotted} must be text")
    if dotted == "mail.security" and value not in SECURITY:
        raise InvalidInput(f"{path}: {dotted} must be one of {', '.join(SECURITY)}, not {value!r}")
    return value


def _import_map(path: Path, value: Any) -> dict[str, str]:
    from mentorctl.headers import FIELD_NAMES

    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise InvalidInput(f"{path}: import.map must map a column header to a field, e.g. "
                           "'Where did you study?: schools'")
    for header, target in value.items():
        if target.strip().lower() not in (*FIELD_NAMES, "extra"):
            raise InvalidInput(f"{path}: import.map {header!r}: unknown field {target!r}; fields "
                               f"are {', '.join(FIELD_NAMES)} (or extra)")
    return {k: v.strip().lower() for k, v in value.items()}


STARTER = """\
# mentorctl program settings. Every key is optional: delete what you do not change.
# `mentorctl config show` prints the settings in force and where each came from.

# How much each shared point counts. Scaled so they add up to 100.
weights:
  friends: 20      # mutual friends (a friend of many counts for less)
  school: 15       # the same school
  location: 15     # same city, nearby, same region, same country (graded)
  occupation: 30   # the same occupation, else the same kind of work or profession; a more senior mentor fits better
  interests: 15    # shared interests, rare ones counting more
  languages: 5     # a shared language

rules:
  require_shared_language: false   # true: never pair people without a common language
  different_organization: false    # true: never pair people from the same organization
  max_open_pairings_per_mentee: 1
  nearby_km: 50                     # places closer than this count as the same area
  stale_days: 21                    # `pairing stale`: no check-in or no progress for this long
  paused_idle_days: 42              # `pairing stale`: paused this long (a pause is on purpose)
  term_weeks: 26                    # a pairing is meant to end this long after it starts (0: none)
  expire_days: 14                   # `pairing expire`: decline proposals unanswered this long

# Your own aliases win over the shipped reference data.
aliases:
  occupation:
    # "Code Ninja": "Software Developer"
    # "Bid Manager": "13-1199"      # a SOC 2018 code; `mentorctl unresolved` suggests some
  school:
    # "Acme Coding School": "Acme Academy"
  location:
    # "HQ": "Austin, TX"

mail:
  # host: smtp.example.org
  # port: 587
  # security: starttls        # starttls, tls (port 465) or none
  # user: dana@example.org    # the password comes from $MENTORCTL_SMTP_PASSWORD, never this file
  # sender: "Dana Lee <dana@example.org>"
  # reply_to: "Dana Lee <dana@example.org>"
  # cc: "mentoring@example.org"
  # rate_per_minute: 30
  # checkin_interval_days: 14

# A private copy of the database is taken before every command that changes many rows
# (import, pair --auto, bulk steps, expire, member remove and merge): `mentorctl db undo`.
backups:
  keep: 10    # the newest 10 are kept beside the database, in <database>-backups/
# How `import` reads your form's columns, when it cannot tell by itself. `import --save-map`
# writes the --map flags of an import here, so the next export of the same form needs none.
import:
  map:
    # "Which cohort are you joining?": extra
    # "Where did you grow up?": location

intro:
  coordinator: "Your program coordinator"
  # subject: "Introduction: {mentee_name}, meet your mentor {mentor_name}"
  # template: |
  #   Placeholders: {mentee_name} {mentee_first} {mentor_name} {mentor_first}
  #   {mentee_role_phrase} {mentor_role_phrase} {shared_sentences} {goals_sentence}
  #   {offer_sentence} {coordinator}
"""


def save_import_map(path: Path, mapping: Mapping[str, str]) -> bool:
    """Add `mapping` ({header: field}) to the file's `import.map`, creating the file if needed.
    Only the `import:` section is rewritten, so the rest of the file (comments included) stays
    as it was; returns False when that was not possible and the whole file had to be rewritten
    (comments lost). The result is validated before it replaces the file."""
    import yaml

    current = load_settings(path)  # refuses a broken file before anything is written
    merged = {**current.imports.map, **mapping}
    block = yaml.safe_dump({"import": {"map": merged}}, allow_unicode=True, sort_keys=False,
                           default_flow_style=False)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(r"import\s*:", line)), None)
    if start is None:
        new_text = text + ("" if not text or text.endswith("\n") else "\n") + block
    else:
        # The block is its indented lines; blank lines and column-0 comments after it belong
        # to what follows.
        end = start + 1
        while end < len(lines) and (not lines[end].strip() or lines[end][:1] in " \t"):
            end += 1
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        new_text = "".join(lines[:start]) + block + "".join(lines[end:])
    kept = _same_settings(text, new_text, merged)
    if not kept:
        data = yaml.safe_load(text) or {}
        data["import"] = {**(data.get("import") or {}), "map": merged}
        new_text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(new_text, encoding="utf-8")
    try:
        load_settings(temporary)
    except InvalidInput:
        temporary.unlink()
        raise
    temporary.replace(path)
    return kept


def _same_settings(old: str, new: str, merged: Mapping[str, str]) -> bool:
    """Whether `new` holds what `old` did, with `merged` as its import map."""
    import yaml

    try:
        before, after = yaml.safe_load(old) or {}, yaml.safe_load(new) or {}
    except yaml.YAMLError:
        return False
    if not isinstance(before, dict) or not isinstance(after, dict):
        return False
    before = {k: v for k, v in before.items() if k != "import"}
    imported = after.pop("import", None) or {}
    return before == after and imported.get("map") == dict(merged)


def write_starter(path: Path, *, force: bool = False) -> Path:
    if path.exists() and not force:
        raise InvalidInput(f"{path}: already exists; edit it, or pass --force to overwrite")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(STARTER, encoding="utf-8")
    return path
