"""Sending intros and check-ins by SMTP, against a real SMTP server the tests start on loopback
(aiosmtpd), and the .eml export."""

from __future__ import annotations

import email
import json
import socket
import sqlite3
from email import policy

import pytest
from aiosmtpd.controller import Controller

from .conftest import SAMPLE_CSV, SAMPLE_YAML


class Recorder:
    """An SMTP server's handler: keeps every message; refuses recipients with 'refuse' in them."""

    def __init__(self):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if "refuse" in address:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), msg))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(isolated):
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port())
    controller.start()
    (isolated / "mentorctl.yaml").write_text(
        "mail:\n  host: 127.0.0.1\n"
        f"  port: {controller.port}\n  security: none\n"
        '  sender: "Dana Lee <dana@example.org>"\n  rate_per_minute: 0\n'
        "intro:\n  coordinator: Dana Lee\n", encoding="utf-8")
    yield recorder, controller.port
    controller.stop()


@pytest.fixture
def paired(run):
    run("import", SAMPLE_CSV, SAMPLE_YAML)
    run("pair", "jasmine.wright", "karen.whitfield")
    run("pair", "amelia.hart", "ethan.brooks")
    return run


def _events(db_path, pairing_id: int) -> list[tuple[str, str | None, str | None]]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT kind, new_state, note FROM events WHERE pairing_id = ? "
                            "ORDER BY id", (pairing_id,)).fetchall()


def test_send_intros_delivers_marks_and_never_sends_twice(paired, smtp, db_path):
    recorder, _port = smtp
    report = paired.json("send", "intros", "--json")
    assert [m["pairing"] for m in report["sent"]] == [1, 2]
    assert len(recorder.messages) == 2
    rcpts, msg = recorder.messages[0]
    assert sorted(rcpts) == ["jasmine.wright@example.com", "karen.whitfield@example.com"]
    assert msg["From"] == "Dana Lee <dana@example.org>"
    assert msg["Reply-To"] == "Dana Lee <dana@example.org>"
    assert "Jasmine Wright <jasmine.wright@example.com>" in msg["To"]
    assert msg["Message-ID"] and msg["Date"] and msg["Subject"].startswith("Introduction:")
    plain = msg.get_body(preferencelist=("plain",)).get_content()
    html = msg.get_body(preferencelist=("html",)).get_content()
    assert "Hi Jasmine and Karen" in plain and "<p>Hi Jasmine and Karen" in html
    attachments = sorted(part.get_filename() for part in msg.iter_attachments())
    assert attachments == ["Guide for mentees.md", "Guide for mentors.md"]
    # Nothing a member receives mentions the tool.
    assert "mentorctl" not in msg.as_string().lower()
    shown = paired.json("pairing", "show", "1", "--json")
    assert shown["status"] == "introduced"
    assert msg["Message-ID"] in shown["history"][-1]["note"]
    # A second run finds nothing left to send.
    again = paired.json("send", "intros", "--json")
    assert again["sent"] == [] and len(recorder.messages) == 2


def test_dry_run_sends_and_marks_nothing(paired, smtp):
    recorder, _port = smtp
    report = paired.json("send", "intros", "--dry-run", "--json")
    assert len(report["sent"]) == 2 and report["dry_run"] is True
    assert recorder.messages == []
    assert {p["status"] for p in paired.json("pairing", "list", "--json")} == {"proposed"}


def test_a_refused_recipient_leaves_its_pairing_proposed(paired, smtp, db_path):
    recorder, _port = smtp
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE members SET email = 'refuse.me@example.com' WHERE id = "
                     "'ethan.brooks'")
    result = paired("send", "intros", "--json", code=1)  # exit 1: not everything went out
    again = paired("send", "intros", "--json", code=1)  # the refused one is still there to send
    report = json.loads(again.stdout)
    statuses = {p["id"]: p["status"] for p in paired.json("pairing", "list", "--json")}
    assert statuses == {1: "introduced", 2: "proposed"}
    assert "refused by the server" in result.stderr and "550" in result.stderr
    assert report["refused"][0]["pairing"] == 2


