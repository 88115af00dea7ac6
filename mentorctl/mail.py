"""Email for the people of a program: introductions and check-in reminders, written as messages
(plain text with an HTML alternative, the guides attached) and sent by SMTP.

Python's own `email.message` builds the messages (UTF-8 names and text, a Message-ID, a Date) and
`smtplib` sends them, with STARTTLS, implicit TLS or neither, and a login when a user is set. The
password is read from $MENTORCTL_SMTP_PASSWORD and nowhere else; it is never stored or printed.
"""

from __future__ import annotations

import html
import os
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid, parseaddr

from mentorctl.errors import InvalidInput, MailInterrupted, MentorctlError, UsageError

PASSWORD_ENV = "MENTORCTL_SMTP_PASSWORD"
TIMEOUT_S = 30
GUIDES = (("mentee", "Guide for mentees.md"), ("mentor", "Guide for mentors.md"))


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    security: str  # starttls, tls or none
    user: str | None


def server(mail, smtp: str | None) -> Server:
    """The SMTP server from the settings, or from `--smtp HOST:PORT`."""
    host, port = mail.host, mail.port
    if smtp:
        host, sep, port_text = smtp.rpartition(":")
        if not sep or not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise UsageError(f"--smtp {smtp!r}: write it as HOST:PORT, e.g. smtp.example.org:587")
        port = int(port_text)
    return Server(host, port, mail.security, mail.user)


def sender_address(mail, sender: str | None) -> str:
    """The From address: `--from`, else `mail.sender` in the settings."""
    address = sender or mail.sender
    if not address:
        raise UsageError("no sender: set mail.sender in the settings file, or give --from ADDR")
    if "@" not in parseaddr(address)[1]:
        raise InvalidInput(f"{address!r} is not an email address to send from")
    return address


def _html(body: str) -> str:
    """The plain-text body as simple HTML: paragraphs, and '- ' lines as a list."""
    blocks = []
    for block in body.strip().split("\n\n"):
        lines = block.splitlines()
        if lines and all(line.startswith("- ") for line in lines[1:]) and len(lines) > 1:
            items = "".join(f"<li>{html.escape(line[2:])}</li>" for line in lines[1:])
            blocks.append(f"<p>{html.escape(lines[0])}</p><ul>{items}</ul>")
        else:
            blocks.append("<p>" + "<br>".join(html.escape(line) for line in lines) + "</p>")
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>"
            + "".join(blocks) + "</body></html>")


def message(*, sender: str, to: list[tuple[str, str]], subject: str, body: str,
            reply_to: str | None = None, cc: str | None = None,
            attachments: list[tuple[str, str]] = ()) -> EmailMessage:
    """One email: to [(name, address)], plain text and HTML, attachments [(filename, text)]."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or None
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = ", ".join(formataddr((name, address)) for name, address in to)
    if cc:
        msg["Cc"] = cc
    msg["Reply-To"] = reply_to or sender
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = make_msgid(domain=domain)
    msg.set_content(body)
    msg.add_alternative(_html(body), subtype="html")
    for filename, text in attachments:
        msg.add_attachment(text, subtype="markdown", filename=filename)
    return msg


class Mailer:
    """One SMTP session: connected and logged in on entry, closed on exit. Every failure to
    reach or log in to the server is one MentorctlError line, raised before anything is sent."""

    def __init__(self, where: Server):
        self.where = where
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        w = self.where
        try:
            if w.security == "tls":
                self.smtp = smtplib.SMTP_SSL(w.host, w.port, timeout=TIMEOUT_S,
                                             context=ssl.create_default_context())
            else:
                self.smtp = smtplib.SMTP(w.host, w.port, timeout=TIMEOUT_S)
                if w.security == "starttls":
                    self.smtp.starttls(context=ssl.create_default_context())
            if w.user:
                password = os.environ.get(PASSWORD_ENV)
                if not password:
                    raise UsageError(f"mail.user is {w.user!r} but ${PASSWORD_ENV} is not set")
                self.smtp.login(w.user, password)
        except smtplib.SMTPAuthenticationError:
            self._close()
            raise MentorctlError(f"{w.host}:{w.port} refused the login of {w.user!r}; check "
                                 f"mail.user and ${PASSWORD_ENV} (nothing was sent)") from None
        except smtplib.SMTPNotSupportedError:
            self._close()
            raise MentorctlError(f"{w.host}:{w.port} does not offer STARTTLS; set "
                                 "mail.security to tls or none (nothing was sent)") from None
        except (OSError, smtplib.SMTPException, ssl.SSLError) as exc:
            self._close()
            raise MentorctlError(f"cannot reach the SMTP server {w.host}:{w.port}: "
                                 f"{_why(exc)} (nothing was sent)") from None
        return self

    def send(self, msg: EmailMessage) -> dict[str, str]:
        """Send; the recipients the server refused (address -> reason), empty when all were
        accepted. A refusal of every recipient is returned the same way, not raised."""
        try:
            refused = self.smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            refused = exc.recipients
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            return {"*": _why(exc)}
        except (OSError, smtplib.SMTPException) as exc:  # the connection is gone
            self.smtp = None
            raise MailInterrupted(f"{self.where.host}:{self.where.port}: {_why(exc)}") from None
        return {address: _why(reason) for address, reason in refused.items()}

    def _close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None

    def __exit__(self, *exc_info) -> None:
        self._close()


def _why(reason) -> str:
    if isinstance(reason, tuple) and len(reason) == 2:  # (code, b"message")
        code, text = reason
        text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        return f"{code} {text}".strip()
    if isinstance(reason, smtplib.SMTPResponseException):
        return _why((reason.smtp_code, reason.smtp_error))
    if isinstance(reason, socket.timeout):
        return "timed out"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or reason.__class__.__name__
