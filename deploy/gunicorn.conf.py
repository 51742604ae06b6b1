"""gunicorn settings for `make serve` and the systemd unit: `gunicorn --config deploy/gunicorn.conf.py`.

Each value can be changed without editing this file: ANCUU_BIND, ANCUU_WORKERS, ANCUU_THREADS,
ANCUU_TIMEOUT, ANCUU_ACCESS_LOG (a path, or "-" for standard output).
"""

import multiprocessing
import os

wsgi_app = "app:app"
bind = os.environ.get("ANCUU_BIND", "127.0.0.1:8000")
# Processes for the cores, threads for the waits (database, disk): gunicorn's rule of thumb,
# capped so that workers x threads stays under PostgreSQL's default 100 connections.
workers = int(os.environ.get("ANCUU_WORKERS", min(multiprocessing.cpu_count() * 2 + 1, 9)))
worker_class = "gthread"
threads = int(os.environ.get("ANCUU_THREADS", 4))
# An upload of 25 MB is read, checked and its text extracted in the request; OCR never is.
timeout = int(os.environ.get("ANCUU_TIMEOUT", 120))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests, so a slow leak never grows for weeks.
max_requests = 2000
max_requests_jitter = 200
# Each worker opens its own database connections and index searchers after the fork.
preload_app = False
accesslog = os.environ.get("ANCUU_ACCESS_LOG", "-")
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
loglevel = "info"
# Request sizes are bounded by the application (MAX_UPLOAD_BYTES); headers by these.
limit_request_line = 8190
limit_request_fields = 100
# gunicorn's control socket lives in $HOME, one per user: two installations (two wards on one
# server) would fight over it, and nothing here uses it.
control_socket_disable = True