def test_an_unreachable_server_is_one_line_and_marks_nothing(paired, smtp):
    result = paired("send", "intros", "--smtp", f"127.0.0.1:{_free_port()}", code=1)
    assert result.stderr.startswith("Error: cannot reach the SMTP server 127.0.0.1:")
    assert "nothing was sent" in result.stderr and len(result.stderr.splitlines()) == 1
    assert {p["status"] for p in paired.json("pairing", "list", "--json")} == {"proposed"}


def test_a_login_without_a_password_is_refused_before_connecting(paired, smtp, isolated,
                                                                 monkeypatch):
    monkeypatch.delenv("MENTORCTL_SMTP_PASSWORD", raising=False)
    settings = isolated / "mentorctl.yaml"
    settings.write_text(settings.read_text() .replace("  security: none\n",
                                                      "  security: none\n  user: dana\n"))
    result = paired("send", "intros", code=2)
    assert "MENTORCTL_SMTP_PASSWORD" in result.stderr
    assert {p["status"] for p in paired.json("pairing", "list", "--json")} == {"proposed"}


def test_send_one_pairing_and_limit(paired, smtp):
    recorder, _port = smtp
    assert [m["pairing"] for m in paired.json("send", "intros", "--pairing", "2",
                                              "--json")["sent"]] == [2]
    assert [m["pairing"] for m in paired.json("send", "intros", "--limit", "5",
                                              "--json")["sent"]] == [1]
    assert len(recorder.messages) == 2


def test_send_checkins_to_stale_pairs_once_per_interval(paired, smtp, db_path, monkeypatch):
    recorder, _port = smtp
    paired("send", "intros")
    monkeypatch.setenv("MENTORCTL_NOW", "2099-01-01T00:00:00Z")
    report = paired.json("send", "checkins", "--json")
    assert [m["pairing"] for m in report["sent"]] == [1, 2]
    rcpts, msg = recorder.messages[-1]
    assert msg["Subject"] == "How is it going, Amelia and Ethan?"
    assert "mentorctl" not in msg.as_string().lower()
    assert _events(db_path, 1)[-1][0] == "reminder"
    again = paired.json("send", "checkins", "--json")
    assert again["sent"] == [] and len(again["skipped"]) == 2
    # A reminder is no sign of life: the pair is still stale.
    assert len(paired.json("pairing", "stale", "--json")) == 2


def test_export_intros_as_eml_files(paired, smtp, tmp_path):
    folder = tmp_path / "eml"
    result = paired("export", "intros", "--format", "eml", "-o", folder)
    assert "Wrote 2 intros" in result.stderr
    files = sorted(folder.iterdir())
    assert [f.name for f in files] == ["intro-000001-jasmine.wright.eml",
                                       "intro-000002-amelia.hart.eml"]
    assert all(f.stat().st_mode & 0o777 == 0o600 for f in files)
    msg = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert msg["Subject"].startswith("Introduction: Jasmine Wright")
    assert paired("export", "intros", "--format", "eml", "-o", folder, code=1).exit_code == 1


def test_export_intros_defaults_to_proposed_and_takes_statuses(paired, smtp):
    paired("pairing", "introduce", "1")
    proposed = paired.json("export", "intros", "--json")
    assert [r["pairing_id"] for r in proposed] == [2]
    both = paired.json("export", "intros", "--status", "proposed", "--status", "introduced",
                       "--json")
    assert [r["pairing_id"] for r in both] == [1, 2]


def test_export_eml_reports_a_pair_it_cannot_address(paired, smtp, tmp_path, db_path):
    from mentorctl import api

    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE members SET email = NULL WHERE id = 'ethan.brooks'")
    written = api.export_eml(tmp_path / "out", db=db_path)
    assert written.files == ("intro-000001-jasmine.wright.eml",)
    assert written.skipped == ((2, "no email address for ethan.brooks"),)
    result = paired("export", "intros", "--format", "eml", "-o", tmp_path / "cli")
    assert "Pairing 2: skipped: no email address for ethan.brooks" in result.stderr
    assert "Wrote 1 intro to" in result.stderr


