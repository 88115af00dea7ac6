"""The one exception family the core raises; cli.py turns each into a line and an exit code."""

from __future__ import annotations


class MentorctlError(Exception):
    """An expected problem a user can fix. Exit code 1 unless a subclass says otherwise."""

    exit_code = 1


class NotFound(MentorctlError):
    """A member, pairing or file that does not exist."""


class InvalidInput(MentorctlError):
    """Input data (a file, a setting, a value) that cannot be accepted."""


class Conflict(MentorctlError):
    """A request the current state refuses: no capacity left, an illegal transition, ..."""


class UsageError(MentorctlError):
    """The command line itself is wrong (exit code 2)."""

    exit_code = 2
