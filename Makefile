# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
STAMP := $(VENV)/.installed

# `SEARCH_BACKEND=tantivy make run`: the search engine, handed to the application as its setting.
ifdef SEARCH_BACKEND
export ANCUU_SEARCH_BACKEND := $(SEARCH_BACKEND)
endif

.PHONY: lock run serve test test-postgresql loadtest lint format setup system system-test migrate demo readme-image bench

# Installed from the lock: every package, direct or not, at the version and hashes written
# there (`make lock` writes it again from requirements*.txt; a test checks they agree).
$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	touch $(STAMP)

LOCK_COMMAND := uv pip compile requirements-dev.txt --generate-hashes --python-version 3.11 \
	--python-platform x86_64-unknown-linux-gnu --no-header --quiet -o requirements.lock
lock: $(STAMP)
	$(BIN)/$(LOCK_COMMAND)

# Debian packages (deploy/system-packages.sh): installed when missing and this is root on a
# Debian machine, otherwise named. The application works without OCR and PDF registers; the
# suite needs all of its tools (LibreOffice, Poppler, PostgreSQL, Chromium too).
system:
	@deploy/system-packages.sh run

system-test:
	@deploy/system-packages.sh test

setup: $(STAMP)

migrate: $(STAMP)
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo load --if-empty
	$(FLASK) index ensure

# The server and the index worker together; Ctrl+C (or the end of either) stops both.
run: system demo
	@echo "Mở http://127.0.0.1:5000 trong trình duyệt (Ctrl+C để dừng)."
	@$(FLASK) index worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

# Production: gunicorn (deploy/gunicorn.conf.py: workers from the cores, access log) and the
# index/OCR worker, stopped together. No demo data; PostgreSQL when instance/config.py says so.
serve: system migrate
	$(FLASK) index ensure
	@echo "Phục vụ tại http://$${ANCUU_BIND:-127.0.0.1:8000} (Ctrl+C để dừng)."
	@BIN=$(BIN) deploy/serve.sh

# On every core (pytest-xdist): each worker its own databases, PostgreSQL cluster and temporary
# folders; a file's tests stay on one worker, so its module fixtures are made once.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadfile --durations=15

test: system-test $(STAMP)
	$(PYTEST)

# The same suite on PostgreSQL: a throwaway cluster (tests/postgres.py) unless
# ANCUU_TEST_POSTGRES_URL names a server.
test-postgresql: system-test $(STAMP)
	ANCUU_TEST_DATABASE=postgresql $(PYTEST)

# 20 clients for 60 s against gunicorn (4 workers) and the worker, on SQLite then PostgreSQL;
# then the faults (kill -9, the index deleted, a full disk). Report in bench/results/.
LOAD_SECONDS ?= 60
loadtest: system-test $(STAMP)
	$(BIN)/python bench/load.py --seconds $(LOAD_SECONDS) --database sqlite
	$(BIN)/python bench/load.py --seconds $(LOAD_SECONDS) --database postgresql

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The picture in the README: page 1 of a generated resolution, through LibreOffice.
readme-image: $(STAMP)
	mkdir -p docs
	$(FLASK) drafting sample /tmp/ancuu-sample-resolution.docx
	soffice --headless --convert-to pdf --outdir /tmp /tmp/ancuu-sample-resolution.docx >/dev/null
	pdftoppm -png -r 80 -f 1 -l 1 -singlefile /tmp/ancuu-sample-resolution.pdf docs/resolution-page1

# Benchmarks: corpus, import, search, rebuild, drafting, HTTP load (BENCHMARKS.md).
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(STAMP) bench/requirements.txt
	$(BIN)/pip install --quiet -r bench/requirements.txt
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	@command -v wrk >/dev/null && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || \
		(apt-get update -qq && apt-get install -y -qq wrk fonts-dejavu-core)
	$(BIN)/python bench/run.py
