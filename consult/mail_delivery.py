"""Outgoing mail: SMTP when configured, otherwise .eml files in an outbox folder admins can read."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app

from consult.db import utcnow


def send(to: str, subject: str, body: str) -> None:
    """Send a plain-text email; headers are set through EmailMessage, which refuses CR/LF injection."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="consult.invalid")
    message.set_content(body)
    if config["MAIL_SERVER"]:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
        return
    outbox = Path(config["MAIL_OUTBOX"])
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    (outbox / f"{stamp}.eml").write_bytes(bytes(message))


def outbox_messages(limit: int = 100) -> list[EmailMessage]:
    """The newest messages in the outbox (development and testing only)."""
    from email import message_from_bytes, policy

    outbox = Path(current_app.config["MAIL_OUTBOX"])
    if not outbox.is_dir():
        return []
    files = sorted(outbox.glob("*.eml"), reverse=True)[:limit]
    return [message_from_bytes(path.read_bytes(), policy=policy.default) for path in files]
