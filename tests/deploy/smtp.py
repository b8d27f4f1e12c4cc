"""A real SMTP server (aiosmtpd) that keeps what it receives, to be stopped and started."""

from __future__ import annotations

import email
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


class _Keep:
    """aiosmtpd handler: keep every message, accept it."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.original_content))
        return "250 Message accepted for delivery"


class MailServer:
    """The mail server of the tests: down until started, and again after stop()."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.handler = _Keep()
        self.controller: Controller | None = None

    @property
    def messages(self) -> list[Message]:
        return self.handler.messages

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
