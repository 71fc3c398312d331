"""Configuration: safe defaults, then CONSULT_* environment variables, then test overrides."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

# Keys known to be public (examples, old defaults); the app refuses to run in production with them.
KNOWN_WEAK_SECRETS = {"", "dev", "change-me", "secret", "development-only-not-secret"}
DEV_SECRET = "development-only-not-secret"  # noqa: S105 - used only when ENV is development/testing
DEV_SITE_URL = "http://127.0.0.1:5000"


def defaults(instance_path: str) -> dict[str, Any]:
    """Return the default settings; the SQLite file and the mail outbox live in the instance folder."""
    return {
        "ENV": os.environ.get("CONSULT_ENV", "production"),
        "SECRET_KEY": os.environ.get("SECRET_KEY", ""),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or "sqlite:///" + os.path.join(instance_path, "consult.sqlite3"),
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        "SITE_NAME": "consult",
        # The public address: every link in every email is built on it, never on the request's Host header.
        "SITE_URL": os.environ.get("SITE_URL", DEV_SITE_URL),
        "SERVER_NAME": None,
        # Host names the site answers to (Flask's TRUSTED_HOSTS; others get 400). In production SITE_URL's
        # host is always one of them; None (the default outside production) accepts any host.
        "TRUSTED_HOSTS": None,
        # Sessions and cookies (SECURITY.md §4).
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        "REMEMBER_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # CSRF: tokens last as long as a working session, so a long draft is not rejected.
        "WTF_CSRF_TIME_LIMIT": 12 * 3600,
        # Passwords: argon2id; parameters at or above OWASP ASVS 5.0 Appendix C.
        "ARGON2_TIME_COST": 3,
        "ARGON2_MEMORY_COST": 64 * 1024,
        "ARGON2_PARALLELISM": 2,
        "PASSWORD_MIN_LENGTH": 12,
        "PASSWORD_MAX_LENGTH": 128,
        # Email tokens.
        "VERIFY_TOKEN_MAX_AGE": 48 * 3600,
        "RESET_TOKEN_MAX_AGE": 3600,
        # Rate limits: per client address through Flask-Limiter (Redis when REDIS_URL is set), and
        # failed sign-ins counted in the database so they hold across every worker.
        "RATELIMIT_ENABLED": True,
        # Redis down: Flask-Limiter counts in memory per process instead of failing the request (posting
        # limits do the same in consult.posting.limits); /readyz reports Redis as down meanwhile.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_HEADERS_ENABLED": True,
        "SIGN_IN_RATE_LIMIT": "20 per minute;200 per hour",
        "REGISTER_RATE_LIMIT": "10 per hour",
        "EMAIL_RATE_LIMIT": "5 per hour",
        # Growing waits after failed sign-ins, never a lock-out (the rule is in consult/accounts/throttle.py).
        "SIGN_IN_FREE_FAILURES_PER_ADDRESS": 5,
        "SIGN_IN_MAX_WAIT_PER_ADDRESS": 15 * 60,  # seconds
        "SIGN_IN_FREE_FAILURES_PER_ACCOUNT": 20,
        "SIGN_IN_MAX_WAIT_PER_ACCOUNT": 60,  # seconds
        # A browser that signed in is trusted for that account this long (seconds), sparing it the per-account wait.
        "DEVICE_COOKIE_MAX_AGE": 90 * 24 * 3600,
        # Posting limits per person (account, not address), shared by every worker through the same storage;
        # generous for real use, far below a script's pace (consult.posting.limits).
        "COMMENT_RATE_LIMIT": "10 per minute;200 per day",
        "THREAD_RATE_LIMIT": "3 per minute;30 per day",
        "STATEMENT_RATE_LIMIT": "10 per minute;100 per day",
        "PAPER_COMMENT_RATE_LIMIT": "10 per minute;200 per day",
        "MAILS_PER_ADDRESS_PER_HOUR": 3,
        # Mail: SMTP when MAIL_SERVER is set, otherwise an outbox folder admins can read.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "true").lower() == "true",
        "MAIL_FROM": os.environ.get("MAIL_FROM", "consult <no-reply@consult.invalid>"),
        "MAIL_OUTBOX": os.path.join(instance_path, "outbox"),
        "CONTENT_DIR": os.path.join(os.path.dirname(os.path.dirname(__file__)), "content"),
        # Search: the Whoosh index folder (CONSULT_SEARCH_INDEX) and how long a request waits for the writer lock.
        "SEARCH_INDEX": os.path.join(instance_path, "search-index"),
        "SEARCH_LOCK_WAIT": 0.2,
        # Background jobs (consult.jobs): huey storage is JOBS_URL, else REDIS_URL, else instance/jobs.sqlite3.
        # JOBS_IMMEDIATE runs each job at once in the caller (the default when testing).
        "JOBS_URL": os.environ.get("JOBS_URL", ""),
        "JOBS_IMMEDIATE": False,
        # A worker waits this long (seconds) for running jobs on SIGINT; its name (default: the host name) keys the
        # jobs it is running, so that after a hard kill it queues them again on its next start.
        "JOBS_SHUTDOWN_TIMEOUT": 60,
        "JOBS_WORKER_NAME": "",
        # Logs: "json" (one object per line, with the request id) or "text"; development defaults to text.
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        # /metrics answers only with "Authorization: Bearer <METRICS_TOKEN>" (404 while unset); the job worker
        # serves its own metrics on METRICS_WORKER_BIND:METRICS_WORKER_PORT when the port is set.
        "METRICS_TOKEN": os.environ.get("METRICS_TOKEN", ""),
        "METRICS_WORKER_BIND": "127.0.0.1",
        "METRICS_WORKER_PORT": 0,
        # Behind a TLS-terminating proxy set CONSULT_PROXY_HOPS to the number of proxies: X-Forwarded-For
        # and X-Forwarded-Proto are then read for that many hops; X-Forwarded-Host never is.
        "PROXY_HOPS": 0,
    }


def load(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    """Fill app.config in order: defaults, CONSULT_* environment, test overrides, then derived values."""
    app.config.update(defaults(app.instance_path))
    app.config.from_prefixed_env("CONSULT")
    if app.config["ENV"] == "development" and "CONSULT_LOG_FORMAT" not in os.environ:
        app.config["LOG_FORMAT"] = "text"
    if test_config:
        app.config.update(test_config)
    env = app.config["ENV"]
    if env == "testing" and "CONSULT_JOBS_IMMEDIATE" not in os.environ and "JOBS_IMMEDIATE" not in (test_config or {}):
        app.config["JOBS_IMMEDIATE"] = True
    if env in {"development", "testing"}:
        if not app.config["SECRET_KEY"]:
            app.config["SECRET_KEY"] = DEV_SECRET
        if env == "development":
            # make run serves plain http on 127.0.0.1, where browsers drop Secure cookies.
            app.config["SESSION_COOKIE_SECURE"] = False
            app.config["REMEMBER_COOKIE_SECURE"] = False
    else:
        check_production_secret(app.config["SECRET_KEY"])
        check_production_site_url(app.config["SITE_URL"])
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config["TRUSTED_HOSTS"], app.config["SITE_URL"], env)
    app.config["SESSION_COOKIE_NAME"] = "__Host-session" if app.config["SESSION_COOKIE_SECURE"] else "session"
    app.config["REMEMBER_COOKIE_NAME"] = "__Host-remember" if app.config["REMEMBER_COOKIE_SECURE"] else "remember_token"
    app.config["DEVICE_COOKIE_NAME"] = "__Host-device" if app.config["SESSION_COOKIE_SECURE"] else "device"
    if "RATELIMIT_STORAGE_URI" not in app.config:
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"] or "memory://"


def check_production_secret(secret: str) -> None:
    """Refuse to start with a missing or well-known SECRET_KEY outside development and testing."""
    if secret in KNOWN_WEAK_SECRETS or len(secret) < 32:
        raise RuntimeError(
            "SECRET_KEY must be set to at least 32 random characters in production "
            "(for example: python -c 'import secrets; print(secrets.token_hex(32))'), "
            "or set CONSULT_ENV=development for local use."
        )


def check_production_site_url(site_url: str) -> None:
    """Refuse to start without the public https address: emailed links and the trusted host come from it."""
    parts = urlsplit(site_url)
    if site_url == DEV_SITE_URL or parts.scheme != "https" or not parts.hostname:
        raise RuntimeError(
            "SITE_URL must be set to the site's public https address in production "
            "(for example: SITE_URL=https://consult.example.org); links in emails are built on it."
        )


def trusted_hosts(configured: Any, site_url: str, env: str) -> list[str] | None:
    """The host names to serve: as configured (a list, or a comma-separated string), plus SITE_URL's in production."""
    if isinstance(configured, str):
        configured = [name.strip() for name in configured.split(",") if name.strip()]
    if env in {"development", "testing"}:
        return list(configured) if configured else None
    hosts = list(configured or [])
    site_host = urlsplit(site_url).hostname or ""
    if site_host not in hosts:
        hosts.insert(0, site_host)
    return hosts
