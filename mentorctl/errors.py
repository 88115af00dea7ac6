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


class ImportRejected(InvalidInput):
    """An import had invalid rows and nothing was written; `result` (an ImportResult) lists them."""

    def __init__(self, result):
        self.result = result
        count = result.rejected_rows
        super().__init__(
            f"{count} invalid row{'s' * (count != 1)}: nothing was imported "
            "(fix them, or use --skip-invalid to import the valid rows)"
        )


class MissingColumns(InvalidInput):
    """A file with no column for a required field. `columns` is how every column was read (a
    ColumnMapping each) and `likely` names, per missing field, the headers most like it."""

    def __init__(self, file: str, missing: list[str], columns: list, likely: dict[str, list[str]]):
        self.file, self.missing, self.columns, self.likely = file, missing, columns, likely
        parts = []
        for name in missing:
            close = likely.get(name) or []
            if close:
                hint = (f" (likely: {', '.join(repr(h) for h in close)}; map it with --map "
                        f"{close[0] + '=' + name!r})")
            else:
                hint = f" (no column looks like it: map one with --map 'COLUMN={name}')"
            parts.append(f"'{name}'{hint}")
        role_tip = "; a file of one role can take --role ROLE instead" if "role" in missing else ""
        super().__init__(f"{file}: no column for required field {' and '.join(parts)}"
                         f"{role_tip}")


class MailInterrupted(MentorctlError):
    """The SMTP server went away in the middle of a send: what was sent is marked."""
