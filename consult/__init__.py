"""consult: an open policy-making platform. This module only builds the application."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: config, extensions, blueprints. No I/O and no queries happen here."""
    app = Flask(__name__, instance_relative_config=True)

    from consult import caching, config, converters, db, errors, logs, metrics, ops, security, templating
    from consult.extensions import csrf, limiter, login_manager
    from consult.jobs import queue as jobs

    converters.init_app(app)
    config.load(app, test_config)
    logs.init_app(app)
    metrics.init_app(app)
    if app.config["PROXY_HOPS"]:
        # Client address and https only: a forwarded Host would let a client choose the host links name.
        hops = int(app.config["PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)  # type: ignore[method-assign]

    app.jinja_loader = ChoiceLoader(
        [
            app.jinja_loader,
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    WTFormsHelpers(app)
    templating.init_app(app)

    db.init_app(app)
    jobs.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    security.init_app(app)
    caching.init_app(app)
    errors.init_app(app)

    from consult.accounts import views as accounts
    from consult.admin.views import bp as admin_bp
    from consult.agreement.cli import agreement as agreement_cli
    from consult.agreement.views import bp as agreement_bp
    from consult.cli import register_commands
    from consult.dashboard.views import bp as dashboard_bp
    from consult.discussions.views import bp as discussions_bp
    from consult.jobs import tasks as _periodic_jobs  # noqa: F401 - registers the periodic jobs
    from consult.jobs.worker import worker_command
    from consult.meetings import listing  # noqa: F401 - its routes register on the meetings blueprint
    from consult.meetings.views import bp as meetings_bp
    from consult.moderation.views import bp as moderation_bp
    from consult.notifications import notification_emails, subscriptions
    from consult.notifications.cli import notifications as notifications_cli
    from consult.notifications.views import bp as notifications_bp
    from consult.objectives.views import bp as objectives_bp
    from consult.pages.views import bp as pages_bp
    from consult.papers import editing, views  # noqa: F401 - their routes register on the papers blueprint
    from consult.papers.blueprint import bp as papers_bp
    from consult.processes.views import bp as processes_bp
    from consult.provenance.views import bp as provenance_bp
    from consult.search import services as search
    from consult.search.cli import search as search_cli
    from consult.search.views import bp as search_bp

    accounts.init_app(app)
    app.register_blueprint(admin_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(ops.bp)
    app.register_blueprint(processes_bp)
    app.register_blueprint(discussions_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(meetings_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(objectives_bp)
    app.register_blueprint(agreement_bp)
    app.register_blueprint(provenance_bp)
    app.register_blueprint(papers_bp)
    app.register_blueprint(search_bp)
    search.init_app(app)
    notification_emails.init_app(app)
    subscriptions.init_app(app)
    app.register_blueprint(pages_bp)  # last: its catch-all content route must not shadow others
    register_commands(app)
    app.cli.add_command(agreement_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(notifications_cli)
    app.cli.add_command(worker_command)
    return app
