"""Sending introductions and check-in reminders, and marking what was sent.

Each pairing's message is sent on its own; the moment the server accepts it, the pairing is
marked in a write transaction of its own (introduced, with the Message-ID in its history; or a
reminder event for a check-in). A failure half-way leaves the sent ones marked and the rest as
they were, so running the command again sends only what is left: never twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from email.utils import parseaddr

from mentorctl import mail
from mentorctl.errors import MailInterrupted
from mentorctl.model import OPEN_STATES, EmlExport, SendReport, SentMessage
from mentorctl.store import Store, now_iso, parse_time

Progress = Callable[[int, int], None] | None


def _guides() -> list[tuple[str, str]]:
    from mentorctl.report import guideline

    return [(filename, guideline(audience)) for audience, filename in mail.GUIDES]


def _recipients(*people) -> tuple[list[tuple[str, str]], str | None]:
    """[(name, address)] of the people, or why one of them cannot be written to."""
    out = []
    for person in people:
        if not person.get("email") or "@" not in parseaddr(person["email"])[1]:
            return [], f"no email address for {person['id']}"
        out.append((person["name"], person["email"]))
    return out, None


def _addressable(intros, skipped: list):
    """(intro, recipients) of each intro that can be sent; the others go to `skipped` with why
    (withheld for want of a shared language, or an address missing)."""
    for item in intros:
        to, problem = (None, item.withheld) if item.withheld else \
            _recipients(item.mentee, item.mentor)
        if problem:
            skipped.append((item.pairing_id, problem))
        else:
            yield item, to


def send_intros(store: Store, settings, *, smtp: str | None, sender: str | None, dry_run: bool,
                limit: int | None, pairing_ids: list[int] | None,
                on_progress: Progress = None) -> SendReport:
    """Email each proposed pairing's introduction to both people; mark each introduced."""
    from mentorctl.intro import pairing_intros
    from mentorctl.lifecycle import transition

    outgoing, skipped = [], []
    intros = pairing_intros(store.conn, settings.intro, ("proposed",), pairing_ids,
                            with_withheld=True)
    for item, to in _addressable(intros, skipped):
        outgoing.append((item.pairing_id, to, item.intro))
        if limit is not None and len(outgoing) >= limit:
            break
    if pairing_ids:
        found = {p for p, *_ in outgoing} | {p for p, _ in skipped}
        skipped += [(p, "not a proposed pairing (already introduced, or closed)")
                    for p in pairing_ids if p not in found]
    if dry_run:
        return SendReport(tuple(SentMessage(p, tuple(a for _, a in to), intro.subject, None)
                                for p, to, intro in outgoing), (), tuple(skipped), True)
    guides = _guides()

    def mark(pairing_id: int, message_id: str) -> None:
        transition(store, pairing_id, "introduce",
                   note=f"intro sent by email (Message-ID {message_id})")

    return _deliver(settings.mail, smtp, sender, [
        (pairing_id, to, intro.subject, intro.body, guides) for pairing_id, to, intro in outgoing],
        mark, skipped, on_progress)


