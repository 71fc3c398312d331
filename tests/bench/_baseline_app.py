"""The two baselines the page benchmark compares consult with, served by gunicorn from the same venv.

`/hello` is a bare Flask response; `/rows` is a plain Flask + SQLAlchemy + Jinja page of 50 rows read from
PostgreSQL (BASELINE_DATABASE_URL) on every request, with no caching: what any small Flask site does per request.
Run as `gunicorn --workers 2 tests.bench._baseline_app:app`; pages.py creates and fills the table.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask, render_template_string

TABLE = "bench_baseline_rows"
ROWS = 50
PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>
<table><thead><tr><th>Id</th><th>Name</th><th>Text</th><th>Created</th></tr></thead><tbody>
{% for row in rows %}<tr><td>{{ row.id }}</td><td><a href="/rows/{{ row.id }}">{{ row.name }}</a></td>
<td>{{ row.body }}</td><td>{{ row.created_at.strftime("%d %B %Y %H:%M") }}</td></tr>
{% endfor %}</tbody></table></main></body></html>"""

metadata = sa.MetaData()
rows_table = sa.Table(
    TABLE,
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100)),
    sa.Column("body", sa.Text),
    sa.Column("created_at", sa.DateTime),
)


def fill(url: str) -> None:
    """(Re)create the baseline table with its rows (called by the benchmark before it starts the server)."""
    import datetime

    engine = sa.create_engine(url)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            rows_table.insert(),
            [
                {
                    "name": f"Row {n}",
                    "body": "Some words about this row, " * 4,
                    "created_at": datetime.datetime(2026, 1, 1) + datetime.timedelta(hours=n),
                }
                for n in range(ROWS * 2)
            ],
        )
    engine.dispose()


def create_app() -> Flask:
    app = Flask(__name__)
    engine = sa.create_engine(os.environ["BASELINE_DATABASE_URL"], pool_pre_ping=False)

    @app.get("/hello")
    def hello():
        return "Hello, world!"

    @app.get("/rows")
    def rows():
        with engine.connect() as connection:
            found = connection.execute(sa.select(rows_table).order_by(rows_table.c.id).limit(ROWS)).all()
        return render_template_string(PAGE, title="Fifty rows", rows=found)

    return app


app = create_app() if "BASELINE_DATABASE_URL" in os.environ else None
