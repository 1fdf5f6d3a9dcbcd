"""A small real SMTP server for tests: it speaks enough of RFC 5321 for Django's SMTP
backend (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and keeps what it was given.

Python 3.12 dropped ``smtpd`` and aiosmtpd is not a dependency; this is a few lines of
``socketserver`` listening on a free loopback port.
"""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)


@dataclass
class Mailbox:
    received: list[Received] = field(default_factory=list)
    port: int = 0


class SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 localhost test SMTP server ready")
        sender, recipients = "", []
        while line := self.rfile.readline():
            verb, _, argument = line.decode("ascii", "replace").strip().partition(" ")
            verb = verb.upper()
            if verb == "EHLO":
                self.reply("250-localhost")
                self.reply("250 8BITMIME")
            elif verb == "HELO" or verb in {"NOOP", "RSET"}:
                sender, recipients = ("", []) if verb == "RSET" else (sender, recipients)
                self.reply("250 OK")
            elif verb == "MAIL":
                sender, recipients = argument.partition(":")[2].strip(" <>"), []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(argument.partition(":")[2].strip(" <>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                self.server.mailbox.received.append(Received(sender, recipients, self.data()))
                self.reply("250 OK: queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")

    def data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) not in {b".\r\n", b".\n", b""}:
            lines.append(line[1:] if line.startswith(b"..") else line)  # dot-stuffing
        return b"".join(lines)


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    """A listening SMTP server on 127.0.0.1; its mailbox says where and what it received."""
    mailbox = Mailbox()
    with Server(("127.0.0.1", 0), SMTPHandler) as server:
        server.mailbox = mailbox
        mailbox.port = server.server_address[1]
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield mailbox
        finally:
            server.shutdown()
            thread.join(timeout=5)
