"""Suggestions, introductions and pairing: one pair by hand, or the whole program."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mentorctl.api.common import PathLike, Progress, Stage, opened_store, settings_in_force
from mentorctl.errors import UsageError

if TYPE_CHECKING:
    from mentorctl.config import Settings
    from mentorctl.model import (
        AutoPairResult,
        Intro,
        PairResult,
        Plan,
        SuggestResult,
    )




def program_and_texts(store, settings: Settings):
    """The program's arrays and the lookups that word shared points, read through `store`."""
    from mentorctl.normalize import resolutions_in_force
    from mentorctl.program import MemberTexts, load_program

    lookup = resolutions_in_force(store, settings.aliases)
    program = load_program(store, settings, lookup)
    return program, MemberTexts(store, program.ids, lookup)


def suggest(mentee: str, *, limit: int = 5, db: PathLike | None = None,
            settings: Settings | None = None) -> SuggestResult:
    """The best mentors for a mentee, best first, with what they share; writes nothing."""
    from mentorctl.match import suggest as rank
    from mentorctl.members import find_member

    program_settings = settings_in_force(db, settings)
    with opened_store(db) as store:
        member = find_member(store, mentee)
        program, texts = program_and_texts(store, program_settings)
        return rank(program, texts, member.id, limit)


def suggest_all(*, limit: int = 5, unmatched: bool = False, db: PathLike | None = None,
                settings: Settings | None = None) -> list[SuggestResult]:
    """Suggestions for every mentee (with `unmatched`, only those `pair --auto` would pair)."""
    from mentorctl.assign import mentees_to_match
    from mentorctl.match import suggest as rank

    program_settings = settings_in_force(db, settings)
    with opened_store(db) as store:
        program, texts = program_and_texts(store, program_settings)
        chosen = mentees_to_match(program) if unmatched else \
            [i for i in range(program.size) if program.role_mentee[i]]
        return [rank(program, texts, program.ids[i], limit) for i in chosen]


def intro(mentee: str, mentor: str, *, db: PathLike | None = None,
          settings: Settings | None = None) -> Intro:
    """The introduction email for a mentee and a mentor, from the program's template."""
    from mentorctl.intro import build_intro
    from mentorctl.members import find_member

    program_settings = settings_in_force(db, settings)
    with opened_store(db) as store:
        mentee_id, mentor_id = find_member(store, mentee).id, find_member(store, mentor).id
        program, texts = program_and_texts(store, program_settings)
        return build_intro(program, texts, mentee_id, mentor_id)


def pair(mentee: str, mentor: str, *, note: str | None = None, dry_run: bool = False,
         db: PathLike | None = None, settings: Settings | None = None) -> PairResult:
    """Propose one pairing by hand, every rule checked inside its write transaction."""
    from mentorctl.errors import Conflict
    from mentorctl.lifecycle import check_pair_allowed, create_pairings
    from mentorctl.match import score_pair
    from mentorctl.members import find_member
    from mentorctl.model import PairResult
    from mentorctl.normalize import refresh_resolutions

    program_settings = settings_in_force(db, settings)
    with opened_store(db) as store:
        transaction = store.read() if dry_run else store.write()
        with transaction:
            mentee_member, mentor_member = find_member(store, mentee), find_member(store, mentor)
            reason = check_pair_allowed(store, mentee_member.id, mentor_member.id,
                                        program_settings.rules)
            if reason:  # refused before the scoring work
                raise Conflict(f"cannot pair {mentee_member.id} with {mentor_member.id}: {reason}")
            if not dry_run:
                refresh_resolutions(store, program_settings.aliases)
            program, texts = program_and_texts(store, program_settings)
            scored = score_pair(program, texts, mentee_member.id, mentor_member.id)
            pairing = None
            if not dry_run:
                [pairing] = create_pairings(
                    store, [{"mentee_id": mentee_member.id, "mentor_id": mentor_member.id,
                             "score": scored.score, "shared": scored.shared}],
                    program_settings.rules, note=note, by_hand=True)
        return PairResult(mentee_member, mentor_member, scored.score, scored.shared, pairing)


def plan(*, min_score: float = 0.0, certify: bool = False, db: PathLike | None = None,
         settings: Settings | None = None, on_progress: Progress = None,
         on_stage: Stage = None) -> Plan:
    """The whole-program assignment that `pair_auto` would write; writes nothing."""
    return pair_auto(min_score=min_score, certify=certify, dry_run=True, db=db,
                     settings=settings, on_progress=on_progress, on_stage=on_stage).plan


def pair_auto(*, min_score: float = 0.0, note: str | None = None, dry_run: bool = False,
              certify: bool = False, db: PathLike | None = None,
              settings: Settings | None = None, on_progress: Progress = None,
              on_stage: Stage = None) -> AutoPairResult:
    """Pair the whole program at once: the best total score within every mentor's capacity.

    The plan carries its `optimality`: a proven upper bound on the best total, the gap to it,
    and whether it is certified optimal. With `certify`, pricing runs until the bound is proven
    however long it takes. `on_stage(name)` is called as each stage starts (scoring, solving,
    pricing); `on_progress(done, total)` counts within a stage.

    Planned and written in one write transaction, so a concurrent `pair` waits and then sees
    these pairings; with `dry_run`, planned from a consistent read and nothing is written.
    """
    import contextlib

    from mentorctl.api.roster import backup_before
    from mentorctl.assign import plan_assignment
    from mentorctl.lifecycle import create_pairings
    from mentorctl.model import AutoPairResult
    from mentorctl.normalize import refresh_resolutions

    if not 0 <= min_score <= 100:  # also refuses nan
        raise UsageError(f"--min-score {min_score}: give a score from 0 to 100")
    program_settings = settings_in_force(db, settings)
    with opened_store(db) as store, (
            contextlib.nullcontext() if dry_run
            else backup_before(store, "pair --auto", program_settings)):
        transaction = store.read() if dry_run else store.write()
        with transaction:
            if not dry_run:
                refresh_resolutions(store, program_settings.aliases)
            program, texts = program_and_texts(store, program_settings)
            planned = plan_assignment(program, texts, min_score=min_score,
                                      on_progress=on_progress, certify=certify,
                                      on_stage=on_stage)
            created = [] if dry_run or not planned.pairs else create_pairings(
                store, planned.pairs, program_settings.rules, note=note)
    return AutoPairResult(planned, tuple(created), dry_run)
