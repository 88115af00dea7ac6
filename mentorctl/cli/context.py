"""What every command shares: the global options carried in the Typer context."""


from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

import typer

from mentorctl.model import AUDIENCES, EXPORT_KINDS, KINDS, ROLES, STATES


@dataclass(frozen=True)
class Options:
    db: str | None = None  # --db; None: $MENTORCTL_DB, else the app directory


def db(ctx: typer.Context) -> str | None:
    """The --db given to `mentorctl` (the api falls back to $MENTORCTL_DB, then the app dir)."""
    options = ctx.find_object(Options)
    return options.db if options else None


RefArgument = Annotated[str, typer.Argument(metavar="REF", help="Id, email or exact name.")]

# Choices on the command line, from the model's own lists.
Role = StrEnum("Role", {role: role for role in ROLES})
State = StrEnum("State", {state: state for state in STATES})
Kind = StrEnum("Kind", {kind: kind for kind in KINDS})
ExportKind = StrEnum("ExportKind", {kind.replace("-", "_"): kind for kind in EXPORT_KINDS})
Audience = StrEnum("Audience", {audience: audience for audience in AUDIENCES})
