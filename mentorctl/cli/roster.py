"""`member remove|merge|duplicates` and `db backups|restore|undo|prune`."""


import sys
from typing import Annotated

import typer

from mentorctl import api
from mentorctl.cli.context import RefArgument, db
from mentorctl.cli.output import Format, FormatOption, JsonOption, Table, chosen, emit, message
from mentorctl.errors import UsageError
from mentorctl.model import OPEN_STATES

YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do it without asking.")]


def _confirm(question: str, yes: bool) -> None:
    """Ask on a terminal; elsewhere (a script, a pipe) only --yes goes ahead."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise UsageError(f"{question} Not asked: standard input is not a terminal; add --yes")
    if not typer.confirm(question, default=False, err=True):
        raise typer.Exit(1)


def member_remove(ctx: typer.Context, ref: RefArgument, yes: YesOption = False,
                  json_: JsonOption = False) -> None:
    """Erase a person who leaves the program: name, email, free text, kept columns, friend
    links. Their pairings (open ones ended first) and events stay, anonymized."""
    profile = api.show_member(ref, db=db(ctx))
    member = profile.member
    open_count = sum(1 for p in profile.pairings if p["status"] in OPEN_STATES)
    _confirm(f"Erase {member.name} ({member.id}) from the program for good, ending "
             f"{open_count} open pairing(s)?", yes)
    removed = api.remove_member(member.id, db=db(ctx))
    if json_:
        emit(Format.json, removed.to_dict())
    ended = (f"; ended pairing(s) {', '.join(f'#{i}' for i in removed.pairings_ended)}"
             if removed.pairings_ended else "")
    message(f"Removed {member.id}: their personal data is erased; their history stays as "
            f"{removed.anonymous_id} ({removed.pairings_kept} pairing(s)){ended}.")
    if removed.backups:
        message(f"{len(removed.backups)} private backup(s) in {removed.backups[0].parent} still "
                "hold their data (the newest lets `mentorctl db undo` bring them back); "
                "`mentorctl db prune --keep 0` deletes them. Copies made with `db backup` are "
                "yours to delete.")
    message("If they are still in your sign-up sheet, delete their row there: a later import "
            "would add them again.")


def member_merge(
    ctx: typer.Context,
    keep: Annotated[str, typer.Argument(metavar="KEEP", help="The record to keep.")],
    other: Annotated[str, typer.Argument(metavar="OTHER", help="The record merged into KEEP.")],
    yes: YesOption = False,
    json_: JsonOption = False,
) -> None:
    """Join two records of one person: OTHER's pairings, events, friendships and history move
    onto KEEP, KEEP's blank fields take OTHER's, and OTHER goes."""
    first = api.show_member(keep, db=db(ctx)).member
    second = api.show_member(other, db=db(ctx)).member
    _confirm(f"Merge {second.name} ({second.id}, {second.email or 'no email'}) into "
             f"{first.name} ({first.id}, {first.email or 'no email'})?", yes)
    merged = api.merge_members(first.id, second.id, db=db(ctx))
    if json_:
        emit(Format.json, merged.to_dict())
    filled = f"; filled {', '.join(merged.filled)}" if merged.filled else ""
    message(f"Merged {merged.merged} into {merged.kept} (role {merged.role}): moved "
            f"{merged.pairings_moved} pairing(s), {merged.events_moved} event(s), "
            f"{merged.friend_links_moved} friend link(s){filled}. Undo with `mentorctl db undo`.")


def member_duplicates(ctx: typer.Context, format_: FormatOption = None,
                      json_: JsonOption = False) -> None:
    """Members that are likely one person: the same name, or one mailbox written two ways."""
    found = api.duplicates(db=db(ctx))
    emit(chosen(format_, json_), [d.to_dict() for d in found],
         csv=(["first", "second", "reason"], ([d.first, d.second, d.reason] for d in found)),
         table=lambda: Table(["first", "second", "reason", "to merge"],
                             [[d.first, d.second, d.reason,
                               f"mentorctl member merge {d.first} {d.second}"] for d in found],
                             empty="No likely duplicates."))


def db_backups(ctx: typer.Context, format_: FormatOption = None,
               json_: JsonOption = False) -> None:
    """List the private backups taken before commands that change many rows, newest first."""
    found = api.backups(db=db(ctx))
    emit(chosen(format_, json_), [b.to_dict() for b in found],
         csv=(["taken_at", "before", "size", "path"],
              ([b.taken_at, b.before, b.size, str(b.path)] for b in found)),
         table=lambda: Table(["taken", "before", "size", "file"],
                             [[b.taken_at, b.before, f"{b.size / 1e6:.1f} MB", b.path.name]
                              for b in found],
                             empty="No backups yet: one is taken before each import, "
                                   "pair --auto, bulk step, expire, remove and merge."))


def db_undo(ctx: typer.Context) -> None:
    """Restore the state before the last command that changed many rows."""
    restored = api.undo(db=db(ctx))
    _say_restored(restored, "Undid")


def db_restore(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="A backup file.")],
) -> None:
    """Replace the database's content with a backup; the current state is kept as a backup."""
    restored = api.restore(file, db=db(ctx))
    _say_restored(restored, "Restored")


def _say_restored(restored, verb: str) -> None:
    command = {"pair-auto": "pair --auto"}.get(restored.before or "",
                                               (restored.before or "").replace("-", " "))
    state = (f"its state before `{command}`"
             if restored.before and restored.before not in ("before-undo", "before-restore")
             else f"the state in {restored.source.name}")
    when = f" ({restored.taken_at})" if restored.taken_at else ""
    message(f"{verb}: the database is back to {state}{when}; any change made after that is "
            "undone too.")
    if restored.safety_copy:
        message(f"The state it replaced is kept: `mentorctl db restore {restored.safety_copy}` "
                "brings it back.")


def db_prune(
    ctx: typer.Context,
    keep: Annotated[int, typer.Option(min=0, help="How many of the newest to keep.")],
) -> None:
    """Delete old private backups (--keep 0 deletes them all)."""
    gone = api.prune_backups(keep, db=db(ctx))
    message(f"Deleted {len(gone)} backup(s).")
