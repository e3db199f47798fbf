# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test lint typecheck unit bench diagram clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

## run: the Telegram bot when TELEGRAM_BOT_TOKEN is set, otherwise the chat in this terminal
run: $(STAMP)
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ]; then $(BIN)/python -m bot telegram; \
	else $(BIN)/python -m bot chat; fi

## test: lint, type check and the whole test suite
# The type check runs beside the tests: from a clean clone (no .mypy_cache) it is a dozen
# seconds on one core, which the suite's workers would otherwise wait for.
test: lint
	@$(MAKE) --no-print-directory -j2 typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

# Two pytest workers per core (pytest-xdist): a worker often waits on what takes no CPU (long
# polls, timeouts a test provokes, quiet periods proving nothing more is sent), and with one
# worker per core the cores sat idle a quarter of the run; `make test WORKERS=n` to choose. Tests
# marked xdist_group share one worker (and the bot process or wheel they set up once). The
# suite starts some forty Python processes: they share compiled bytecode even where
# PYTHONDONTWRITEBYTECODE is set (as in many container images), rather than each compiling
# every module of the project again.
WORKERS ?= $(shell echo $$(( 2 * $$(nproc 2>/dev/null || echo 1) )))
unit: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -q -n $(WORKERS) --dist loadgroup --no-loadscope-reorder

## bench: the performance figures (docs/performance.md); `make bench ARGS=--quick` for a rough run
bench: $(STAMP)
	$(BIN)/python -m benchmarks $(ARGS)

## diagram: regenerate the journey diagram in docs/journey.md from the state machine
diagram: $(STAMP)
	$(BIN)/python scripts/journey_diagram.py --write docs/journey.md

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
