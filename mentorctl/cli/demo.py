"""`mentorctl demo`: the whole workflow on the sample program, in a database of its own.

The demo never opens the user's program database or settings file: it works in a new temporary
folder (or a new, empty `--db PATH`) with the default settings, and ends by printing the commands
to explore what it built. Every step is a call of `mentorctl.api`, as a script would make it.
"""


from pathlib import Path
from typing import Annotated

import typer

from mentorctl import api
from mentorctl.cli.context import db
from mentorctl.cli.output import Table, clean, emit, out, safe_text
from mentorctl.cli.reports import print_report
from mentorctl.errors import UsageError


def demo_command(
    ctx: typer.Context,
    db_option: Annotated[str | None, typer.Option(
        "--db", metavar="PATH",
        help="Build the demo in this new (or empty) file instead of a temporary folder.")] = None,
) -> None:
    """A tour of mentorctl on sample data, in a fresh database (never your real one)."""
    path = _demo_path(db_option or db(ctx))
    Tour(path).run()


def _demo_path(flag: str | None) -> Path:
    if flag is None:
        import tempfile

        return Path(tempfile.mkdtemp(prefix="mentorctl-demo-")) / "demo.db"
    path = Path(flag).expanduser()
    if path.is_dir():
        raise UsageError(f"--db {flag}: is a directory; give the demo a new file name")
    if path.exists() and path.stat().st_size > 0:
        raise UsageError(f"--db {flag}: already exists; the demo only builds a new database "
                         "(choose a new file name, or leave out --db for a temporary one)")
    return path


