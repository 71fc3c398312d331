"""Outgoing mail: SMTP when configured, otherwise .eml files in an outbox folder admins can read.

`send` only queues the message (a job in huey's storage, which keeps it until a worker has sent it); callers
call it after their commit. The `deliver` job retries while the mail server is unreachable or answers with a
temporary (4xx) error, waiting longer each time (half the message's age, from 30 s up to an hour), so a mail
server fault delays mail and never loses it. A permanent refusal (5xx) fails the job, which admins see.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import time
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app
from huey.exceptions import RetryTask

from consult.db import utcnow
from consult.jobs.queue import enqueue, job

log = logging.getLogger(__name__)
MIN_RETRY_DELAY = 30.0  # seconds
MAX_RETRY_DELAY = 3600.0


def send(to: str, subject: str, body: str) -> None:
    """Queue a plain-text email; a worker delivers it (at once in immediate mode).

    If the queue itself cannot be reached, the message is sent from here instead, as before there was a queue.
    """
    try:
        enqueue(deliver, to, subject, body, time.time())
    except Exception:
        log.exception("mail: the job queue is unreachable; sending from the request instead")
        write(to, subject, body)


def retry_delay(queued_at: float, now: float) -> float:
    """How long to wait before the next try: half the message's age, between 30 s and an hour."""
    return min(MAX_RETRY_DELAY, max(MIN_RETRY_DELAY, (now - queued_at) / 2))


def is_temporary(error: Exception) -> bool:
    """Whether trying again later may succeed: no connection, a dropped one, or a 4xx answer."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, OSError)  # refused, unreachable, timed out, dropped (SMTPException is an OSError)


@job()
def deliver(to: str, subject: str, body: str, queued_at: float) -> None:
    """Send one message; on a temporary fault, try again later (RetryTask keeps the job in the queue)."""
    try:
        write(to, subject, body)
    except Exception as error:
        if not is_temporary(error):
            raise
        delay = retry_delay(queued_at, time.time())
        log.warning("mail to the server failed (%s); trying again in %d s", error, delay)
        raise RetryTask(str(error), delay=delay) from error


def write(to: str, subject: str, body: str) -> None:
    """Send a plain-text email now; headers are set through EmailMessage, which refuses CR/LF injection."""
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