def test_no_intro_for_a_pair_without_a_shared_language_unless_paired_by_hand(run, smtp,
                                                                              tmp_path):
    # Issue 15: a pair who share no language is not introduced automatically, and the
    # coordinator is told why; pairing them by hand is the way to introduce them anyway.
    recorder, _port = smtp
    path = tmp_path / "lang.csv"
    path.write_text("id,name,email,role,languages,capacity,occupation\n"
                    "ana,Ana Ruiz,ana@example.org,mentee,Spanish,,Registered Nurse\n"
                    "ben,Ben Ode,ben@example.org,mentor,English,1,Registered Nurse\n"
                    "cy,Cy Lam,cy@example.org,mentee,French,,Registered Nurse\n"
                    "di,Di Ko,di@example.org,mentor,German,1,Registered Nurse\n",
                    encoding="utf-8")
    run("import", path)
    run("pair", "cy", "di")  # by hand: #1
    run("pair", "--auto")  # ana with ben: #2
    pairs = {p["id"]: (p["mentee"], p["mentor"]) for p in run.json("pairing", "list", "--json")}
    assert pairs == {1: ("cy", "di"), 2: ("ana", "ben")}
    assert [r["pairing_id"] for r in run.json("export", "intros", "--json")] == [1]
    result = run("send", "intros", "--json")
    report = json.loads(result.stdout)
    assert [m["pairing"] for m in report["sent"]] == [1]
    assert report["skipped"] == [{"pairing": 2, "reason": (
        "they share no language: no introduction unless you pair them by hand "
        "(`mentorctl pair`)")}]
    assert len(recorder.messages) == 1


def _server(handler, **smtp_options) -> Controller:
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port(), **smtp_options)
    controller.start()
    return controller


def test_a_refused_login_is_one_line_and_marks_nothing(paired, smtp, isolated, monkeypatch):
    from aiosmtpd.smtp import AuthResult

    def authenticator(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=auth_data.password == b"right", handled=False)

    controller = _server(Recorder(), authenticator=authenticator, auth_require_tls=False)
    try:
        settings = isolated / "mentorctl.yaml"
        settings.write_text(settings.read_text().replace(
            "  security: none\n", "  security: none\n  user: dana\n"), encoding="utf-8")
        monkeypatch.setenv("MENTORCTL_SMTP_PASSWORD", "wrong")
        result = paired("send", "intros", "--smtp", f"127.0.0.1:{controller.port}", code=1)
        assert "refused the login of 'dana'" in result.stderr and "wrong" not in result.stderr
        assert len(result.stderr.splitlines()) == 1
        assert {p["status"] for p in paired.json("pairing", "list", "--json")} == {"proposed"}
        monkeypatch.setenv("MENTORCTL_SMTP_PASSWORD", "right")
        sent = paired.json("send", "intros", "--smtp", f"127.0.0.1:{controller.port}", "--json")
        assert len(sent["sent"]) == 2
    finally:
        controller.stop()


class DropsSecond(Recorder):
    """Accepts the first message, then drops the connection in the middle of the second."""

    async def handle_DATA(self, server, session, envelope):
        if self.messages:
            server.transport.close()
            return "421 closing"
        return await super().handle_DATA(server, session, envelope)


def test_a_server_that_goes_away_half_way_leaves_the_sent_marked(paired, smtp):
    handler = DropsSecond()
    controller = _server(handler)
    try:
        result = paired("send", "intros", "--smtp", f"127.0.0.1:{controller.port}", code=1)
        assert result.stderr.startswith("Error: the SMTP server stopped answering after 1 of 2")
        assert len(result.stderr.splitlines()) == 1
        statuses = {p["id"]: p["status"] for p in paired.json("pairing", "list", "--json")}
        assert statuses == {1: "introduced", 2: "proposed"} and len(handler.messages) == 1
    finally:
        controller.stop()
    recorder, _port = smtp  # the usual server: the rest goes out, the first not again
    again = paired.json("send", "intros", "--json")
    assert [m["pairing"] for m in again["sent"]] == [2] and len(recorder.messages) == 1
