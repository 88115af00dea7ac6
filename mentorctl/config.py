"""Program settings: score weights, hard rules, aliases and the intro template.

Settings live in a YAML file beside the database (`mentorctl.yaml`), or wherever $MENTORCTL_CONFIG
points. Every key has a documented default; the file overrides any of them. `load_settings`
validates the whole file and remembers where each value came from, for `config show`.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mentorctl.errors import InvalidInput

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

Before you meet, please read the guidelines: mentors `mentorctl guidelines mentor`, mentees `mentorctl guidelines mentee`. If anything is not working, tell me: changing a match is no one's fault.

Enjoy the conversation!
{coordinator}
"""

DEFAULTS: dict[str, Any] = {
    # Points each feature can add to a 0-100 score; they are scaled so the weights sum to 100.
    "weights": {
        "friends": 20,
        "school": 15,
        "location": 15,
        "occupation": 30,
        "interests": 15,
        "languages": 5,
    },
    "rules": {
        # Only pair people who share at least one language.
        "require_shared_language": False,
        # Never pair two people from the same organization (e.g. to avoid line managers).
        "different_organization": False,
        # How many open pairings a mentee may have at once.
        "max_open_pairings_per_mentee": 1,
        # Two places closer than this count as the same area.
        "nearby_km": 50,
        # `pairing stale` flags pairs with no progress or check-in for this many days.
        "stale_days": 21,
    },
    # Your own aliases, which win over the shipped reference data: {"Acme Coding School": "Acme Academy"}.
    "aliases": {"occupation": {}, "school": {}, "location": {}},
    "intro": {
        "subject": DEFAULT_INTRO_SUBJECT,
        "template": DEFAULT_INTRO_TEMPLATE,
        "coordinator": "Your program coordinator",
    },
}


@dataclass(frozen=True)
class Settings:
    values: dict[str, Any]
    sources: dict[str, str] = field(default_factory=dict)  # "weights.school" -> where it came from
    path: Path | None = None

    @property
    def weights(self) -> dict[str, float]:
        return self.values["weights"]

    @property
    def rules(self) -> dict[str, Any]:
        return self.values["rules"]

    @property
    def aliases(self) -> dict[str, dict[str, str]]:
        return self.values["aliases"]

    @property
    def intro(self) -> dict[str, str]:
        return self.values["intro"]

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


def load_settings(path: Path | None) -> Settings:
    """Defaults overlaid with the file at `path` (when it exists), validated as a whole."""
    values = copy.deepcopy(DEFAULTS)
    sources: dict[str, str] = {}
    if path is None or not path.exists():
        return Settings(values, sources, None)
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InvalidInput(f"{path}{where}: malformed YAML in settings: {problem}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: cannot read settings: {exc}") from None
    if data is None:
        return Settings(values, sources, path)
    if not isinstance(data, dict):
        raise InvalidInput(f"{path}: settings must be a mapping of sections (weights, rules, ...)")
    for section, content in data.items():
        if section not in DEFAULTS:
            raise InvalidInput(
                f"{path}: unknown setting {section!r}; sections are {', '.join(DEFAULTS)}")
        if content is None:
            continue
        if not isinstance(content, dict):
            raise InvalidInput(f"{path}: {section} must be a mapping")
        for key, value in content.items():
            dotted = f"{section}.{key}"
            values[section][key] = _validated(path, section, key, value)
            sources[dotted] = str(path)
    return Settings(values, sources, path)


def _validated(path: Path, section: str, key: Any, value: Any) -> Any:
    dotted = f"{section}.{key}"
    default = DEFAULTS[section].get(key)
    if key not in DEFAULTS[section]:
        raise InvalidInput(f"{path}: unknown setting {dotted!r}; {section} has "
                           f"{', '.join(DEFAULTS[section])}")
    if section == "weights":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise InvalidInput(f"{path}: {dotted} must be a number 0 or more, not {value!r}")
        return float(value)
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
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise InvalidInput(f"{path}: {dotted} must be a number 0 or more, not {value!r}")
        return value
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{path}: {dotted} must be text")
    return value


STARTER = """\
# mentorctl program settings. Every key is optional: delete what you do not change.
# `mentorctl config show` prints the settings in force and where each came from.

# How much each shared point counts. Scaled so they add up to 100.
weights:
  friends: 20      # mutual friends (a friend of many counts for less)
  school: 15       # the same school
  location: 15     # same city, nearby, same region, same country (graded)
  occupation: 30   # the same occupation, else the same family; a more senior mentor fits better
  interests: 15    # shared interests, rare ones counting more
  languages: 5     # a shared language

rules:
  require_shared_language: false   # true: never pair people without a common language
  different_organization: false    # true: never pair people from the same organization
  max_open_pairings_per_mentee: 1
  nearby_km: 50                     # places closer than this count as the same area
  stale_days: 21                    # `pairing stale` default

# Your own aliases win over the shipped reference data.
aliases:
  occupation:
    # "Code Ninja": "Software Developer"
  school:
    # "Acme Coding School": "Acme Academy"
  location:
    # "HQ": "Austin, TX"

intro:
  coordinator: "Your program coordinator"
  # subject: "Introduction: {mentee_name}, meet your mentor {mentor_name}"
  # template: |
  #   Placeholders: {mentee_name} {mentee_first} {mentor_name} {mentor_first}
  #   {mentee_role_phrase} {mentor_role_phrase} {shared_sentences} {goals_sentence}
  #   {offer_sentence} {coordinator}
"""


def write_starter(path: Path, *, force: bool = False) -> Path:
    if path.exists() and not force:
        raise InvalidInput(f"{path}: already exists; edit it, or pass --force to overwrite")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(STARTER, encoding="utf-8")
    return path
