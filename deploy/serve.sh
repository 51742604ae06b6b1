#!/usr/bin/env bash
# `make serve`: gunicorn (deploy/gunicorn.conf.py) and the index/OCR worker, stopped together:
# Ctrl+C, SIGTERM, or the end of either stops the other.
set -u
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
"$BIN/flask" --app app index worker &
worker=$!
"$BIN/gunicorn" --config deploy/gunicorn.conf.py &
web=$!
stop() { kill -TERM "$worker" "$web" 2>/dev/null; }
trap stop INT TERM
wait -n "$worker" "$web"
status=$?
stop
wait
exit "$status"
