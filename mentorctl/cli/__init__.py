"""The mentorctl command line: parse, call `mentorctl.api`, render, and map errors to exit codes.

The command tree is declared here, in one place; each command lives in the module of its group
and reaches the core only through `mentorctl.api` (plus `model` and `errors`). Heavy modules
(rich, numpy, scipy, the reference data) are imported inside the commands that need them, so
`mentorctl --help` stays fast.
"""


import os
import sys
from typing import Annotated

import typer
from typer.core import TyperGroup

from mentorctl import __version__
from mentorctl.cli import demo, matching, members, pairings, program, reports, roster, sending
from mentorctl.cli.context import Options
from mentorctl.errors import MentorctlError


class _Group(TyperGroup):
    """Turns every expected error into one plain line on stderr and its exit code: the single
    place where errors meet the terminal."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except MentorctlError as exc:
            columns = getattr(exc, "columns", None)
            if columns:  # a file missing a required column: show how every column was read
                members.show_columns(columns, full=True)
            _fail(str(exc), exc.exit_code, getattr(exc, "result", None))
        except BrokenPipeError:
            # `mentorctl export members | head`: the reader left; that is not an error.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        except Exception as exc:
            # The api turns SQLite's errors into MentorctlError; this is the net under it.
            # sqlite3 is imported only here, so that `--help` does not load it.
            import sqlite3

            if isinstance(exc, sqlite3.OperationalError):
                hint = " (is another mentorctl still writing? try again)" \
                    if "locked" in str(exc) else ""
                _fail(f"database error: {exc}{hint}", 1)
            if isinstance(exc, sqlite3.DatabaseError):
                _fail(f"database error: {exc} (check the file with `sqlite3 FILE 'PRAGMA "
                      "integrity_check'`, or restore a backup)", 1)
            raise


def _fail(text: str, code: int, result=None) -> None:
    from mentorctl.cli.output import message

    for error in getattr(result, "errors", ()):
        message(str(error))
    message(f"Error: {text}")
    raise typer.Exit(code)


CONTEXT = {"help_option_names": ["-h", "--help"]}


def _typer(help_text: str) -> typer.Typer:
    return typer.Typer(cls=_Group, context_settings=CONTEXT, no_args_is_help=True,
                       pretty_exceptions_show_locals=False, rich_markup_mode=None, help=help_text)


app = _typer("Run a mentoring program: import sign-ups, match, pair, introduce, track and report.")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mentorctl {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    db: Annotated[str | None, typer.Option(
        "--db", metavar="PATH",
        help="Database file (default: $MENTORCTL_DB, else the app directory).")] = None,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    ctx.obj = Options(db=db)


# --- the command tree ---------------------------------------------------------------------------

app.command("import")(members.import_command)

member_app = _typer("List, show and change members; merge and remove them.")
member_app.command("list")(members.member_list)
member_app.command("show")(members.member_show)
member_app.command("set")(members.member_set)
member_app.command("promote")(members.member_promote)
member_app.command("remove")(roster.member_remove)
member_app.command("merge")(roster.member_merge)
member_app.command("duplicates")(roster.member_duplicates)
app.add_typer(member_app, name="member")

app.command("resolve")(program.resolve_command)
app.command("unresolved")(program.unresolved_command)
app.command("suggest")(matching.suggest_command)
app.command("intro")(matching.intro_command)
app.command("pair")(matching.pair_command)

pairing_app = _typer("Follow pairings through their lifecycle: list, show, steps, stale, expire.")
pairing_app.command("list")(pairings.pairing_list)
pairing_app.command("show")(pairings.pairing_show)
for _verb, (_help, _needs_reason) in pairings.STEPS.items():
    pairing_app.command(_verb, epilog=pairings.STEP_EPILOG)(
        pairings.step_command(_verb, _help, needs_reason=_needs_reason))
pairing_app.command("stale")(pairings.pairing_stale)
pairing_app.command("expire")(pairings.pairing_expire)
app.add_typer(pairing_app, name="pairing")

send_app = _typer("Email the program's people: introductions and check-in reminders (SMTP).")
send_app.command("intros")(sending.send_intros)
send_app.command("checkins")(sending.send_checkins)
app.add_typer(send_app, name="send")

app.command("export")(reports.export_command)
app.command("report")(reports.report_command)
app.command("guidelines")(reports.guidelines_command)

config_app = _typer("Program settings: weights, rules, aliases, intro template.")
config_app.command("show")(program.config_show)
config_app.command("init")(program.config_init)
app.add_typer(config_app, name="config")

db_app = _typer("Where the database is, backups, and undo.")
db_app.command("path")(program.db_path_command)
db_app.command("backup")(program.db_backup)
db_app.command("backups")(roster.db_backups)
db_app.command("undo")(roster.db_undo)
db_app.command("restore")(roster.db_restore)
db_app.command("prune")(roster.db_prune)
app.add_typer(db_app, name="db")

app.command("demo")(demo.demo_command)


def main() -> None:
    app(prog_name="mentorctl")
