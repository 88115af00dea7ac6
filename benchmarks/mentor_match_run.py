"""mentor-match 7.0.1's whole run on a folder of mentors.csv and mentees.csv (for the comparison).

    /path/to/venv-mm/bin/python benchmarks/mentor_match_run.py FOLDER

Run with the Python of a virtualenv that has `mentor-match==7.0.1` (its package is `matching`);
it never imports mentorctl. The package's own entry point, `python -m matching FOLDER`, calls
`conduct_matching_from_file(path)` without the `rules` argument that 7.0.1 requires and so stops
with a TypeError; this script does what that entry point means to do, with rules passed:
`matching.process.conduct_matching_from_file(FOLDER, rules)` reads FOLDER/mentors.csv and
FOLDER/mentees.csv (columns `first name`, `last name`, `email`, `role`, `organisation`,
`grade` (an integer), `profession`; other columns are ignored by its Person), scores every
mentor x mentee pair with the rules and assigns each round with munkres (the Hungarian
algorithm); then `create_mailing_list` writes FOLDER/output/mentors-list.csv and mentees-list.csv.

The rules follow the mentor-match web app's (jonodrew/mentor-match, app/tasks/tasks.py): three
rounds, grade difference 1 or 2 rewarded (10 and 7 points), same profession 8 points, an
unmatched bonus of 10**round. Added so that both tools solve the same problem: a mentee gets one
mentor, a mentor at most their "Max mentees" (the extra `capacity` column, read here, since
mentor-match's Person keeps no capacity), and members marked unavailable are left out, as
mentorctl does. The package adds its own two: a person is never matched with themself (same
email) nor twice with the same person.
"""

from __future__ import annotations

import csv
import operator
import sys
from pathlib import Path

from matching import process
from matching.rules import rule as rl


def side_table(folder: Path) -> tuple[dict[str, int], set[str]]:
    """Capacity by mentor email, and the emails of those unavailable (columns Person ignores)."""
    capacity: dict[str, int] = {}
    unavailable: set[str] = set()
    for name in ("mentors.csv", "mentees.csv"):
        with open(folder / name, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if name == "mentors.csv":
                    capacity[row["email"]] = int(row["capacity"])
                if row["available"] == "no":
                    unavailable.add(row["email"])
    return capacity, unavailable


def rules_for(capacity: dict[str, int], unavailable: set[str]) -> list[list[rl.RuleProtocol]]:
    rounds = []
    for i in range(3):
        rounds.append([
            rl.UnmatchedBonus(10 ** i),
            rl.Grade(1, operator.eq, {True: 10, False: 0}),
            rl.Grade(2, operator.eq, {True: 7, False: 0}),
            rl.Equivalent("profession", {True: 8, False: 0}),
            # Popped last to first: the disqualifications are checked before any score.
            rl.Disqualify(lambda m: m.mentor.email in unavailable or m.mentee.email in unavailable),
            rl.Disqualify(lambda m: len(m.mentee.mentors) >= 1),
            rl.Disqualify(lambda m: len(m.mentor.mentees) >= capacity[m.mentor.email]),
        ])
    return rounds


def main() -> int:
    folder = Path(sys.argv[1])
    capacity, unavailable = side_table(folder)
    mentors, mentees = process.conduct_matching_from_file(folder, rules_for(capacity, unavailable))
    out = folder / "output"
    process.create_mailing_list(mentors, out)
    process.create_mailing_list(mentees, out)
    pairs = sum(len(m.mentees) for m in mentors)
    print(f"{len(mentors)} mentors, {len(mentees)} mentees, {pairs} pairs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
