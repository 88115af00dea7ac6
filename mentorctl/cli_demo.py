"""`mentorctl demo`: the whole workflow on the sample program, in a database of its own.

The demo never opens the user's program database or settings file: it works in a new temporary
folder (or a new, empty `--db PATH`) with the default settings, and ends by printing the commands
to explore what it built.
"""

from __future__ import annotations

import shlex
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from mentorctl.cli import STATE, app

SAMPLE_FILES = ("members.csv", "members.yaml")


@app.command("demo")
def demo_command(
    db: Annotated[str | None, typer.Option(
        "--db", metavar="PATH",
        help="Build the demo in this new (or empty) file instead of a temporary folder.")] = None,
) -> None:
    """A tour of mentorctl on sample data, in a fresh database (never your real one)."""
    from mentorctl.config import load_settings
    from mentorctl.store import Store

    path = _demo_path(db or STATE.db_flag)
    # Defaults only: a settings file the user keeps for their real program must not change the tour.
    program_settings = load_settings(None)
    with Store(path) as store:
        Tour(store, program_settings).run()


def _demo_path(flag: str | None) -> Path:
    from mentorctl.errors import UsageError

    if flag is None:
        return Path(tempfile.mkdtemp(prefix="mentorctl-demo-")) / "demo.db"
    path = Path(flag).expanduser()
    if path.is_dir():
        raise UsageError(f"--db {flag}: is a directory; give the demo a new file name")
    if path.exists() and path.stat().st_size > 0:
        raise UsageError(f"--db {flag}: already exists; the demo only builds a new database "
                         "(choose a new file name, or leave out --db for a temporary one)")
    return path


