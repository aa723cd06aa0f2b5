"""Gunicorn settings of an application server (docs/deploy.md).

    .venv/bin/gunicorn --config deploy/gunicorn.conf.py --bind 127.0.0.1:8001

Run one per port (the systemd unit xianan-lawgov@.service does, one instance per port); nginx
spreads the requests over them. Servers share nothing but the database and MEDIA_ROOT, so
they may run on this host or on others. Any setting here can be changed on the command line
or in GUNICORN_CMD_ARGS.
"""

import multiprocessing
import os

wsgi_app = "xianan_lawgov.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")

# Synchronous workers, the usual (2 × cores) + 1: a request waits on the database about as
# long as it computes. Fewer where several servers share one host (GUNICORN_WORKERS).
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)

# A worker silent this long is killed and its request answered 502. The slowest requests
# (an annual report in Word, a large upload) finish well within it; nginx waits as long
# (proxy_read_timeout in deploy/nginx/xianan-lawgov.conf).
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 120)
# On restart, requests under way get this long to finish.
graceful_timeout = 30
# nginx keeps connections to the servers open (keepalive in its upstream block).
keepalive = 5
# Replace each worker after about a thousand requests, so no slow leak grows for months.
max_requests = 1000
max_requests_jitter = 100
# Worker heartbeats in memory: a slow disk must not get healthy workers killed.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# The application writes one line per request with its user and duration (LOG_FORMAT=json
# for JSON); gunicorn's own access log would repeat it, so it is off unless asked for
# (GUNICORN_ACCESS_LOG=- for standard output, or a file), with nginx's request id.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = '%({x-request-id}i)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# nginx on this host is the only client it trusts for X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "xianan-lawgov"


def post_worker_init(worker):
    """A new worker (at start, and again after max_requests) imports the views and compiles
    the URL patterns before it takes a request, not during its first one: that first request
    would otherwise take about a second longer than the page itself."""
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 (reading it fills the resolver)
