# Two commands from a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest bench browser axe clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The embedded database (or NEUROGARDEN_DATABASE_URL) with the demo clinic, served locally.
run: $(STAMP)
	$(BIN)/neurogarden demo
	$(BIN)/neurogarden serve --host 127.0.0.1 --port 8000

# The browser tests drive Debian's Chromium; Playwright never downloads one.
browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq chromium chromium-driver >/dev/null)

# axe-core for the accessibility test only, from the npm registry; the app never serves it.
AXE := $(VENV)/axe/node_modules/axe-core/axe.min.js
axe: $(AXE)
$(AXE): $(STAMP)
	npm install --silent --no-audit --no-fund --prefix $(VENV)/axe axe-core@4.14.1

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) browser $(AXE)
	$(BIN)/neurogarden kb check
	$(BIN)/pytest

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python bench/plan_throughput.py
	$(BIN)/python bench/cold_start.py
	$(BIN)/python bench/engine_rate.py
	$(BIN)/python bench/web_pages.py
	$(BIN)/python bench/safety_sweep.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