class Tour:
    """The demo's steps, each a section of output on stdout."""

    def __init__(self, store, program_settings):
        from mentorctl import render

        self.store = store
        self.settings = program_settings
        self.console = render.out()
        self.step = 0

    def heading(self, title: str) -> None:
        from rich.rule import Rule

        from mentorctl import render

        self.step += 1
        self.console.print()
        # A piped console is 400 columns wide (tables never fold); a heading need not be.
        self.console.print(Rule(f"[bold]{self.step}. {render.escape(title)}", align="left"),
                           width=min(self.console.width, 100))

    def run(self) -> None:
        self.import_sample()
        self.show_resolutions()
        mentee = self.show_suggestions()
        pairings = self.auto_pair()
        pairing_id = None
        if not pairings:
            self.console.print("No pairs could be made, so the lifecycle steps are skipped.")
        else:
            pairing_id = self.pick_pairing(pairings, mentee)
            self.show_intro(pairing_id)
            self.walk_lifecycle(pairing_id)
        self.show_report()
        self.next_steps(pairing_id)

    # --- steps ---------------------------------------------------------------------------

    def import_sample(self) -> None:
        from mentorctl.ingest import import_members
        from mentorctl.normalize import refresh_resolutions
        from mentorctl.report import shipped_path

        self.heading("Import the sample program")
        folder = shipped_path("sample_data")
        sources = [(name, (folder / name).read_bytes()) for name in SAMPLE_FILES]
        result = import_members(
            self.store, sources,
            after_write=lambda s: refresh_resolutions(s, self.settings.aliases))
        roles = dict(self.store.conn.execute("SELECT role, count(*) FROM members GROUP BY role"))
        self.console.print(
            f"Imported {len(result.created)} members from {' and '.join(SAMPLE_FILES)} "
            f"(a sign-up form export and a coordinator's YAML list): {roles.get('mentor', 0)} "
            f"mentors, {roles.get('mentee', 0)} mentees, {roles.get('both', 0)} both.")

    def show_resolutions(self) -> None:
        from mentorctl import render
        from mentorctl.resolution import fold

        self.heading("Messy sign-up text, resolved")
        rows = []
        for kind in ("occupation", "school", "location"):
            candidates = self.store.query(
                "SELECT kind, text, canonical, method FROM resolutions "
                "WHERE kind = ? AND canonical IS NOT NULL AND method != 'exact' "
                "ORDER BY length(canonical) - length(text) DESC, text", (kind,))
            shown = [r for r in candidates if fold(r["text"]) != fold(r["canonical"])][:3]
            rows.extend([r["kind"], r["text"], r["canonical"], r["method"]] for r in shown)
        render.print_table(["kind", "as typed", "resolved to", "how"], rows,
                           empty="(no free text needed resolving)")
        self.console.print("Try your own: `mentorctl resolve occupation \"Sr. SWE\"`.")

    def show_suggestions(self) -> str | None:
        """Suggestions for the mentee whose best mentor shares the most with them."""
        from mentorctl import render
        from mentorctl.assign import mentees_to_match
        from mentorctl.match import load_program, suggest

        program = load_program(self.store, self.settings)
        best = None
        for i in mentees_to_match(program):
            result = suggest(program, program.ids[i], 3)
            if result.suggestions:
                key = (len(result.suggestions[0].shared), result.suggestions[0].score)
                if best is None or key > best[0]:
                    best = (key, result)
        self.heading("Suggested mentors for one mentee")
        if best is None:
            self.console.print("No mentee has an eligible mentor.")
            return None
        result = best[1]
        name = program.names[program.index[result.mentee]]
        render.print_table(
            ["rank", "mentor", "score", "what they share"],
            ([str(rank), f"{s.name} ({s.mentor})", f"{s.score:.1f}",
              "; ".join(p.text for p in s.shared) or "-"]
             for rank, s in enumerate(result.suggestions, 1)),
            title=f"Mentors for {name} ({result.mentee})")
        return result.mentee

    def auto_pair(self) -> list[dict]:
        from mentorctl import render
        from mentorctl.assign import plan_assignment
        from mentorctl.lifecycle import create_pairings
        from mentorctl.match import load_program

        self.heading("Pair the whole program at once")
        program = load_program(self.store, self.settings)
        plan = plan_assignment(program)
        create_pairings(self.store, plan, max_open_per_mentee=int(
            self.settings.rules["max_open_pairings_per_mentee"]))
        pairings = self.store.query("SELECT id, mentee_id, mentor_id, score FROM pairings "
                                    "ORDER BY id")
        self.console.print(
            f"The optimal assignment proposed {len(plan.pairs)} pairs (total score "
            f"{plan.total_score:g}, solver {plan.solver}); {len(plan.unmatched)} mentees are "
            "left unmatched.")
        top = sorted(plan.pairs, key=lambda p: (-p.score, p.mentee))[:5]
        render.print_table(
            ["mentee", "mentor", "score", "what they share"],
            ([p.mentee, p.mentor, f"{p.score:.1f}", "; ".join(s.text for s in p.shared) or "-"]
             for p in top),
            title="The five best-scoring pairs")
        if plan.unmatched:
            render.print_table(["mentee", "why unmatched"],
                               ([u.mentee, u.reason] for u in plan.unmatched[:5]),
                               title="Unmatched")
        return pairings

    @staticmethod
    def pick_pairing(pairings: list[dict], mentee: str | None) -> int:
        for pairing in pairings:
            if pairing["mentee_id"] == mentee:
                return pairing["id"]
        return max(pairings, key=lambda p: (p["score"] or 0, -p["id"]))["id"]

    def show_intro(self, pairing_id: int) -> None:
        from mentorctl.intro import build_intro
        from mentorctl.match import load_program

        pair = self._pairing(pairing_id)
        self.heading(f"The introduction for pairing #{pairing_id}")
        intro = build_intro(load_program(self.store, self.settings), pair["mentee_id"],
                            pair["mentor_id"])
        self.console.print(f"To: {', '.join(intro.to)}\nSubject: {intro.subject}\n",
                           markup=False, highlight=False)
        self.console.print(intro.body.rstrip(), markup=False, highlight=False)

    def walk_lifecycle(self, pairing_id: int) -> None:
        from mentorctl import lifecycle, render
        from mentorctl.members import promote_member

        pair = self._pairing(pairing_id)
        self.heading(f"Follow pairing #{pairing_id} from introduction to completion")
        lifecycle.introduce(self.store, pairing_id, note="intro email sent")
        lifecycle.start(self.store, pairing_id, note="first call booked")
        lifecycle.checkin(self.store, pairing_id, note="first meeting: goals agreed")
        lifecycle.complete(self.store, pairing_id, note="goals met")
        promoted = promote_member(self.store, pair["mentee_id"])
        history = self.store.query(
            "SELECT kind, old_state, new_state, note FROM events "
            "WHERE pairing_id = ? OR (member_id = ? AND kind = 'promote') ORDER BY id",
            (pairing_id, pair["mentee_id"]))
        render.print_table(
            ["step", "state", "note"],
            ([_step(e), e["new_state"] or "", e["note"] or ""] for e in history),
            title=f"{pair['mentee_id']} with {pair['mentor_id']}")
        self.console.print(f"{promoted.name} completed the program and was promoted: they can "
                           f"now mentor others (role {promoted.role}).", markup=False)

    def show_report(self) -> None:
        from mentorctl.cli_report import print_report
        from mentorctl.report import program_report

        self.heading("The program at a glance (`mentorctl report`)")
        print_report(program_report(self.store,
                                    stale_days=int(self.settings.rules["stale_days"])))

    def next_steps(self, pairing_id: int | None) -> None:
        db = shlex.quote(str(self.store.path))
        waiting = self.store.query(
            "SELECT id, mentee_id FROM pairings WHERE status = 'proposed' ORDER BY score DESC, id "
            "LIMIT 1")
        commands = ["member list", "report", "export pairings -o pairings.csv",
                    "guidelines mentee"]
        if pairing_id is not None:
            commands[1:1] = ["pairing list", f"pairing show {pairing_id}"]
        if waiting:
            commands[1:1] = [f"suggest --mentee {waiting[0]['mentee_id']}",
                             f"pairing introduce {waiting[0]['id']}"]
        self.heading("Next")
        self.console.print(f"The demo database is {self.store.path}", markup=False)
        self.console.print("Explore it with these commands (your own program's database and "
                           "settings were not touched):", markup=False)
        for command in commands:
            self.console.print(f"  mentorctl --db {db} {command}", markup=False, highlight=False)
        self.console.print("Start your own program with `mentorctl import FILE`; delete the demo "
                           "folder when you are done.", markup=False)

    def _pairing(self, pairing_id: int) -> dict:
        return self.store.query("SELECT * FROM pairings WHERE id = ?", (pairing_id,))[0]


def _step(event: dict) -> str:
    if event["kind"] == "checkin":
        return "check-in"
    if event["kind"] == "promote":
        return "promoted to mentor"
    return f"{event['old_state']} -> {event['new_state']}" if event["old_state"] else "proposed"
