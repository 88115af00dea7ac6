"""`mentorctl send intros|checkins`: email the people of the program by SMTP."""


from typing import Annotated

import typer

from mentorctl import api
from mentorctl.cli.context import db
from mentorctl.cli.output import Format, JsonOption, Table, emit, message, progressing

SmtpOption = Annotated[str | None, typer.Option(
    "--smtp", metavar="HOST:PORT", help="The SMTP server (default: mail.host and mail.port).")]
FromOption = Annotated[str | None, typer.Option(
    "--from", metavar="ADDR", help="The From address (default: mail.sender).")]
DryRunOption = Annotated[bool, typer.Option(
    "--dry-run", help="List what would be sent; connect to nothing, mark nothing.")]
LimitOption = Annotated[int | None, typer.Option(
    "--limit", min=1, max=1_000_000, metavar="N", help="Send at most N messages.")]
PairingOption = Annotated[list[int] | None, typer.Option(
    "--pairing", metavar="ID", min=1, help="Only this pairing (repeat for several).")]


def _report(report, what: str, json_: bool) -> None:
    if json_:
        emit(Format.json, report.to_dict())
    else:
        emit(Format.table, None, table=Table(
            ["pairing", "to", "subject"],
            ([m.pairing_id, ", ".join(m.to), m.subject] for m in report.sent),
            title=f"{len(report.sent)} {what} {'would be sent' if report.dry_run else 'sent'}",
            empty=f"No {what} to send."))
    for pairing_id, why in report.refused:
        message(f"Pairing {pairing_id}: refused by the server, not marked: {why}")
    for pairing_id, why in report.skipped:
        message(f"Pairing {pairing_id}: skipped: {why}")
    if report.dry_run:
        message("(dry run: nothing sent, nothing marked)")
    if report.refused:  # the rest went out and are marked; a script still learns of the failure
        raise typer.Exit(1)


def send_intros(
    ctx: typer.Context, smtp: SmtpOption = None, sender: FromOption = None,
    dry_run: DryRunOption = False, limit: LimitOption = None, pairing: PairingOption = None,
    json_: JsonOption = False,
) -> None:
    """Email each proposed pairing's introduction to both people and mark it introduced."""
    with progressing("Sending") as update:
        report = api.send_intros(smtp=smtp, sender=sender, dry_run=dry_run, limit=limit,
                                 pairing_ids=pairing or [], db=db(ctx), on_progress=update)
    _report(report, "intros", json_)


def send_checkins(
    ctx: typer.Context, smtp: SmtpOption = None, sender: FromOption = None,
    dry_run: DryRunOption = False, limit: LimitOption = None, pairing: PairingOption = None,
    days: Annotated[int | None, typer.Option(
        "--days", min=0, max=1_000_000, metavar="N",
        help="Pairs idle this many days or more (default: rules.stale_days).")] = None,
    json_: JsonOption = False,
) -> None:
    """Email the stale pairs (or the given ones) asking how it is going; record the reminder."""
    with progressing("Sending") as update:
        report = api.send_checkins(smtp=smtp, sender=sender, dry_run=dry_run, limit=limit,
                                   pairing_ids=pairing or [], days=days, db=db(ctx),
                                   on_progress=update)
    _report(report, "check-ins", json_)
