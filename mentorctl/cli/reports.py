"""Commands that report: export, report (the dashboard) and guidelines."""


import sys
from enum import StrEnum
from typing import Annotated

import typer

from mentorctl import api
from mentorctl.cli.context import Audience, ExportKind, State, db
from mentorctl.cli.output import (
    Format,
    FormatOption,
    JsonOption,
    Table,
    chosen,
    csv_stdout,
    emit,
    message,
    out,
    safe_text,
)
from mentorctl.errors import UsageError


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"
    table = "table"
    eml = "eml"


def export_command(
    ctx: typer.Context,
    kind: Annotated[ExportKind, typer.Argument(
        help="members, pairings, unmatched, mentor-load, events or intros.")],
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="FILE",
        help="Write to FILE instead of standard output ('-'); with --format eml, a folder.")] = None,
    bom: Annotated[bool, typer.Option(
        "--bom", help="Start with the byte-order mark Excel needs to read UTF-8.")] = False,
    status: Annotated[list[State] | None, typer.Option(
        "--status", metavar="STATE",
        help="intros: pairings in this state (repeat for several; default proposed).")] = None,
    sender: Annotated[str | None, typer.Option(
        "--from", metavar="ADDR", help="--format eml: the From address (default mail.sender).")
    ] = None,
    format_: Annotated[ExportFormat | None, typer.Option(
        "--format", "-f", help="csv (default), json, table, or eml (intros: one file each).")
    ] = None,
    json_: JsonOption = False,
) -> None:
    """Export CSV (UTF-8, spreadsheet-safe; or JSON); `export members` imports back unchanged."""
    statuses = [s.value for s in status] if status else ["proposed"]
    if status and kind.value != "intros":
        raise UsageError("--status chooses the pairings of `export intros` only")
    if json_ and format_ not in (None, ExportFormat.json):
        raise UsageError(f"--json and --format {format_.value} disagree: give one of them")
    fmt = ExportFormat.json if json_ else (format_ or ExportFormat.csv)
    to_stdout = output in (None, "-")
    if fmt is ExportFormat.eml:
        if kind.value != "intros" or to_stdout:
            raise UsageError("--format eml writes `export intros` into a folder: add -o FOLDER")
        written = api.export_eml(output, statuses=statuses, sender=sender, db=db(ctx))
        for pairing_id, why in written.skipped:
            message(f"Pairing {pairing_id}: skipped: {why}")
        count = len(written.files)
        message(f"Wrote {count} intro{'s' * (count != 1)} to {output} (.eml files)")
        return
    if fmt is ExportFormat.csv:
        if to_stdout:
            with csv_stdout() as stream:
                api.export(kind.value, stream, bom=bom, statuses=statuses, db=db(ctx))
            return
        count = api.export(kind.value, output, bom=bom, statuses=statuses, db=db(ctx))
        message(f"Wrote {count} row{'s' * (count != 1)} to {output}")
        return
    if not to_stdout:
        raise UsageError("-o writes CSV; for --format json or table, leave out -o and redirect")
    table = api.export_table(kind.value, statuses=statuses, db=db(ctx))
    emit(Format(fmt.value), table.to_dicts(), csv=(table.header, table.rows))


# --- report ----------------------------------------------------------------------------------

STATE_STYLES = {"proposed": "cyan", "introduced": "blue", "active": "green", "paused": "yellow",
                "completed": "bright_green", "declined": "red", "ended": "magenta"}
BAR_WIDTH = 40


def report_command(ctx: typer.Context, format_: FormatOption = None,
                   json_: JsonOption = False) -> None:
    """The program at a glance: members, pairings by state, match rate, utilization, timing."""
    numbers = api.report(db=db(ctx))
    fmt = chosen(format_, json_)
    if fmt is not Format.table:
        emit(fmt, numbers)
        return
    print_report(numbers)


def _percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.0%}"


def _days(value: float | None) -> str:
    return "-" if value is None else f"{value:g} days"


