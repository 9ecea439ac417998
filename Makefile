# The README's commands. Each target creates .venv (Python 3.11+) and installs the project if needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: chat run test lint typecheck pytest i18n i18n-check catalogs bench soak fuzz clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is required")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

catalogs: $(STAMP)
	$(BIN)/tsunagu i18n compile

## make chat: talk to the bot in this terminal (SQLite file tsunagu.db in this folder)
chat: catalogs
	$(BIN)/tsunagu chat $(if $(LANG_TAG),--lang $(LANG_TAG)) $(if $(USER_ID),--user $(USER_ID))

## make run: the Telegram bot with long polling (needs TELEGRAM_BOT_TOKEN; see README)
run: catalogs
	$(BIN)/tsunagu run

## make test: lint, type checks, catalog checks and the whole test suite
test: lint typecheck i18n-check pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

i18n-check: catalogs
	$(BIN)/tsunagu i18n check

pytest: catalogs
	$(BIN)/pytest

## make fuzz: 100,000 hostile updates through the real Application, every answer checked
## (`make test` runs 2,000); FUZZ_UPDATES=N for another count, TSUNAGU_FUZZ_SEED=S to replay
fuzz: catalogs
	TSUNAGU_FUZZ_UPDATES=$(or $(FUZZ_UPDATES),100000) $(BIN)/pytest -q -s tests/fuzz/test_fuzz.py

## make i18n: extract strings and merge them into every catalog (for translators)
i18n: $(STAMP)
	$(BIN)/tsunagu i18n update
	$(BIN)/tsunagu i18n compile

bench: catalogs
	$(BIN)/python bench/bench_engine.py
	$(BIN)/python bench/bench_storage.py
	$(BIN)/python bench/bench_telegram.py
	$(BIN)/python bench/bench_blackbox.py

## make soak: kill `tsunagu run` at random moments while people talk to it (tests/soak/)
## SOAK_CYCLES (1000) on SQLite; with SOAK_POSTGRES_URL (a server) also SOAK_PG_CYCLES (200) there
SOAK_CYCLES ?= 1000
SOAK_PG_CYCLES ?= 200
soak: catalogs
	$(BIN)/python -m tests.soak.kill_cycles --cycles $(SOAK_CYCLES)
	$(if $(SOAK_POSTGRES_URL),$(BIN)/python -m tests.soak.kill_cycles --cycles $(SOAK_PG_CYCLES) --postgres '$(SOAK_POSTGRES_URL)')

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
	find locales -name '*.mo' -delete
