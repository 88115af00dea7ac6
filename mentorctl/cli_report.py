"""Commands that report: export (CSV), report (the dashboard) and guidelines."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mentorctl.cli import JsonOption, app, open_store, settings


class ExportKind(StrEnum):
    members = "members"
    pairings = "pairings"
    unmatched = "unmatched"
    mentor_load = "mentor-load"
    events = "events"
    intros = "intros"


@app.command("export")
def export_command(
    kind: Annotated[ExportKind, typer.Argument(
        help="members, pairings, unmatched, mentor-load, events or intros.")],
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="FILE", help="Write to FILE instead of standard output ('-').")] = None,
    bom: Annotated[bool, typer.Option(
        "--bom", help="Start with the byte-order mark Excel needs to read UTF-8.")] = False,
) -> None:
    """Export CSV (UTF-8, spreadsheet-safe); `export members` imports back unchanged."""
    from mentorctl import render
    from mentorctl.export import export

    program = settings() if kind in (ExportKind.unmatched, ExportKind.intros) else None
    with open_store() as store:
        header, rows = export(store, kind.value, program)
        if output in (None, "-"):
            _write_stdout(header, rows, bom)
            return
        count = _write_file(Path(output).expanduser(), header, rows, bom)
    render.message(f"Wrote {count} row{'s' * (count != 1)} to {render.escape(output)}")


def _write_stdout(header, rows, bom: bool) -> int:
    """UTF-8 whatever the locale says, without newline translation (the CSV ends rows in CRLF)."""
    from mentorctl import render

    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        return render.write_csv(sys.stdout, header, rows, bom=bom)
    sys.stdout.flush()
    count = render.write_csv(_Utf8(buffer), header, rows, bom=bom)
    buffer.flush()
    return count


class _Utf8:
    """The one method csv.writer needs, encoding straight into a binary stream."""

    def __init__(self, buffer):
        self.buffer = buffer

    def write(self, text: str) -> int:
        return self.buffer.write(text.encode("utf-8"))


def _write_file(path: Path, header, rows, bom: bool) -> int:
    """Write beside the target, then rename: a failed export never leaves half a file."""
    from mentorctl import render
    from mentorctl.errors import InvalidInput

    if path.is_dir():
        raise InvalidInput(f"{path}: is a directory; give -o a file name")
    temporary = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        with open(temporary, "w", encoding="utf-8", newline="") as stream:
            count = render.write_csv(stream, header, rows, bom=bom)
        os.replace(temporary, path)
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        temporary.unlink(missing_ok=True)
    return count


# --- report ------------------------------------------------------------------------------------

STATE_STYLES = {"proposed": "cyan", "introduced": "blue", "active": "green", "paused": "yellow",
                "completed": "bright_green", "declined": "red", "ended": "magenta"}
BAR_WIDTH = 40


@app.command("report")
def report_command(json_: JsonOption = False) -> None:
    """The program at a glance: members, pairings by state, match rate, utilization, timing."""
    from mentorctl import render
    from mentorctl.report import program_report

    days = int(settings().rules["stale_days"])
    with open_store() as store:
        numbers = program_report(store, stale_days=days)
    if json_:
        render.print_json(numbers)
        return
    print_report(numbers)


def _percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.0%}"


def _days(value: float | None) -> str:
    return "-" if value is None else f"{value:g} days"


def print_report(numbers: dict) -> None:
    """The dashboard: three short tables and a bar chart of pairings by state."""
    from rich import box
    from rich.table import Table

    from mentorctl import render

    console = render.out()
    fancy = console.is_terminal and not console.no_color
    members = numbers["members"]
    console.print(f"[bold]Members[/] ({members['total']})")
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
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
    chart = Table(box=None, show_header=False, pad_edge=False)
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
    facts = Table(box=None, show_header=False)
    facts.add_column("measure")
    facts.add_column("value")
    facts.add_row("match rate", f"{_percent(match['rate'])} ({match['matched']} of "
                                f"{match['mentees']} mentees with an open or completed pairing)")
    facts.add_row("mentor utilization", f"{_percent(use['rate'])} ({use['open_pairings']} open "
                                        f"pairings, capacity {use['capacity']})")
    facts.add_row("median days to introduction", _days(median["to_introduction"]))
    facts.add_row("median days to start", _days(median["to_start"]))
    facts.add_row("stale pairs", f"{stale['count']} (no progress or check-in for "
                                 f"{stale['days']} days)")
    facts.add_row("completions", str(numbers["completions"]))
    facts.add_row("mentees who became mentors", f"{promoted['count']} ({promoted['have_mentored']}"
                                                " have mentored since)")
    console.print(facts)
    if stale["count"]:
        render.message(f"Next: `mentorctl pairing stale --days {stale['days']}` lists the stale "
                       "pairs.")


# --- guidelines --------------------------------------------------------------------------------


class Audience(StrEnum):
    mentor = "mentor"
    mentee = "mentee"
    coordinator = "coordinator"


@app.command("guidelines")
def guidelines_command(
    audience: Annotated[Audience | None, typer.Argument(
        help="mentor, mentee or coordinator; without it, list the three.")] = None,
) -> None:
    """Print the program's guidelines for mentors, mentees or coordinators."""
    from mentorctl import render
    from mentorctl.report import GUIDELINES, guideline

    if audience is None:
        render.print_table(["guidelines", "for"], GUIDELINES.items())
        render.message("Read one with `mentorctl guidelines mentor` (or mentee, coordinator).")
        return
    text = guideline(audience.value)
    console = render.out()
    if console.is_terminal:
        from rich.markdown import Markdown

        console.print(Markdown(text))
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