def print_report(numbers: dict) -> None:
    """The dashboard: three short tables and a bar chart of pairings by state. Its text is
    numbers and the tool's own words only, so its markup is safe."""
    from rich import box
    from rich.table import Table as RichTable

    console = out()
    fancy = console.is_terminal and not console.no_color
    members = numbers["members"]
    console.print(f"[bold]Members[/] ({members['total']})")
    table = RichTable(box=box.SIMPLE_HEAD, show_edge=False)
    for column in ("role", "available", "unavailable", "total"):
        table.add_column(column, justify="left" if column == "role" else "right")
    for role, counts in members["by_role"].items():
        table.add_row(role, str(counts["available"]), str(counts["unavailable"]),
                      str(counts["available"] + counts["unavailable"]))
    table.add_row("all", str(members["available"]), str(members["total"] - members["available"]),
                  str(members["total"]), style="bold" if fancy else None)
    console.print(table)
    console.print()

    pairings = numbers["pairings"]
    states = pairings["by_state"]
    largest = max(states.values()) or 1
    console.print(f"[bold]Pairings by state[/] ({pairings['total']} in all, {pairings['open']} "
                  "open)")
    chart = RichTable(box=None, show_header=False, pad_edge=False)
    chart.add_column("state")
    chart.add_column("count", justify="right")
    chart.add_column("bar")
    for state, count in states.items():
        length = round(BAR_WIDTH * count / largest)
        if count and not length:
            length = 1
        bar = ("█" if fancy else "#") * length
        chart.add_row(state, str(count), f"[{STATE_STYLES[state]}]{bar}[/]" if fancy else bar)
    console.print(chart)
    console.print()

    match, use = numbers["match_rate"], numbers["mentor_utilization"]
    median, stale, promoted = numbers["median_days"], numbers["stale"], numbers["promoted"]
    console.print("[bold]Progress[/]")
    facts = RichTable(box=None, show_header=False)
    facts.add_column("measure")
    facts.add_column("value")
    facts.add_row("match rate", f"{_percent(match['rate'])} ({match['matched']} of "
                                f"{match['mentees']} mentees with an open or completed pairing)")
    facts.add_row("mentor utilization", f"{_percent(use['rate'])} ({use['open_pairings']} open "
                                        f"pairings, capacity {use['capacity']})")
    facts.add_row("median days to introduction", _days(median["to_introduction"]))
    facts.add_row("median days to start", _days(median["to_start"]))
    term, paused = numbers.get("past_term"), numbers.get("paused_idle")
    others = (term or {}).get("count", 0) + (paused or {}).get("count", 0)
    facts.add_row("stale pairs", f"{stale['count']} (no progress or check-in for "
                                 f"{stale['days']} days" + (
                                     ", paused too long, or past the term)" if others else ")"))
    if term is not None:
        facts.add_row("past their term", f"{term['count']} (active or paused more than "
                      f"{term['weeks']} weeks after starting)" if term["weeks"] else
                      "- (no term set: rules.term_weeks is 0)")
    if paused is not None:
        facts.add_row("long pauses", f"{paused['count']} (paused {paused['days']} days "
                                         "or more)")
    if "expired" in numbers:
        facts.add_row("expired proposals", f"{numbers['expired']} (declined unanswered by "
                                           "`pairing expire`)")
    facts.add_row("completions", str(numbers["completions"]))
    facts.add_row("mentees who became mentors", f"{promoted['count']} ({promoted['have_mentored']}"
                                                " have mentored since)")
    console.print(facts)
    if stale["count"]:
        message(f"Next: `mentorctl pairing stale --days {stale['days']}` lists the stale pairs.")


# --- guidelines --------------------------------------------------------------------------------


def guidelines_command(
    audience: Annotated[Audience | None, typer.Argument(
        help="mentor, mentee or coordinator; without it, list the three.")] = None,
) -> None:
    """Print the program's guidelines for mentors, mentees or coordinators."""
    if audience is None:
        emit(Format.table, None, table=Table(["guidelines", "for"],
                                             api.guidelines().items()))
        message("Read one with `mentorctl guidelines mentor` (or mentee, coordinator).")
        return
    text = api.guideline(audience.value)
    console = out()
    if console.is_terminal:
        from rich.markdown import Markdown

        console.print(Markdown(safe_text(text)))
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