def _plain(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


class Tour:
    """The demo's steps, each a section of output on stdout."""

    def __init__(self, path: Path):
        self.db = path
        # Defaults only: a settings file the user keeps for their real program must not change
        # the tour.
        self.settings = api.default_settings()
        self.console = out()
        self.step = 0

    def say(self, text: str) -> None:
        self.console.print(safe_text(text), markup=False, highlight=False)

    def heading(self, title: str) -> None:
        from rich.rule import Rule

        self.step += 1
        self.console.print()
        # A piped console is 400 columns wide (tables never fold); a heading need not be.
        self.console.print(Rule(f"[bold]{self.step}. {clean(title)}", align="left"),
                           width=min(self.console.width, 100))

    def run(self) -> None:
        self.import_sample()
        self.show_resolutions()
        mentee = self.show_suggestions()
        created = self.auto_pair()
        pairing = None
        if not created:
            self.say("No pairs could be made, so the lifecycle steps are skipped.")
        else:
            pairing = self.pick_pairing(created, mentee)
            self.show_intro(pairing)
            self.walk_lifecycle(pairing)
        self.show_report()
        self.next_steps(pairing)

    # --- steps ---------------------------------------------------------------------------

    def import_sample(self) -> None:
        self.heading("Import the sample program")
        files = api.sample_files()
        result = api.import_members(files, db=self.db, settings=self.settings)
        from collections import Counter

        roles = Counter(m.role for m in api.list_members(db=self.db))
        self.say(f"Imported {len(result.created)} members from "
                 f"{' and '.join(f.name for f in files)} (a sign-up form export and a "
                 f"coordinator's YAML list): {roles['mentor']} mentors, {roles['mentee']} "
                 f"mentees, {roles['both']} both.")

    def show_resolutions(self) -> None:
        self.heading("Messy sign-up text, resolved")
        rows = []
        known = api.resolutions(db=self.db, settings=self.settings)
        for kind in ("occupation", "school", "location"):
            changed = sorted((r for r in known if r.kind == kind and r.canonical
                              and r.method != "exact" and _plain(r.text) != _plain(r.canonical)),
                             key=lambda r: (-(len(r.canonical) - len(r.text)), r.text))
            rows.extend([r.kind, r.text, r.canonical, r.method] for r in changed[:3])
        emit_table(Table(["kind", "as typed", "resolved to", "how"], rows,
                         empty="(no free text needed resolving)"))
        self.say("Try your own: `mentorctl resolve occupation \"Sr. SWE\"`.")

    def show_suggestions(self) -> str | None:
        """Suggestions for the mentee whose best mentor shares the most with them."""
        results = [r for r in api.suggest_all(limit=3, unmatched=True, db=self.db,
                                              settings=self.settings) if r.suggestions]
        self.heading("Suggested mentors for one mentee")
        if not results:
            self.say("No mentee has an eligible mentor.")
            return None
        best = max(results, key=lambda r: (len(r.suggestions[0].shared), r.suggestions[0].score))
        emit_table(Table(
            ["rank", "mentor", "score", "what they share"],
            ([str(rank), f"{s.name} ({s.mentor})", f"{s.score:.1f}",
              "; ".join(p.text for p in s.shared) or "-"]
             for rank, s in enumerate(best.suggestions, 1)),
            title=f"Mentors for {best.mentee_name} ({best.mentee})"))
        return best.mentee

    def auto_pair(self):
        self.heading("Pair the whole program at once")
        result = api.pair_auto(db=self.db, settings=self.settings)
        plan = result.plan
        self.say(f"The optimal assignment proposed {len(plan.pairs)} pairs (total score "
                 f"{plan.total_score:g}, solver {plan.solver}); {len(plan.unmatched)} mentees "
                 "are left unmatched.")
        top = sorted(plan.pairs, key=lambda p: (-p.score, p.mentee))[:5]
        emit_table(Table(
            ["mentee", "mentor", "score", "what they share"],
            ([p.mentee, p.mentor, f"{p.score:.1f}", "; ".join(s.text for s in p.shared) or "-"]
             for p in top),
            title="The five best-scoring pairs"))
        if plan.unmatched:
            emit_table(Table(["mentee", "why unmatched"],
                             ([u.mentee, u.reason] for u in plan.unmatched[:5]),
                             title="Unmatched"))
        return result.created

    @staticmethod
    def pick_pairing(created, mentee: str | None):
        for pairing in created:
            if pairing.mentee_id == mentee:
                return pairing
        return max(created, key=lambda p: (p.score or 0, -p.id))

    def show_intro(self, pairing) -> None:
        self.heading(f"The introduction for pairing #{pairing.id}")
        written = api.intro(pairing.mentee_id, pairing.mentor_id, db=self.db,
                            settings=self.settings)
        self.say(f"To: {', '.join(written.to)}\nSubject: {written.subject}\n")
        self.say(written.body.rstrip())

    def walk_lifecycle(self, pairing) -> None:
        self.heading(f"Follow pairing #{pairing.id} from introduction to completion")
        for verb, note in (("introduce", "intro email sent"), ("start", "first call booked"),
                           ("checkin", "first meeting: goals agreed"), ("complete", "goals met")):
            api.step(verb, pairing.id, note=note, db=self.db)
        promoted = api.promote_member(pairing.mentee_id, db=self.db)
        history = api.show_pairing(pairing.id, db=self.db, settings=self.settings).history
        rows = [[_step(e), e.new_state or "", e.note or ""] for e in history]
        rows.append(["promoted to mentor", promoted.role, "promoted to mentor"])
        emit_table(Table(["step", "state", "note"], rows,
                         title=f"{pairing.mentee_id} with {pairing.mentor_id}"))
        self.say(f"{promoted.name} completed the program and was promoted: they can now mentor "
                 f"others (role {promoted.role}).")

    def show_report(self) -> None:
        self.heading("The program at a glance (`mentorctl report`)")
        print_report(api.report(db=self.db, settings=self.settings))

    def next_steps(self, pairing) -> None:
        import shlex

        db_arg = shlex.quote(str(self.db))
        waiting = sorted(api.list_pairings(statuses=["proposed"], db=self.db,
                                           settings=self.settings),
                         key=lambda p: (-(p.score or 0), p.id))
        commands = ["member list", "report", "export pairings -o pairings.csv",
                    "guidelines mentee"]
        if pairing is not None:
            commands[1:1] = ["pairing list", f"pairing show {pairing.id}"]
        if waiting:
            commands[1:1] = [f"suggest --mentee {waiting[0].mentee_id}",
                             "send intros --dry-run"]
        self.heading("Next")
        self.say(f"The demo database is {self.db}")
        self.say("Explore it with these commands (your own program's database and settings "
                 "were not touched):")
        for command in commands:
            self.say(f"  mentorctl --db {db_arg} {command}")
        self.say("Start your own program with `mentorctl import FILE`; delete the demo folder "
                 "when you are done.")


def emit_table(table: Table) -> None:
    from mentorctl.cli.output import Format

    emit(Format.table, None, table=table)


def _step(event) -> str:
    if event.kind == "checkin":
        return "check-in"
    return f"{event.old_state} -> {event.new_state}" if event.old_state else "proposed"
