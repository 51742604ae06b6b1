#!/usr/bin/env bash
# `make serve`: gunicorn (deploy/gunicorn.conf.py) and the index/OCR worker, stopped together:
# Ctrl+C, SIGTERM, or the end of either stops the other, and the script waits for both.
set -u
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
worker= web=
stop() { kill -TERM $worker $web 2>/dev/null; }
trap stop INT TERM
"$BIN/flask" --app app index worker &
worker=$!
"$BIN/gunicorn" --config deploy/gunicorn.conf.py &
web=$!
wait -n "$worker" "$web"
status=$?
stop
# A second Ctrl+C interrupts `wait`, not the shutdown: wait until both have really ended.
while kill -0 "$worker" 2>/dev/null || kill -0 "$web" 2>/dev/null; do
  wait
done
exit "$status"
