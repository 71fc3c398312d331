"""gunicorn settings for an app machine (deploy/systemd/consult-web.service): `gunicorn -c deploy/gunicorn.conf.py`."""

import multiprocessing
import os

bind = os.environ.get("CONSULT_BIND", "0.0.0.0:8000")  # a private address; nginx on the load balancer is in front
workers = int(os.environ.get("CONSULT_WEB_WORKERS", multiprocessing.cpu_count() * 2))
wsgi_app = "wsgi:app"
timeout = 30
graceful_timeout = 30  # SIGTERM from systemd: finish requests in flight before exiting
accesslog = None  # consult logs each request's id itself; nginx keeps the access log
forwarded_allow_ips = "*"  # only nginx can reach the bind address (firewall); consult reads CONSULT_PROXY_HOPS


def child_exit(server, worker):
    """Prometheus multiprocess mode: forget a dead worker's live gauges (its counters stay in the sum)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