def send_checkins(store: Store, settings, *, smtp: str | None, sender: str | None,
                  dry_run: bool, limit: int | None, pairing_ids: list[int] | None,
                  days: int | None, on_progress: Progress = None) -> SendReport:
    """Email the pairs `pairing stale` lists as idle or paused too long (or the given open
    pairings) asking how it is going; record a reminder in each pairing's history, and send none
    to a pair reminded within mail.checkin_interval_days."""
    from mentorctl.intro import _first, render_template
    from mentorctl.lifecycle import get_pairing, record_reminder
    from mentorctl.terms import stale_pairings

    if pairing_ids:
        pairings = [get_pairing(store, p) for p in pairing_ids]
    else:
        # The quiet ones, paused ones included; a pair only past its term has been heard from.
        pairings = [s.pairing for s in stale_pairings(
            store, days if days is not None else settings.rules.stale_days,
            paused_days=settings.rules.paused_idle_days)]
    since = (parse_time(now_iso()) - timedelta(days=settings.mail.checkin_interval_days)
             ).strftime("%Y-%m-%dT%H:%M:%SZ")
    outgoing, skipped = [], []
    for pairing in pairings:
        if pairing.status not in OPEN_STATES:
            skipped.append((pairing.id, f"{pairing.status}: not an open pairing"))
            continue
        last = store.scalar("SELECT max(at) FROM events WHERE pairing_id = ? AND kind = "
                            "'reminder'", (pairing.id,))
        if last and last >= since:
            skipped.append((pairing.id, f"reminded on {last[:10]}; the next after "
                                        f"{settings.mail.checkin_interval_days} days"))
            continue
        people = [dict(r) for r in store.conn.execute(
            "SELECT id, name, email FROM members WHERE id IN (?, ?)",
            (pairing.mentee_id, pairing.mentor_id))]
        people.sort(key=lambda r: r["id"] != pairing.mentee_id)
        to, problem = _recipients(*people)
        if problem:
            skipped.append((pairing.id, problem))
            continue
        fields = {"mentee_first": _first(people[0]["name"]),
                  "mentor_first": _first(people[1]["name"]),
                  "coordinator": settings.intro.coordinator}
        subject = render_template(settings.mail.checkin_subject, fields, "mail.checkin_subject")
        body = render_template(settings.mail.checkin_template, fields, "mail.checkin_template")
        outgoing.append((pairing.id, to, subject, body))
        if limit is not None and len(outgoing) >= limit:
            break
    if dry_run:
        return SendReport(tuple(SentMessage(p, tuple(a for _, a in to), subject, None)
                                for p, to, subject, _ in outgoing), (), tuple(skipped), True)

    def mark(pairing_id: int, message_id: str) -> None:
        record_reminder(store, pairing_id,
                        f"check-in reminder sent by email (Message-ID {message_id})")

    return _deliver(settings.mail, smtp, sender, [
        (pairing_id, to, subject, body, []) for pairing_id, to, subject, body in outgoing],
        mark, skipped, on_progress)


def _deliver(settings, smtp: str | None, sender: str | None, outgoing: list,
             mark: Callable[[int, str], None], skipped: list,
             on_progress: Progress) -> SendReport:
    """Send each (pairing id, to, subject, body, attachments) and mark it the moment the server
    accepts it. The server and sender are checked before anything is sent."""
    where = mail.server(settings, smtp)
    from_address = mail.sender_address(settings, sender)
    sent, refused = [], []
    if not outgoing:
        return SendReport((), (), tuple(skipped), False)
    with mail.Mailer(where) as mailer:
        for count, (pairing_id, to, subject, body, attachments) in enumerate(outgoing):
            if count:
                _pace(settings.rate_per_minute)
            msg = mail.message(sender=from_address, to=to, subject=subject, body=body,
                               reply_to=settings.reply_to, cc=settings.cc,
                               attachments=attachments)
            try:
                problems = mailer.send(msg)
            except MailInterrupted as exc:
                raise MailInterrupted(
                    f"the SMTP server stopped answering after {len(sent)} of {len(outgoing)} "
                    f"messages ({exc}); those {len(sent)} are marked, the rest are not: run the "
                    "same command again to send the rest") from None
            if problems:
                refused.append((pairing_id, "; ".join(f"{a}: {r}" for a, r in problems.items())))
                continue
            mark(pairing_id, msg["Message-ID"])
            sent.append(SentMessage(pairing_id, tuple(a for _, a in to), subject,
                                    msg["Message-ID"]))
            if on_progress:
                on_progress(count + 1, len(outgoing))
    return SendReport(tuple(sent), tuple(refused), tuple(skipped), False)


def _pace(rate_per_minute: int) -> None:
    """Wait between two messages so that no more than `rate_per_minute` go out a minute."""
    if rate_per_minute > 0:
        time.sleep(60.0 / rate_per_minute)


def write_eml(store: Store, settings, folder, statuses, sender: str | None) -> EmlExport:
    """Each intro of a pairing in `statuses` as an .eml file in `folder` (new or empty),
    written private (0600); a pair without an email address is reported, not written."""
    import os

    from mentorctl.errors import InvalidInput
    from mentorctl.intro import pairing_intros

    from_address = mail.sender_address(settings.mail, sender)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InvalidInput(f"{folder}: give a new or empty folder for the .eml files")
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"{folder}: cannot create the folder: {exc.strerror}") from None
    guides = _guides()
    files, skipped = [], []
    intros = pairing_intros(store.conn, settings.intro, statuses, with_withheld=True)
    for item, to in _addressable(intros, skipped):
        msg = mail.message(sender=from_address, to=to, subject=item.intro.subject,
                           body=item.intro.body, reply_to=settings.mail.reply_to,
                           cc=settings.mail.cc, attachments=guides)
        path = folder / f"intro-{item.pairing_id:06d}-{item.mentee['id']}.eml"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as stream:
            stream.write(bytes(msg))
        files.append(path.name)
    return EmlExport(str(folder), tuple(files), tuple(skipped))
